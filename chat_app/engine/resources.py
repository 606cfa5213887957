"""The engine's word lists and entity catalog, read from the TOML data files next to this module.

Kept as data so that no corpus or question vocabulary lives in code: `language.toml` holds general
question vocabulary (answer-type cues, follow-up cues, connectives, messages), `entities.toml` the
countries, blocs and leaders of this corpus with their aliases.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent / "resources"


@dataclass(frozen=True)
class AnswerTypeCues:
    name: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    evidence: re.Pattern[str] | None  # what a sentence holding this kind of answer contains

    def matches_question(self, text: str) -> bool:
        lowered = text.lower()
        if any(cue in text for cue in self.zh):
            return True
        return any(re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", lowered) for cue in self.en)

    def english_cues(self, text: str) -> list[tuple[int, str]]:
        """(where it starts, the cue) for each English cue of this type in lower-cased `text`."""
        return [(m.start(), cue) for cue in self.en for m in re.finditer(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", text)]


@dataclass(frozen=True)
class MonthWords:
    """How months are written ([dates] in language.toml): read by chat_app.engine.months."""

    zh_months: tuple[str, ...]  # 一 … 十二, January first
    month: str  # 月
    zh_not_after: tuple[str, ...]  # 第 in 第一月: a numeral month after one names no month
    en_months: tuple[tuple[str, ...], ...]  # each month's English names, January first
    en_month_before: frozenset[str]  # "in", "since": the month name after one names a month
    range_marks: tuple[str, ...]  # 1—5月
    year_parts: dict[str, tuple[int, ...]]  # 年初 → (1,)


@dataclass(frozen=True)
class Language:
    answer_types: tuple[AnswerTypeCues, ...]  # in the order they are tried
    en_figure_nouns: tuple[str, ...]  # measures an English question with no other cue asks a figure of
    zh_scaffold: frozenset[str]
    en_scaffold: frozenset[str]
    zh_focus_after: tuple[str, ...]
    zh_focus_before: tuple[str, ...]
    en_focus_after: tuple[str, ...]
    en_focus_after_phrases: tuple[str, ...]
    en_possessive_focus: re.Pattern[str]
    en_name_asking: re.Pattern[str]
    zh_focus_skip: frozenset[str]
    zh_part_openers: tuple[str, ...]
    en_part_openers: tuple[str, ...]
    zh_subject_prefixes: tuple[str, ...]
    zh_subject_suffixes: tuple[str, ...]
    zh_ellipsis_particle: str
    zh_pointers: frozenset[str]
    zh_restrictive: tuple[str, ...]  # demonstratives that point within the message after a naming word
    topic_switches: tuple[str, ...]  # 换个话题 / "by the way": what follows is a new question
    preambles: tuple[str, ...]  # 请问 / "quick question": framing, not part of what is asked
    present_times: tuple[str, ...]  # 现在 / "now": an earlier question's time, replaced by a follow-up's own
    own_times: tuple[str, ...]  # 那会儿 / 当时 / "back then": a follow-up naming a time of its own
    zh_openers: tuple[str, ...]
    zh_relational: frozenset[str]
    en_relational: frozenset[str]
    zh_synonyms: dict[str, tuple[str, ...]]  # everyday word → written words (synonyms.toml)
    zh_ellipsis_endings: tuple[str, ...]
    en_pointers: frozenset[str]
    zh_person_pronouns: tuple[str, ...]  # 他/她: after a who-question, the person its answer names
    en_person_pronouns: tuple[str, ...]
    zh_who_is_links: tuple[str, ...]  # 是 in 马西莫夫是谁: what links a name to the who-cue
    en_who_is_words: frozenset[str]  # "who", "is" in "Who is Massimov?"
    person_titles: tuple[str, ...]  # 外长 in 外长特列乌别尔季: a name follows
    en_openers: tuple[str, ...]
    en_clause_cues: frozenset[str]  # cues that, inside a sentence, open a clause rather than ask ("… when he said it")
    en_clause_joins: frozenset[str]  # words after which such a cue starts a new ask ("and when")
    en_impersonal_it: frozenset[str]  # "is it raining": this "it" points at nothing earlier
    en_it_links: frozenset[str]  # words that may stand between "it" and such a word ("it is still raining")
    leading_connectives: tuple[str, ...]  # longest first
    enumeration_openers: tuple[str, ...]  # 首先 / 其次: a sentence opening the next item of a list
    former_prefixes: frozenset[str]  # 前 in 前首都: the noun as it was, not as it is
    past_cues: tuple[str, ...]  # a question with one of these asks about the past itself
    clause_breaks: str
    messages: dict[str, str]
    zh_all_rows: tuple[str, ...]
    en_all_rows: tuple[str, ...]
    units: tuple[str, ...]  # longest first
    same_unit: dict[str, str]
    hedges: tuple[str, ...]
    reason_frames: tuple[re.Pattern[str], ...]  # how a sentence states why something was done
    scales: dict[str, int]
    month_suffix: str
    time_units: tuple[str, ...]
    measure_words: tuple[str, ...]  # 吨 in 多少吨: the measure a number question asks in
    how_many: tuple[str, ...]  # 多少 / 几 before a measure word
    which_ones: tuple[str, ...]  # 哪几: asks which ones, not how many
    figure_before_measure: str  # a regex: a figure as written before its measure word
    counted_noun: re.Pattern[str] | None  # 多少个民族: the noun (and measure word) a how-many question counts
    llm_refusal: re.Pattern[str]
    zh_not_asking: dict[str, str] = field(default_factory=dict)  # 那几 → 那些: "a few", not "how many"
    asked_kinds: tuple[AskedKind, ...] = ()  # in the order they are tried
    totals: TotalCues | None = None  # a question asking for a whole amount, and a sentence giving only part of one
    dates: MonthWords | None = None  # how months are named
    confirmation_tags: tuple[str, ...] = ()  # 对吧 / "right?": the question asks to confirm what it states

    def confirms(self, text: str) -> bool:
        """Whether a question asks to confirm what it states ("…在美国留学，对吧？", "…in March, right?")."""
        ending = text.rstrip(" ？?。.！!~～…").lower()
        for tag in self.confirmation_tags:
            if ending.endswith(tag) and (not tag[0].isascii() or not ending[: -len(tag)][-1:].isalpha()):
                return True
        return False

    def asked_kind(self, text: str, answer_type: str) -> AskedKind | None:
        """The first kind of figure or name `text` (as asked) asks for, if any."""
        return next((kind for kind in self.asked_kinds if kind.asked_by(text, answer_type)), None)

    def counted(self, text: str) -> re.Pattern[str] | None:
        """How a sentence states the count a how-many question asks of a noun (多少个民族: 140个民族), or
        None when it asks for none."""
        found = self.counted_noun.search(text) if self.counted_noun is not None else None
        if found is None:
            return None
        measure = re.escape(found.group("measure") or "")
        return re.compile(rf"{self.figure_before_measure}\s*{measure}?\s*{re.escape(found.group('noun'))}")

    def as_asked(self, text: str) -> str:
        """`text` with words that only look like question words (那几天) read as what they mean."""
        for phrase, meaning in self.zh_not_asking.items():
            text = text.replace(phrase, meaning)
        return text

    @property
    def part_separator(self) -> re.Pattern[str]:
        """Where a compound question's next ask starts: ？/；, or a comma before a part opener."""
        zh = "|".join(map(re.escape, self.zh_part_openers))
        en = "|".join(map(re.escape, self.en_part_openers))
        return re.compile(rf"[？?；;]+|，(?={zh})|(?<![a-z])(?:{en})(?![a-z])")

    def english_question_type(self, text: str) -> str | None:
        """The answer type an English question asks first: "who was he talking to when he said it"
        asks who (the type whose cue comes earliest; at the same place, the one tried first)."""
        lowered = text.lower()
        starts = [(at, order, cues.name) for order, cues in enumerate(self.answer_types)
                  for at, cue in cues.english_cues(lowered) if self._asks_at(lowered, at, cue)]  # fmt: skip
        return min(starts)[2] if starts else None

    def _asks_at(self, text: str, at: int, cue: str) -> bool:
        """A clause word ("when", "where") asks only where a question or an ask starts: "what was said
        when they met" asks what, "…, and when did they meet" asks when."""
        if cue not in self.en_clause_cues:
            return True
        before = text[:at].rstrip()
        return not before or before[-1] in ",;:?.!" or before.rsplit(None, 1)[-1] in self.en_clause_joins

    def cues(self, name: str) -> AnswerTypeCues:
        return next(cues for cues in self.answer_types if cues.name == name)

    def evidence_for(self, name: str) -> re.Pattern[str] | None:
        """How a sentence holding an answer of type `name` shows it; None for a type with no cues ("other")."""
        return next((cues.evidence for cues in self.answer_types if cues.name == name), None)


