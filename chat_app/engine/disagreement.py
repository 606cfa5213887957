"""Sources that give different figures for the same thing (the border: 7,644 vs 6,846 km).

Two relevant sentences from different articles disagree when they state values in the same unit
and share none of them. Hand-written: it is a comparison of quantities, not something a
retriever or LLM library offers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chat_app.engine.evidence import EvidenceSentence
from index.passage import Passage

_QUANTITY = re.compile(
    r"(?P<value>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>%|％|公里|千米|英里|万人|亿美元|万吨|亿|万|人|名|吨|美元|倍)"
)
_SAME_UNIT = {"％": "%", "千米": "公里"}
# Relative difference below which two figures are the same figure, rounded differently.
_SAME_VALUE_TOLERANCE = 0.02


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    text: str


@dataclass(frozen=True)
class Disagreement:
    first: EvidenceSentence
    second: EvidenceSentence
    unit: str
    first_figures: tuple[str, ...]
    second_figures: tuple[str, ...]

    def note(self, passages: Sequence[Passage]) -> str:
        a, b = passages[self.first.passage_index], passages[self.second.passage_index]
        return (
            f"sources disagree: {a.source} says {'/'.join(self.first_figures)}, "
            f"{b.source} says {'/'.join(self.second_figures)}"
        )


_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?=年)")
_PRESENT = re.compile(r"目前|现在|如今|当前|今天|今年|最新|\bnow\b|\bcurrently\b|\btoday\b", re.I)
# A year this old is not "now" for a corpus written in 2022.
_PAST_BEFORE = 2018


def compatible_time(a: str, b: str) -> bool:
    """Figures from different times (1991 vs today) are not a disagreement."""
    years_a = {int(y) for y in _YEAR.findall(a)}
    years_b = {int(y) for y in _YEAR.findall(b)}
    if years_a and years_b:
        return any(abs(x - y) <= 1 for x in years_a for y in years_b)
    for years, other in ((years_a, b), (years_b, a)):
        if years and _PRESENT.search(other) and max(years) < _PAST_BEFORE:
            return False
    return True


def quantities(text: str) -> list[Quantity]:
    found = []
    for match in _QUANTITY.finditer(text):
        unit = _SAME_UNIT.get(match.group("unit"), match.group("unit"))
        found.append(Quantity(float(match.group("value").replace(",", "")), unit, match.group(0)))
    return found


def find_disagreement(
    best: EvidenceSentence,
    evidence: Sequence[EvidenceSentence],
    passages: Sequence[Passage],
    *,
    question: str,
    score_margin: float,
    min_lexical_share: float,
) -> Disagreement | None:
    """The strongest sentence from another article that contradicts `best` on a figure."""
    best_quantities = quantities(best.text)
    if not best_quantities or not compatible_time(question, best.text):
        return None
    best_source = passages[best.passage_index].source
    for candidate in evidence:
        if candidate.score < best.score - score_margin:
            break
        if passages[candidate.passage_index].source == best_source:
            continue
        if candidate.lexical < min_lexical_share * best.lexical:
            continue  # not about the same thing
        if not (compatible_time(best.text, candidate.text) and compatible_time(question, candidate.text)):
            continue
        conflict = _conflicting_unit(best_quantities, quantities(candidate.text))
        if conflict:
            unit, mine, theirs = conflict
            return Disagreement(best, candidate, unit, mine, theirs)
    return None


def _conflicting_unit(
    mine: Sequence[Quantity], theirs: Sequence[Quantity]
) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    for unit in dict.fromkeys(q.unit for q in mine):
        a = [q for q in mine if q.unit == unit]
        b = [q for q in theirs if q.unit == unit]
        if a and b and not any(_same(x.value, y.value) for x in a for y in b):
            return unit, tuple(q.text for q in a), tuple(q.text for q in b)
    return None


def _same(x: float, y: float) -> bool:
    return abs(x - y) <= _SAME_VALUE_TOLERANCE * max(abs(x), abs(y), 1e-9)
