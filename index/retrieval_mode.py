"""Which searches answer a query: both fused (the product), or one alone for comparisons.

A module of its own so that the configuration can name the choice without loading the retriever
(llama-index and chromadb).
"""

from __future__ import annotations

from enum import StrEnum

from ingest.choices import parse_choice


class RetrievalMode(StrEnum):
    HYBRID = "hybrid"
    VECTOR = "vector"
    BM25 = "bm25"

    @classmethod
    def from_str(cls, value: str) -> RetrievalMode:
        return parse_choice(cls, value, what="retrieval mode", valid_label="valid modes")
