"""llama-index's embedding interface over an already built SentenceTransformer: kzqa's own wrapper for
the models it assembles itself (the compact-tokenizer fp32 model, the int8 model)."""

from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.sentence_transformers_lean import SentenceTransformer


class SentenceTransformerEmbedding(BaseEmbedding):
    """Encodes with prompt names "query" and "text", normalized, as llama-index's HuggingFaceEmbedding does
    (without importing it: its module pulls in the hub's inference clients, which serving never uses)."""

    _model: SentenceTransformer = PrivateAttr()

    def __init__(self, model: SentenceTransformer, *, model_name: str, embed_batch_size: int):
        super().__init__(model_name=model_name, embed_batch_size=embed_batch_size)
        self._model = model

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str], prompt_name: str) -> list[list[float]]:
        vectors = self._model.encode(
            texts,
            batch_size=self.embed_batch_size,
            prompt_name=prompt_name,
            normalize_embeddings=True,
            show_progress_bar=False,  # left unset, sentence-transformers shows one whenever logging is at INFO
        )
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query], "query")[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text], "text")[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, "text")

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
