"""Exceptions → sentences a person can act on. The browser never sees a traceback; the server log does."""

from __future__ import annotations

from chat_app.assistant import QuestionError
from chat_app.config import ConfigError
from index.embedding import EmbeddingModelError
from index.indexer import IndexBusy, IndexModelMismatch, IndexWriteError
from index.manifest import IndexCorrupt, IndexMissing
from index.model_rebuild import ModelRebuildError
from index.vector_store import VectorStoreError
from ingest import CorpusNotFound

# Each family's own message already says what to do; the prefix says which part failed.
_PREFIXES: tuple[tuple[tuple[type[Exception], ...], str], ...] = (
    ((QuestionError,), ""),
    ((ConfigError, CorpusNotFound), "kzqa is not configured correctly: "),
    ((IndexMissing, IndexCorrupt, IndexModelMismatch, VectorStoreError), "the search index is unavailable: "),
    ((IndexBusy,), "the index is being updated: "),
    ((IndexWriteError,), ""),  # its message already starts "cannot write the index in …"
    ((EmbeddingModelError, ModelRebuildError), "the embedding model could not be loaded: "),
)


def friendly_message(error: BaseException) -> str:
    for families, prefix in _PREFIXES:
        if isinstance(error, families):
            return f"{prefix}{error}"
    return (
        f"something went wrong ({type(error).__name__}); the details are in the server log. "
        "Try again, or restart `kzqa chat`."
    )
