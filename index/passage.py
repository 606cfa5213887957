"""The record retrieval hands to the answer engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk, with where it came from and why it ranked where it did.

    `vector_rank` / `bm25_rank` are 1-based ranks in each retriever's list (None: not retrieved
    by that retriever). `score` is the fused reciprocal-rank score.
    """

    chunk_id: str
    source: str
    title: str
    section: str
    text: str
    start: int
    end: int
    score: float
    vector_rank: int | None = None
    bm25_rank: int | None = None
    vector_similarity: float | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
