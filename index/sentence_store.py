"""Every sentence of the index, embedded at build time, so the answer engine can score the whole
corpus at question time without embedding anything but the question.

Stored with each build: `sentences.jsonl` (which chunk, where in it, the text, a content hash)
and `sentence_vectors.npy` (one unit vector per line, float32), plus a sentence-level BM25
index. Vectors are reused across builds by content hash, as chunk vectors are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.bm25_store import BM25Store
from index.build_layout import SENTENCES_FILE, BuildLayout
from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from index.chunk_records import ChunkRecord
from index.typed_json import records_from_jsonl
from ingest.sentences import split_sentences

BATCH_SIZE = 64  # sentences are short: bigger batches than chunks, same peak memory

Progress = Callable[[int, int], None]


class SentenceStoreDamaged(ValueError):
    """The sentence files of a build disagree with each other."""


@dataclass(frozen=True)
class SentenceRecord:
    chunk_id: str
    start: int  # offsets within the chunk's text
    end: int
    text: str
    content_hash: str  # model + text: the same sentence is never embedded twice


class SentenceStore:
    """Sentences, their vectors (rows of one matrix) and a BM25 index over them, loaded once."""

    def __init__(
        self,
        records: list[SentenceRecord],
        vectors: np.ndarray,
        keywords: BM25Store,
        *,
        keyword_rows: np.ndarray | None = None,
    ):
        """`keyword_rows`: for a subset, each sentence's row in `keywords` (which indexes them all)."""
        if len(records) != len(vectors):
            raise SentenceStoreDamaged(f"{len(records)} sentences but {len(vectors)} vectors")
        self.records = records
        self.vectors = vectors
        self.keywords = keywords
        self._keyword_rows = keyword_rows
        self.by_chunk: dict[str, list[int]] = {}
        for row, record in enumerate(records):
            self.by_chunk.setdefault(record.chunk_id, []).append(row)

    def __len__(self) -> int:
        return len(self.records)

    def cosines(self, query_vector: Sequence[float]) -> np.ndarray:
        """Cosine of every sentence with the query (vectors are unit length)."""
        if not len(self.records):
            return np.zeros(0, dtype=np.float32)
        return self.vectors @ np.asarray(query_vector, dtype=np.float32)

    def keyword_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every sentence for the query tokens (0 where none matches)."""
        if not tokens or not len(self.records):
            return np.zeros(len(self.records), dtype=np.float32)
        scores = np.asarray(self.keywords.scores(tokens), dtype=np.float32)
        return scores if self._keyword_rows is None else scores[self._keyword_rows]

    def subset(self, rows: Sequence[int]) -> SentenceStore:
        """Only the sentences at `rows`, renumbered from 0 (to read, not to save). Their BM25 scores
        keep the whole store's term statistics, so a sentence scores the same in every subset."""
        picked = np.asarray(rows, dtype=np.int64)
        in_keywords = picked if self._keyword_rows is None else self._keyword_rows[picked]
        return SentenceStore(
            [self.records[row] for row in picked], self.vectors[picked], self.keywords, keyword_rows=in_keywords
        )

    @staticmethod
    def plan(chunks: Sequence[ChunkRecord], *, model_fingerprint: str) -> list[SentenceRecord]:
        """The sentence records of `chunks` (nothing embedded yet)."""
        return [
            SentenceRecord(
                chunk_id=chunk.chunk_id,
                start=span.start,
                end=span.end,
                text=chunk.text[span.start : span.end],
                content_hash=_hash(model_fingerprint, chunk.text[span.start : span.end]),
            )
            for chunk in chunks
            for span in split_sentences(chunk.text)
        ]

    @staticmethod
    def to_embed(records: Sequence[SentenceRecord], reuse: dict[str, np.ndarray]) -> list[SentenceRecord]:
        """One record per distinct sentence that has no reusable vector."""
        unique = {r.content_hash: r for r in records if r.content_hash not in reuse}
        return list(unique.values())

    @classmethod
    def build(
        cls,
        records: Sequence[SentenceRecord],
        *,
        embed: Callable[[list[str]], list[list[float]]],
        reuse: dict[str, np.ndarray] | None = None,
        progress: Progress | None = None,
        on_batch: Callable[[list[str], list[list[float]]], None] | None = None,
    ) -> SentenceStore:
        """The store for `records` (from `plan`); vectors in `reuse` (content hash → vector) are not
        embedded again. `progress(done, total)` counts the sentences embedded; `on_batch(hashes,
        vectors)` sees each embedded batch (to save it before the build is written)."""
        known = dict(reuse or {})
        missing = cls.to_embed(records, known)
        total = len(missing)
        for offset in range(0, total, BATCH_SIZE):
            batch = missing[offset : offset + BATCH_SIZE]
            vectors = embed([r.text for r in batch])
            for record, vector in zip(batch, vectors, strict=True):
                known[record.content_hash] = np.asarray(vector, dtype=np.float32)
            if on_batch:
                on_batch([r.content_hash for r in batch], vectors)
            if progress:
                progress(min(offset + len(batch), total), total)
        dimension = len(next(iter(known.values()))) if known else 0
        vectors = (
            np.stack([known[r.content_hash] for r in records]).astype(np.float32)
            if records
            else np.zeros((0, dimension), dtype=np.float32)
        )
        tokenizer = ChineseTokenizer(TokenizerMode.SEARCH)
        keywords = BM25Store.build([(str(row), r.text) for row, r in enumerate(records)], tokenizer)
        return cls(list(records), vectors, keywords)

    def vectors_by_hash(self) -> dict[str, np.ndarray]:
        return {record.content_hash: self.vectors[row] for row, record in enumerate(self.records)}

    def save(self, folder: Path) -> None:
        layout = BuildLayout(folder)
        with layout.sentences.open("w", encoding="utf-8") as handle:
            for record in self.records:
                handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        with layout.sentence_vectors.open("wb") as handle:
            np.save(handle, self.vectors, allow_pickle=False)
        self.keywords.save(layout.sentence_bm25)

    @classmethod
    def load(cls, folder: Path) -> SentenceStore:
        """The stored sentences; a ValueError (SentenceStoreDamaged, ShapeError) names what is wrong."""
        layout = BuildLayout(folder)
        records, vectors = _load_rows(layout)
        keywords = BM25Store.load(layout.sentence_bm25)
        if keywords.chunk_ids != [str(row) for row in range(len(records))]:
            raise SentenceStoreDamaged(
                f"{layout.sentence_bm25} indexes {len(keywords.chunk_ids)} sentences, "
                f"{SENTENCES_FILE} holds {len(records)}"
            )
        return cls(records, vectors, keywords)

    @staticmethod
    def load_vectors_by_hash(folder: Path) -> dict[str, np.ndarray]:
        """Only the stored vectors, by content hash (what a new build can reuse; no BM25 needed)."""
        records, vectors = _load_rows(BuildLayout(folder))
        return {record.content_hash: vectors[row] for row, record in enumerate(records)}


