"""The months a question names and the months a passage states, so that evidence about another time is
not taken for an answer ("in November 2022" is not answered by a March vote).

Written here because no library reads Chinese month expressions (11月, 十一月, ranges such as 1—5月, 年初);
the words come from [dates] in language.toml.
"""

from __future__ import annotations

import re

from chat_app.engine.resources import MonthWords

_DIGIT = r"(?<![\d.])(1[0-2]|0?[1-9])"


class MonthReader:
    def __init__(self, words: MonthWords):
        self._year_parts = words.year_parts
        # Longest numeral first: 十一月 before 一月.
        by_length = sorted(range(12), key=lambda i: -len(words.zh_months[i]))
        numerals = "|".join(re.escape(words.zh_months[i]) for i in by_length)
        self._zh_numeral = {name: i + 1 for i, name in enumerate(words.zh_months)}
        month = re.escape(words.month)
        not_after = "".join(map(re.escape, words.zh_not_after))
        # 十一月, but not 第一月; 三个月 counts months and names none.
        numeral_month = rf"(?<![{not_after}])({numerals}){month}" if not_after else rf"({numerals}){month}"
        self._zh_month = re.compile(rf"{_DIGIT}\s*{month}|{numeral_month}")
        marks = "|".join(map(re.escape, words.range_marks))
        self._zh_range = re.compile(rf"{_DIGIT}\s*{month}?\s*(?:{marks})\s*(1[0-2]|0?[1-9])\s*{month}")
        spelled = (n for spellings in words.en_months for n in sorted(spellings, key=len, reverse=True))
        names = "|".join(map(re.escape, spelled))
        before = "|".join(map(re.escape, sorted(words.en_month_before, key=len, reverse=True)))
        self._en_month = re.compile(
            rf"(?:\b(?:{before})\s+|\d\s*)(?P<a>{names})\b|\b(?P<b>{names})\.?\s*\d", re.IGNORECASE
        )
        self._en_number = {name: i + 1 for i, month in enumerate(words.en_months) for name in month}

    def named(self, text: str) -> frozenset[int]:
        """The months a question names, in Chinese or English."""
        found = set(self._chinese(text))
        for match in self._en_month.finditer(text):
            found.add(self._en_number[(match.group("a") or match.group("b")).lower()])
        return frozenset(found)

    def stated(self, text: str) -> frozenset[int]:
        """The months a Chinese passage states: by name, within a range (1—5月 states 3), or as a part of
        the year (年初)."""
        found = set(self._chinese(text))
        for match in self._zh_range.finditer(text):
            first, last = int(match.group(1)), int(match.group(2))
            if first <= last:
                found.update(range(first, last + 1))
        for part, months in self._year_parts.items():
            if part in text:
                found.update(months)
        return frozenset(found)

    def _chinese(self, text: str):
        for match in self._zh_month.finditer(text):
            yield int(match.group(1)) if match.group(1) else self._zh_numeral[match.group(2)]
