"""A loaded embedding model and the spec it was loaded for, shared by indexing and retrieval."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from index.embedding import (
    EmbedBackend,
    EmbeddingSpec,
    load_embedder,
    resolve_compact_tokenizer,
    resolve_model_path,
)
from index.settings import IndexSettings


@dataclass(frozen=True)
class Embedder:
    spec: EmbeddingSpec
    model: Any  # a llama-index embedding model (SentenceTransformerEmbedding; HuggingFaceEmbedding for other models)
    # Torch threads for one question (0: leave the thread as it is), and what the asking thread goes back to.
    query_threads: int = 0
    batch_threads: int = 0

    @classmethod
    def load(cls, settings: IndexSettings, progress: Callable[[str], None] | None = None) -> Embedder:
        spec = settings.embedding
        path = resolve_model_path(
            settings.embed_model, cache_dir=settings.model_cache_dir, backend=spec.backend, progress=progress
        )
        tokenizer = resolve_compact_tokenizer(settings.embed_model, path, backend=spec.backend, progress=progress)
        model = load_embedder(spec, path, compact_tokenizer=tokenizer)
        if not settings.query_threads or spec.backend is not EmbedBackend.TORCH:
            return cls(spec=spec, model=model)
        import torch

        return cls(spec=spec, model=model, query_threads=settings.query_threads, batch_threads=torch.get_num_threads())

    @property
    def sentence_transformer(self) -> Any:
        """The SentenceTransformer behind the llama-index wrapper, for timing the model without llama-index.
        Both wrappers kzqa loads keep it in the same private attribute and offer no public accessor."""
        return self.model._model

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return self.model.get_text_embedding_batch(texts)

    def embed_query(self, text: str) -> list[float]:
        with self._threads_for_a_question():
            return self.model.get_query_embedding(text)

    @contextmanager
    def _threads_for_a_question(self) -> Iterator[None]:
        """torch's thread count holds per calling thread (a server answers in worker threads), so it is
        set here, around the call, and the thread goes back to the count batches use afterwards."""
        if not self.query_threads:
            yield
            return
        import torch

        torch.set_num_threads(self.query_threads)
        try:
            yield
        finally:
            torch.set_num_threads(self.batch_threads)