@dataclass(frozen=True)
class AskedKind:
    """A kind of figure or name a question asks for (money, a head count, a name) and how a
    sentence states one."""

    name: str
    question: re.Pattern[str]
    evidence: re.Pattern[str]
    answer_types: tuple[str, ...]  # only questions of these answer types ask it (empty: any)

    def asked_by(self, text: str, answer_type: str) -> bool:
        if self.answer_types and answer_type not in self.answer_types:
            return False
        return self.question.search(text.lower()) is not None


@dataclass(frozen=True)
class TotalCues:
    """A whole amount asked for (总共, 全年, "in total") and a sentence stating its figure only as a change
    (增加了4,410亿) or over part of the period (1—5月), not as a whole (总额, 全年, 累计)."""

    question: re.Pattern[str]
    partial: re.Pattern[str]
    whole: re.Pattern[str]

    def asked_by(self, text: str) -> bool:
        return self.question.search(text.lower()) is not None

    def only_part(self, sentence: str) -> bool:
        return self.partial.search(sentence) is not None and self.whole.search(sentence) is None


@dataclass(frozen=True)
class Entity:
    name: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    mask: tuple[str, ...] = ()  # longer names containing an alias ("白俄罗斯" holds "俄罗斯")
    en_cased: tuple[str, ...] = ()  # English aliases that are names only as written ("US", not "us")
    en_name: str = ""  # the first English alias listed: how an English question writes it
    group: str = ""  # peers ("central_asia"): a follow-up swaps a peer for a peer (那吉尔吉斯斯坦呢)
    # People among the aliases, each as its ways of writing the name (["托卡耶夫", "tokayev"])
    people: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class EntityCatalog:
    entities: tuple[Entity, ...]
    ignored: frozenset[str]

    def by_name(self, name: str) -> Entity:
        return next(e for e in self.entities if e.name == name)


