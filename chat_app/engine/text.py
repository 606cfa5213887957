"""Small text helpers the engine's components share: one normalisation for every comparison."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from chat_app.engine.records import Term
from ingest import chinese_text

_MIN_NAMED = 2  # a single character is part of other words too
_BLANK = "\u25a1"  # □: keeps the blanked word from joining its neighbours into a new match


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


def beyond_question(text: str, terms: Sequence[Term]) -> str:
    """`text` with every word the question names blanked out: what is left may answer a who/where
    question ("where did she go after Kazakhstan": 哈萨克斯坦 is not the answer, 吉尔吉斯斯坦 may be)."""
    for term in terms:
        for alternative in term.alternatives:
            if len(alternative) >= _MIN_NAMED and alternative in text:
                text = text.replace(alternative, _BLANK)
    return text


def any_phrase(phrases: Sequence[str], flags: int = 0) -> re.Pattern[str]:
    """Any of `phrases`: English ones as whole words ("old", not the end of "told"), Chinese anywhere."""
    return re.compile(
        "|".join(rf"(?<![a-z]){re.escape(p)}(?![a-z])" if p.isascii() else re.escape(p) for p in phrases), flags
    )
