"""Whether an English answer's first line (its headline: "As much as 19.2 billion US dollars [1]")
states the figure or date the gold keywords hold (192亿, 7月8日).

The pass rate cannot see this: it looks for the Chinese keywords, which the quotes below the headline
hold whether the headline is right or not. A wrong headline is the one thing an English reader
takes away, so it is measured on its own. Hand-written: it compares values, not text, across two
ways of writing numbers and dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chat_app.evaluation.metrics import normalize_for_match

_HEADLINE = re.compile(r"^(?P<text>[^\n]*?\S)\s*(?:\[\d+\])+\s*$")
_EN_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*(trillion|billion|million|thousand))?")
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ZH_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_ZH_SCALES = {"千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")  # fmt: skip
_EN_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(_MONTHS)})\b")
_EN_MONTH = re.compile(rf"\b({'|'.join(_MONTHS)})\b")
_ZH_DAY_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])月(\d{1,2})[日号]")
_ZH_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])月")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SAME = 0.005  # values this close are the same figure, rounded differently (19.2 billion vs 192亿)


def headline(answer_text: str) -> str | None:
    """The cited first line of an answer with more lines after it; None when there is none."""
    first, _, rest = answer_text.partition("\n")
    match = _HEADLINE.match(first)
    return match.group("text") if match and rest.strip() else None


def headline_agrees(text: str, keyword_groups: Sequence[Sequence[str]]) -> bool | None:
    """True when the headline states a value some keyword holds, False when it states values and
    none is a keyword's; None when there is nothing to compare (no value on either side)."""
    stated = _values(normalize_for_match(text), english=True)
    wanted = set().union(*(_values(normalize_for_match(k), english=False) for g in keyword_groups for k in g))
    if not stated or not wanted:
        return None
    return any(_same(a, b) for a in stated for b in wanted)


def _values(text: str, *, english: bool) -> set[tuple[str, float]]:
    """(kind, value) pairs: dates as ("day", month*100+day) / ("month", m) / ("year", y), other
    figures as ("number", value) with their scale applied."""
    values: set[tuple[str, float]] = set()
    day_month, month = (_EN_DAY_MONTH, _EN_MONTH) if english else (_ZH_DAY_MONTH, _ZH_MONTH)
    for match in day_month.finditer(text):
        day, name = (match.group(1), match.group(2)) if english else (match.group(2), match.group(1))
        values.add(("day", _month_number(name) * 100 + int(day)))
    text = day_month.sub(" ", text)
    for match in month.finditer(text):
        values.add(("month", _month_number(match.group(1))))
    text = month.sub(" ", text)
    for match in _YEAR.finditer(text):
        values.add(("year", float(match.group(1))))
    text = _YEAR.sub(" ", text)
    numbers, scales = (_EN_NUMBER, _EN_SCALES) if english else (_ZH_NUMBER, _ZH_SCALES)
    for match in numbers.finditer(text):
        values.add(("number", float(match.group(1)) * scales.get(match.group(2) or "", 1.0)))
    return values


def _month_number(name: str) -> int:
    return _MONTHS.index(name) + 1 if name in _MONTHS else int(name)


def _same(a: tuple[str, float], b: tuple[str, float]) -> bool:
    if a[0] != b[0]:
        return False
    return a[1] == b[1] or (a[0] == "number" and abs(a[1] - b[1]) <= _SAME * max(abs(a[1]), abs(b[1])))
