"""Small text helpers the engine's components share: one normalisation for every comparison."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from chat_app.engine.records import Term
from ingest import chinese_text


@lru_cache(maxsize=65536)  # terms and sentences recur across candidates and questions
def normalize(text: str) -> str:
    """ingest.chinese_text.normalize, remembered: the engine compares the same texts many times."""
    return chinese_text.normalize(text)


def present(term: Term, haystack: str) -> bool:
    """Whether an alternative of `term` occurs in `haystack` (already normalized)."""
    return any(normalize(alt) in haystack for alt in term.alternatives)


def coverage(terms: Sequence[Term], haystack: str) -> float:
    """IDF-weighted share of `terms` with an alternative in `haystack` (already normalized)."""
    total = sum(term.weight for term in terms)
    if total <= 0:
        return 0.0
    return sum(term.weight for term in terms if present(term, haystack)) / total

