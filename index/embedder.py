"""A loaded embedding model and the spec it was loaded for, shared by indexing and retrieval."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from index.embedding import EmbeddingSpec, load_embedder, resolve_model_path
from index.settings import IndexSettings


@dataclass(frozen=True)
class Embedder:
    spec: EmbeddingSpec
    model: Any  # a llama-index embedding model (HuggingFaceEmbedding, or SentenceTransformerEmbedding for int8)

    @classmethod
    def load(cls, settings: IndexSettings, progress: Callable[[str], None] | None = None) -> Embedder:
        spec = settings.embedding
        path = resolve_model_path(
            settings.embed_model, cache_dir=settings.model_cache_dir, backend=spec.backend, progress=progress
        )
        return cls(spec=spec, model=load_embedder(spec, path))

    @property
    def sentence_transformer(self) -> Any:
        """The SentenceTransformer behind the llama-index wrapper, for timing the model without llama-index.
        Both wrappers kzqa loads keep it in the same private attribute and offer no public accessor."""
        return self.model._model

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return self.model.get_text_embedding_batch(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.get_query_embedding(text)
