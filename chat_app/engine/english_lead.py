"""The first line of an answer to an English question: the figure, date, name or place asked for,
stated in English ("More than 2,000 soldiers"), taken from the quote that answers it.

Hand-written: no library reads a figure with its Chinese scale, hedge and unit (2,000多名士兵,
192亿美元, 4月下旬) into English. Figures and dates keep their digits; names are shown the way the
glossary or CC-CEDICT writes them. When nothing can be stated this way the lead says plainly that the
sources are Chinese; the quotes always follow as the evidence.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from chat_app.engine.records import AnswerType, Question
from chat_app.engine.resources import RESOURCES_DIR, AskedKind, Language
from chat_app.engine.role_names import RoleNames
from index.jieba_dictionary import posseg
from ingest.chinese_text import HAN_CLASS

_FIGURE = re.compile(r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
_LATIN_NAME = re.compile(r"[（(]\s*([A-Z][A-Za-z'’.\-]+(?:\s+[A-Z][A-Za-z'’.\-]+)*)\s*[)）]")
_DESIGNATION_BEFORE = re.compile(r"[A-Za-z][)）]?[\s\-]?$")
_HAN_WORD = re.compile(f"[{HAN_CLASS}]{{2,}}")
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg"})
_PLACE_TAGS = frozenset({"ns", "nsf"})
_NOUN_TAGS = frozenset({"n", "nz", "nt"})  # common nouns, other proper nouns, organisations
_YEAR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


@dataclass(frozen=True)
class EnglishWords:
    hedges_before: dict[str, str]
    hedges_after: dict[str, str]
    scales: dict[str, int]
    classifiers: tuple[str, ...]
    units: dict[str, str]  # longest first
    not_units: tuple[str, ...]  # words that start with a unit: 人 in 人民 is not "people"
    count_questions: re.Pattern[str]  # "how many": a count is asked for
    not_counts: tuple[str, ...]  # kinds of figure that are never a count (money, a share)
    describes_person: re.Pattern[str]  # a who-is question asking what someone is, not for a name
    asks_year: re.Pattern[str]  # "what year": a date without its year does not answer it
    months: tuple[str, ...]
    year: str  # the date parts' characters, and the marks of a range (data: english.toml)
    month: str
    day: tuple[str, ...]
    range_marks: tuple[str, ...]
    part_of_month: dict[str, str]
    part_of_year: dict[str, str]
    messages: dict[str, str]


@cache
def english_words() -> EnglishWords:
    data = tomllib.loads((RESOURCES_DIR / "english.toml").read_text(encoding="utf-8"))

    def longest_first(table: dict) -> dict:
        return dict(sorted(table.items(), key=lambda item: -len(item[0])))

    return EnglishWords(
        hedges_before=longest_first(data["hedges_before"]),
        hedges_after=longest_first(data["hedges_after"]),
        scales=longest_first(data["scales"]),
        classifiers=tuple(data["classifiers"]),
        units=longest_first(data["units"]),
        not_units=tuple(data["not_units"]),
        count_questions=re.compile("|".join(rf"\b{re.escape(cue)}\b" for cue in data["count_questions"]) or "(?!)"),
        not_counts=tuple(data["not_counts"]),
        describes_person=re.compile(data["describes_person"]),
        asks_year=re.compile(data.get("asks_year", "(?!)")),
        months=tuple(data["dates"]["months"]),
        year=data["dates"]["year"],
        month=data["dates"]["month"],
        day=tuple(data["dates"]["day"]),
        range_marks=tuple(data["dates"]["range_marks"]),
        part_of_month=longest_first(data["dates"]["part_of_month"]),
        part_of_year=longest_first(data["dates"]["part_of_year"]),
        messages=dict(data["messages"]),
    )


@dataclass(frozen=True)
class _Found:
    text: str  # the English statement
    at: int  # where in the quote it was read
    source: str = ""  # the words it was read from


class EnglishLead:
    def __init__(self, *, name_of: Callable[[str], str | None], words: EnglishWords | None = None,
                 kinds: Language | None = None, countries: frozenset[str] = frozenset(),
                 role_names: RoleNames | None = None):  # fmt: skip
        """`name_of(chinese_word)` gives a word's English form (the glossary, then CC-CEDICT); `kinds`
        the kinds of figure a question may ask for (None: any figure answers); `countries` the names
        jieba tags as people but that never answer "who" (哈萨克斯坦 is tagged like a transliterated name);
        `role_names` finds who holds the role asked about (None: roles are not read)."""
        self._name_of = name_of
        self._role_names = role_names
        self._countries = countries
        self._kinds = kinds
        self._words = words or english_words()
        self._dates = _date_patterns(self._words)
        w = self._words
        self._date_part = re.compile(rf"^\s*(?:{'|'.join(map(re.escape, (w.month, *w.day)))})")  # 5月, 8日: dates
        self._range_start = re.compile(rf"^\s*(?:{'|'.join(map(re.escape, w.range_marks))})\s*\d")  # 1 in 1—5月

    @property
    def evidence_heading(self) -> str:
        return self._words.messages["evidence"]

    @property
    def chinese_only(self) -> str:
        return self._words.messages["chinese_only"]

    def statement(self, question: Question, quote: str) -> str | None:
        """The answer in English, read from `quote`, or None when it cannot be stated that way."""
        readers = {
            AnswerType.NUMBER: self._figures,
            AnswerType.DATE: self._dates_in,
            AnswerType.PERSON: self._people,
            AnswerType.PLACE: self._places,
        }
        read = readers.get(question.answer_type)
        if read is None or not self._asked_by_the_message(question):
            return None
        if question.answer_type == AnswerType.PERSON and self._words.describes_person.match(question.text.lower()):
            return None  # "who is Tokayev?" asks what he is; a name in the quote is not the answer
        asked = _asked_words(question)
        holder = self._role_holder(question, quote, asked)
        if holder is not None:
            return holder
        asked_lower = {a.lower() for a in asked}
        message = question.text.lower()
        # Repeating the question is no answer. A name with no English form ("") stays: it makes the
        # answer ambiguous (and "" is in every message).
        found = [f for f in read(quote) if f.text.lower() not in asked_lower and f.source.lower() not in asked_lower
                 and not (f.text and f.text.lower() in message)]  # fmt: skip
        if question.answer_type in (AnswerType.PERSON, AnswerType.PLACE) and len({f.source for f in found}) != 1:
            return None  # a name is stated only when the quote holds exactly one new one: never a guess
        if self._kinds is not None and question.answer_type == AnswerType.NUMBER:
            found = self._of_the_kind_asked(question, quote, found)
        if question.answer_type == AnswerType.DATE and self._words.asks_year.search(message):
            found = [f for f in found if _YEAR_DIGITS.search(f.text)]  # "5 June" does not say which year
        if any(not f.text for f in found):
            return None
        if not found:
            return None
        anchors = _anchors(question, quote)
        if not anchors and question.answer_type in (AnswerType.PERSON, AnswerType.PLACE):
            return None  # a quote sharing no word with the question names someone else
        # The figure nearest after the words of the question is the one it asks for (a sentence may
        # hold several; Chinese states the subject first: 俄罗斯族比例降至18.47%). Nearness counts
        # more by a rarer word: in "1936年哈萨克斯坦成为…。1991年从苏联独立" "become independent" is
        # answered next to 独立, not next to the country's name.
        best = min(found, key=lambda f: min((_distance(f.at, at) / weight for at, weight in anchors), default=0))
        return best.text[:1].upper() + best.text[1:]

    def _role_holder(self, question: Question, quote: str, asked: list[str]) -> str | None:
        """Who or what holds the role asked about, named right after its noun (国防部长魏凤和 for
        "China's defense minister"): that name answers although the quote names others too."""
        if self._role_names is None or not question.focus_nouns:
            return None
        if question.answer_type not in (AnswerType.PERSON, AnswerType.PLACE):
            return None
        name = self._role_names.holder(question.focus_nouns, quote, question.names_text)
        if name is None or name in asked or name in self._countries:
            return None
        english = self._name_of(name)
        return english if english and english[:1].isupper() and english.lower() not in question.text.lower() else None

    def _asked_by_the_message(self, question: Question) -> bool:
        """Whether the message itself asks first for the type the lead would state. A follow-up that
        asks nothing of that type ("did they discuss it?", "what's that money for") takes it from the
        earlier question, and a clause ("who was he talking to when …") is not what is asked."""
        if self._kinds is None:
            return True
        return self._kinds.english_question_type(question.text) == question.answer_type.value

    def _of_the_kind_asked(self, question: Question, quote: str, found: list[_Found]) -> list[_Found]:
        """Only figures of the kind asked for: "how many workers" is not answered by a share (12%),
        "how many projects" by a sum of money nor "how many flights" by tonnes; "how much money" only by money."""
        asked = self._kinds.asked_kind(question.text, question.answer_type.value)
        if asked is not None:
            return [f for f in found if _states(asked, quote, f)]
        if not self._words.count_questions.search(question.text.lower()):
            return found
        others = [kind for kind in self._kinds.asked_kinds if kind.name in self._words.not_counts]
        return [f for f in found if not any(_states(kind, quote, f) for kind in others)]

    # -- figures ----------------------------------------------------------------------------------
    def _figures(self, quote: str) -> Iterable[_Found]:
        for match in _FIGURE.finditer(quote):
            number, after = match.group("number"), quote[match.end() :]
            if self._date_part.match(after) or self._range_start.match(after) or self._year(number, after):
                continue
            before = quote[: match.start()]
            if _DESIGNATION_BEFORE.search(before):
                continue  # 空客（Airbus）A320 style: a model's designation, not an amount
            hedge = next((en for zh, en in self._words.hedges_before.items() if before.endswith(zh)), "")
            rest, scale = after, 1
            more, rest = self._hedge_after(rest)
            hedge = hedge or more
            for zh, factor in self._words.scales.items():
                if rest.startswith(zh):
                    scale, rest = factor, rest[len(zh) :]
                    break
            more, rest = self._hedge_after(rest)
            hedge = hedge or more
            amount = number if scale == 1 else _scaled(float(number.replace(",", "")) * scale)
            unit = self._unit(rest)
            if not unit and scale == 1:
                continue  # a bare number (a year, a table cell) says nothing on its own
            shown = f"{amount}{unit}" if unit.startswith("%") else f"{amount} {unit}".strip()
            yield _Found(f"{hedge} {shown}".strip(), match.start())

    def _year(self, number: str, after: str) -> bool:
        return bool(re.fullmatch(r"(?:1[89]|20)\d\d", number)) and after.startswith(self._words.year)

    def _hedge_after(self, text: str) -> tuple[str, str]:
        for zh, en in self._words.hedges_after.items():
            if text.startswith(zh):
                return en, text[len(zh) :]
        return "", text

    def _unit(self, text: str) -> str:
        for zh, en in self._words.units.items():
            if text.startswith(zh) and not any(len(w) > len(zh) and text.startswith(w) for w in self._words.not_units):
                return en
        for classifier in self._words.classifiers:
            if text.startswith(classifier):
                text = text[len(classifier) :]
                break
        word, tag = next(iter(posseg.cut(text[:8])), ("", ""))
        english = self._name_of(word) if tag.startswith("n") and _HAN_WORD.fullmatch(word) else None
        if not english or english[:1].isupper():
            return ""  # 3个德国的工厂 counts factories, not Germany: a name here is a modifier
        return _plural(english)  # the noun counted: 士兵 in 2,000多名士兵

    # -- dates ------------------------------------------------------------------------------------
    def _dates_in(self, quote: str) -> Iterable[_Found]:
        taken: list[range] = []
        for pattern, render in self._dates:
            for match in pattern.finditer(quote):
                if any(match.start() in span for span in taken):
                    continue  # 2022年1月5日 was read whole: its 1月5日 is not another date
                taken.append(range(match.start(), match.end()))
                yield _Found(render(match), match.start())

    # -- names ------------------------------------------------------------------------------------
    def _people(self, quote: str) -> Iterable[_Found]:
        latin = [_Found(m.group(1), m.start(), m.group(1)) for m in _LATIN_NAME.finditer(quote) if " " in m.group(1)]
        yield from latin or (f for f in self._tagged(quote, _NAME_TAGS) if f.source not in self._countries)

    def _places(self, quote: str) -> Iterable[_Found]:
        yield from self._tagged(quote, _NAME_TAGS | _PLACE_TAGS, modifiers_unstated=True)

    def _tagged(self, quote: str, tags: frozenset[str], *, modifiers_unstated: bool = False) -> Iterable[_Found]:
        """Names jieba tags in the quote, each with its English form ("" when it has none: jieba cuts
        unknown transliterations into pieces, and such a piece still makes the answer ambiguous).
        With `modifiers_unstated`, a name right before a noun is never stated (but still makes the
        answer ambiguous): Chinese puts the modifier first, so 罗马 in 罗马天主教 says which church, not
        where something happened."""
        at = 0
        cut = list(posseg.cut(quote))
        for i, (word, flag) in enumerate(cut):
            if flag in tags:
                modifier = modifiers_unstated and i + 1 < len(cut) and cut[i + 1].flag in _NOUN_TAGS
                english = self._name_of(word) if len(word) > 1 and not modifier else None
                yield _Found(english if english and english[:1].isupper() else "", at, word)
            at += len(word)


def _date_patterns(words: EnglishWords) -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    month_parts = "|".join(map(re.escape, words.part_of_month))
    year_parts = "|".join(re.escape(p[1:]) for p in words.part_of_year)  # 年初 → 初 after the year's 年

    def month(m: re.Match[str]) -> str:
        return words.months[int(m.group("month")) - 1]

    def part(m: re.Match[str], table: dict[str, str], key: str) -> str:
        shown = table.get(m.group(key) or "", "")
        return shown if shown.endswith("-") or not shown else shown + " "

    def month_day(m):
        return f"{int(m.group('day'))} {month(m)}"

    y, m = re.escape(words.year), re.escape(words.month)
    d = f"(?:{'|'.join(map(re.escape, words.day))})"
    return [
        (re.compile(rf"(?P<year>\d{{4}}){y}(?P<month>1[0-2]|0?[1-9]){m}(?P<day>[1-3]?\d){d}"),
         lambda m: f"{month_day(m)} {m.group('year')}"),
        (re.compile(rf"(?P<year>\d{{4}}){y}(?P<month>1[0-2]|0?[1-9]){m}(?P<part>{month_parts})?"),
         lambda m: f"{part(m, words.part_of_month, 'part')}{month(m)} {m.group('year')}"),
        (re.compile(rf"(?<!\d)(?P<month>1[0-2]|0?[1-9]){m}(?P<day>[1-3]?\d){d}"), month_day),
        (re.compile(rf"(?<!\d)(?P<month>1[0-2]|0?[1-9]){m}(?P<part>{month_parts})?"),
         lambda m: f"{part(m, words.part_of_month, 'part')}{month(m)}"),
        (re.compile(rf"(?P<year>(?:19|20)\d{{2}}){y}(?P<part>{year_parts})?"),
         lambda m: f"{part(m, {k[1:]: v for k, v in words.part_of_year.items()}, 'part')}{m.group('year')}"),
    ]  # fmt: skip


def _states(kind: AskedKind, quote: str, found: _Found) -> bool:
    """Whether the figure read at `found.at` is stated as `kind` (its digits, scale and unit)."""
    match = kind.evidence.search(quote, found.at)
    return match is not None and match.start() == found.at


def _anchors(question: Question, quote: str) -> list[tuple[int, float]]:
    """Where the question's words occur in the quote, each with its term's weight (rarer: heavier)."""
    return [
        (m.start(), max(term.weight, 1e-3))
        for term in question.terms
        for word in term.alternatives
        if word
        for m in re.finditer(re.escape(word), quote)
    ]


def _asked_words(question: Question) -> list[str]:
    """The question's own words in the quote's language: what the answer is *not* (it is new)."""
    return [alternative for term in question.terms for alternative in term.alternatives if alternative]


def _distance(found_at: int, anchor: int) -> int:
    return found_at - anchor if found_at >= anchor else 2 * (anchor - found_at)


def _scaled(value: float) -> str:
    for size, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{value / size:.4g} {name}"
    return f"{value:,.0f}"


def _plural(noun: str) -> str:
    if " " in noun or noun.endswith("s") or not noun.islower():
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