def _load_records(path: Path) -> list[SentenceRecord]:
    return records_from_jsonl(SentenceRecord, path, problem=_offsets_problem, error=SentenceStoreDamaged)


def _offsets_problem(record: SentenceRecord) -> str | None:
    return None if 0 <= record.start <= record.end else f"offsets {record.start}-{record.end} out of order"


def _load_vectors(path: Path) -> np.ndarray:
    vectors = np.load(path, allow_pickle=False)
    if vectors.ndim != 2 or not np.issubdtype(vectors.dtype, np.floating):
        raise SentenceStoreDamaged(f"{path} is not a matrix of numbers")
    if not np.isfinite(vectors).all():
        raise SentenceStoreDamaged(f"{path} holds values that are not numbers")
    return vectors.astype(np.float32, copy=False)


def _load_rows(layout: BuildLayout) -> tuple[list[SentenceRecord], np.ndarray]:
    """The sentence records and their vectors, one row each."""
    records, vectors = _load_records(layout.sentences), _load_vectors(layout.sentence_vectors)
    if len(records) != len(vectors):
        raise SentenceStoreDamaged(
            f"{layout.sentence_vectors} holds {len(vectors)} vectors for {len(records)} sentences"
        )
    return records, vectors


def _hash(model_fingerprint: str, text: str) -> str:
    return hashlib.sha256(f"{model_fingerprint}\x00sentence\x00{text}".encode()).hexdigest()