def _synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    if not path.is_file():
        return {}
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("zh", {})
    return {word: tuple(written) for word, written in table.items()}


@cache
def language(path: Path = RESOURCES_DIR / "language.toml") -> Language:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    types = data["answer_types"]
    cues = tuple(
        AnswerTypeCues(
            name=name,
            zh=tuple(types[name]["zh"]),
            en=tuple(cue.lower() for cue in types[name]["en"]),
            evidence=re.compile(types[name]["evidence"]) if types[name].get("evidence") else None,
        )
        for name in types["order"]
    )
    question, followup, composition = data["question"], data["followup"], data["composition"]
    return Language(
        answer_types=cues,
        en_figure_nouns=tuple(types.get("en_figure_nouns", ())),
        zh_scaffold=frozenset(question["zh_scaffold"]),
        en_scaffold=frozenset(question["en_scaffold"]),
        zh_focus_after=tuple(sorted(question["zh_focus_after"], key=len, reverse=True)),
        zh_focus_before=tuple(sorted(question["zh_focus_before"], key=len, reverse=True)),
        en_focus_after=tuple(question["en_focus_after"]),
        en_focus_after_phrases=tuple(question["en_focus_after_phrases"]),
        en_possessive_focus=re.compile(question["en_possessive_focus"]),
        en_name_asking=re.compile(question["en_name_asking"]),
        zh_focus_skip=frozenset(question["zh_focus_skip"]),
        zh_part_openers=tuple(question["zh_part_openers"]),
        en_part_openers=tuple(question["en_part_openers"]),
        zh_subject_prefixes=tuple(sorted(followup["zh_subject_prefixes"], key=len, reverse=True)),
        zh_subject_suffixes=tuple(followup["zh_subject_suffixes"]),
        zh_ellipsis_particle=followup["zh_ellipsis_particle"],
        zh_pointers=frozenset(followup["zh_pointers"]),
        zh_restrictive=tuple(followup.get("zh_restrictive", ())),
        topic_switches=tuple(sorted(followup.get("topic_switches", ()), key=len, reverse=True)),
        preambles=tuple(sorted(followup.get("preambles", ()), key=len, reverse=True)),
        present_times=tuple(sorted(followup.get("present_times", ()), key=len, reverse=True)),
        own_times=tuple(sorted(followup.get("own_times", ()), key=len, reverse=True)),
        zh_openers=tuple(sorted(followup["zh_openers"], key=len, reverse=True)),
        zh_relational=frozenset(followup["zh_relational"]),
        en_relational=frozenset(followup["en_relational"]),
        zh_synonyms=_synonyms(path.parent / "synonyms.toml"),
        zh_ellipsis_endings=tuple(followup["zh_ellipsis_endings"]),
        en_pointers=frozenset(followup["en_pointers"]),
        zh_person_pronouns=tuple(followup.get("zh_person_pronouns", ())),
        en_person_pronouns=tuple(followup.get("en_person_pronouns", ())),
        zh_who_is_links=tuple(sorted(followup.get("zh_who_is_links", ()), key=len, reverse=True)),
        en_who_is_words=frozenset(followup.get("en_who_is_words", ())),
        person_titles=tuple(sorted(followup.get("person_titles", ()), key=len, reverse=True)),
        en_openers=tuple(sorted(followup["en_openers"], key=len, reverse=True)),
        en_clause_cues=frozenset(question["en_clause_cues"]),
        en_clause_joins=frozenset(question["en_clause_joins"]),
        en_impersonal_it=frozenset(followup.get("en_impersonal_it", ())),
        en_it_links=frozenset(followup.get("en_it_links", ())),
        leading_connectives=tuple(sorted(composition["leading_connectives"], key=len, reverse=True)),
        clause_breaks=composition["clause_breaks"],
        enumeration_openers=tuple(composition.get("enumeration_openers", ())),
        former_prefixes=frozenset(composition["former_prefixes"]),
        past_cues=tuple(cue.lower() for cue in composition["past_cues"]),
        messages=dict(data["messages"]),
        zh_all_rows=tuple(data["tables"]["zh_all_rows"]),
        en_all_rows=tuple(data["tables"]["en_all_rows"]),
        units=tuple(sorted(data["conflicts"]["units"], key=len, reverse=True)),
        same_unit=dict(data["conflicts"]["same_unit"]),
        hedges=tuple(data["conflicts"]["hedges"]),
        reason_frames=tuple(re.compile(frame) for frame in data["conflicts"].get("reason_frames", ())),
        scales=dict(data["numbers"]["scales"]),
        month_suffix=data["numbers"]["month_suffix"],
        time_units=tuple(data["numbers"]["time_units"]),
        measure_words=tuple(data["numbers"]["measure_words"]),
        how_many=tuple(data["numbers"]["how_many"]),
        which_ones=tuple(data["numbers"].get("which_ones", ())),
        figure_before_measure=data["numbers"]["figure_before_measure"],
        counted_noun=re.compile(data["numbers"]["counted_noun"]) if data["numbers"].get("counted_noun") else None,
        llm_refusal=re.compile(data["llm"]["refusal_pattern"], re.IGNORECASE),
        zh_not_asking=dict(question.get("zh_not_asking", {})),
        asked_kinds=_asked_kinds(data.get("asked_kinds", {}), data["numbers"]["figure_before_measure"]),
        totals=_totals(data.get("totals")),
        dates=_month_words(data.get("dates")),
        confirmation_tags=tuple(question.get("confirmation_tags", ())),
    )


