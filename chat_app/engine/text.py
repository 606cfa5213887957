"""Small text helpers the engine's components share: one normalisation for every comparison."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from chat_app.engine.records import Term

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


@lru_cache(maxsize=65536)  # terms and sentences recur across candidates and questions
def normalize(text: str) -> str:
    """NFKC, lower case, no thousands separators: how terms and texts are compared."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text)).lower()


def present(term: Term, haystack: str) -> bool:
    """Whether an alternative of `term` occurs in `haystack` (already normalized)."""
    return any(normalize(alt) in haystack for alt in term.alternatives)


def coverage(terms: Sequence[Term], haystack: str) -> float:
    """IDF-weighted share of `terms` with an alternative in `haystack` (already normalized)."""
    total = sum(term.weight for term in terms)
    if total <= 0:
        return 0.0
    return sum(term.weight for term in terms if present(term, haystack)) / total


def bigrams(text: str) -> set[str]:
    """Overlapping pairs of Han characters (a single character stands for itself)."""
    grams: set[str] = set()
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else grams.add(run)
    return grams
