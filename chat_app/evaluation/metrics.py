"""Metric functions: pure, small, and tested on hand-made cases."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def normalize_for_match(text: str) -> str:
    """Full-width/half-width, case and thousands separators do not decide a match."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text)).lower()


def file_hit_at_k(ranked_sources: Sequence[str], gold: Sequence[str], k: int) -> float:
    return 1.0 if any(source in gold for source in ranked_sources[:k]) else 0.0


def reciprocal_rank(ranked_sources: Sequence[str], gold: Sequence[str], k: int) -> float:
    for rank, source in enumerate(ranked_sources[:k], start=1):
        if source in gold:
            return 1.0 / rank
    return 0.0


def keywords_present(text: str, keyword_groups: Sequence[Sequence[str]]) -> bool:
    """Every group has at least one alternative in `text` (an empty list of groups is vacuous)."""
    haystack = normalize_for_match(text)
    return all(any(normalize_for_match(alt) in haystack for alt in group) for group in keyword_groups)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = math.ceil(share * len(ordered))  # the smallest value with at least `share` of values <= it
    return ordered[max(0, min(len(ordered), rank) - 1)]