def _month_words(table: dict | None) -> MonthWords | None:
    if not table:
        return None
    return MonthWords(
        zh_months=tuple(table["zh_months"]),
        month=table["month"],
        zh_not_after=tuple(table.get("zh_not_after", ())),
        en_months=tuple(tuple(names) for names in table["en_months"]),
        en_month_before=frozenset(table["en_month_before"]),
        range_marks=tuple(table["range_marks"]),
        year_parts={part: tuple(months) for part, months in table.get("year_parts", {}).items()},
    )


def _totals(table: dict | None) -> TotalCues | None:
    if not table:
        return None
    return TotalCues(re.compile(table["question"]), re.compile(table["partial"]), re.compile(table["whole"]))


def _asked_kinds(table: dict, figure: str) -> tuple[AskedKind, ...]:
    return tuple(
        AskedKind(
            name=name,
            question=re.compile(table[name]["question"]),
            evidence=re.compile(table[name]["evidence"].replace("{figure}", figure)),
            answer_types=tuple(table[name].get("answer_types", ())),
        )
        for name in table.get("order", ())
    )


@cache
def entity_catalog(path: Path = RESOURCES_DIR / "entities.toml") -> EntityCatalog:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entities = tuple(
        Entity(
            name=row["name"],
            zh=tuple(sorted(row.get("zh", []), key=len, reverse=True)),
            en=tuple(sorted((a.lower() for a in row.get("en", [])), key=len, reverse=True)),
            mask=tuple(row.get("mask", [])),
            en_cased=tuple(row.get("en_cased", [])),
            en_name=next(iter(row.get("en", [])), ""),
            group=row.get("group", ""),
            people=tuple(tuple(alias.lower() for alias in person) for person in row.get("people", [])),
        )
        for row in data["entity"]
    )
    return EntityCatalog(entities=entities, ignored=frozenset(data.get("ignore", [])))
