"""Keyword search: BM25 (bm25s) over jieba tokens, persisted so queries never re-tokenize the corpus.

bm25s is used directly: llama-index's BM25Retriever tokenizes with an English stemmer and has
deprecated custom tokenizers, which Chinese needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from index.typed_json import ShapeError, check_type

_IDS_FILE = "chunk_ids.json"


@dataclass(frozen=True)
class KeywordHit:
    chunk_id: str
    score: float


class BM25Store:
    def __init__(self, retriever: bm25s.BM25, chunk_ids: list[str], tokenizer: ChineseTokenizer):
        self._retriever = retriever
        self._chunk_ids = chunk_ids
        self._tokenizer = tokenizer

    @property
    def tokenizer_mode(self) -> TokenizerMode:
        return self._tokenizer.mode

    def tokenize(self, text: str) -> list[str]:
        return self._tokenizer(text)

    @classmethod
    def build(cls, chunks: list[tuple[str, str]], tokenizer: ChineseTokenizer) -> BM25Store:
        """`chunks` are (chunk_id, text) pairs."""
        retriever = bm25s.BM25()
        # An empty token list would make bm25s drop the document and shift every later id.
        retriever.index([tokenizer(text) or ["<empty>"] for _, text in chunks], show_progress=False)
        return cls(retriever, [chunk_id for chunk_id, _ in chunks], tokenizer)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder), show_progress=False)
        payload = {"chunk_ids": self._chunk_ids, "tokenizer": self._tokenizer.mode.value}
        (folder / _IDS_FILE).write_text(json.dumps(payload), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25Store:
        """The stored index; ShapeError when its files disagree (ids and scored texts must pair up)."""
        ids_path = folder / _IDS_FILE
        payload = json.loads(ids_path.read_text(encoding="utf-8"))
        check_type(payload, dict, where=str(ids_path))
        chunk_ids, mode = payload.get("chunk_ids"), payload.get("tokenizer")
        check_type(chunk_ids, list[str], where=f"{ids_path}: field 'chunk_ids'")
        check_type(mode, str, where=f"{ids_path}: field 'tokenizer'")
        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        scored = retriever.scores.get("num_docs")
        if scored != len(chunk_ids):
            raise ShapeError(f"{ids_path} names {len(chunk_ids)} texts but the BM25 index in {folder} scores {scored}")
        return cls(retriever, chunk_ids, ChineseTokenizer(TokenizerMode.from_str(mode)))

    @property
    def chunk_ids(self) -> list[str]:
        return list(self._chunk_ids)

    def mask(self, allowed: set[str]) -> np.ndarray:
        """A weight per indexed text: 1 for the ids in `allowed`, 0 for the rest (for `only=`)."""
        return np.fromiter((chunk_id in allowed for chunk_id in self._chunk_ids), dtype=np.float32)

    def search(self, query: str, k: int, *, only: np.ndarray | None = None) -> list[KeywordHit]:
        return self.search_tokens(self._tokenizer(query), k, only=only)

    def search_tokens(self, tokens: list[str], k: int, *, only: np.ndarray | None = None) -> list[KeywordHit]:
        """Search with tokens made elsewhere (e.g. Chinese keywords translated from English).
        `only` (from `mask`) limits the search to some texts: the others score 0 and are never hits."""
        if not tokens or not self._chunk_ids:
            return []
        k = min(k, len(self._chunk_ids))
        documents, scores = self._retriever.retrieve([tokens], k=k, show_progress=False, n_threads=1, weight_mask=only)
        return [
            KeywordHit(self._chunk_ids[int(doc)], float(score))
            for doc, score in zip(documents[0], scores[0], strict=True)
            if score > 0 and np.isfinite(score)
        ]

    def scores(self, tokens: list[str]) -> list[float]:
        """The BM25 score of every indexed text, in index order (for re-scoring a whole small set)."""
        if not self._chunk_ids:
            return []
        known = [t for t in tokens if t in self._retriever.vocab_dict]
        if not known:
            return [0.0] * len(self._chunk_ids)
        return [float(s) for s in self._retriever.get_scores(known)]
