"""The families of index errors a user can act on; each says which part failed (see KzqaError)."""

from __future__ import annotations

from ingest.errors import KzqaError


class IndexUnavailable(KzqaError):
    """The search index cannot be read: missing, damaged, built by another model, or its store is unreachable."""

    user_prefix = "the search index is unavailable: "


class IndexModelMismatch(IndexUnavailable):
    """The index was built with another embedding model; mixing would give wrong answers.
    Raised by the writer (before adding vectors) and by the reader (before searching)."""


class IndexBeingUpdated(KzqaError):
    """Another process is writing the index."""

    user_prefix = "the index is being updated: "


class EmbeddingModelUnavailable(KzqaError):
    """The embedding model cannot be loaded, rebuilt or converted."""

    user_prefix = "the embedding model could not be loaded: "
