"""Real disagreements between articles: the same quantity, for the same subject and time, stated
with different figures (the border: 7,644 km in one article, 6,846 km in another).

Hand-written: comparing quantities is not something a retriever or LLM library offers. Figures are
compared only when each sits in a clause naming the subject the question asks about, in the same
unit, at compatible times (a 1991 share does not contradict today's), and not within rounding of
each other when either is hedged (约20% and 18.47%). Two articles that state one figure alike agree,
whatever other figures in that unit they add.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chat_app.engine.entities import EntityMatcher
from chat_app.engine.records import AnswerType, Question, RankedEvidence, ScoredSentence
from chat_app.engine.resources import Language, language
from chat_app.engine.text import normalize, present

_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")
_PAST_BEFORE = 2018  # a figure from before this is history, not the present, for articles of 2022
_EXACT_TOLERANCE = 0.02  # figures this close are the same figure, rounded differently
# … and this close when one is approximate (约20% vs 18.47% is 8%); 7,644 vs 6,846 km (10%) still differ.
_HEDGED_TOLERANCE = 0.08
_CANDIDATES = 6  # top sentences compared
_HEDGE_REACH = 4  # characters before a figure in which 约/不足 make it approximate


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    text: str
    hedged: bool
    clause: str  # the clause it is stated in (normalized)
    # countries/peoples its clause names that the question does not: 哈萨克族占约70% and 约20%的人口是
    # 俄罗斯族 are about different peoples, so they cannot contradict each other
    others: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Disagreement:
    first: ScoredSentence
    second: ScoredSentence
    first_figures: tuple[str, ...]  # what each states: figures, or reasons (see `about`)
    second_figures: tuple[str, ...]
    about: AnswerType = AnswerType.NUMBER  # the kind of answer they state differently

    def note(self, evidence: RankedEvidence) -> str:
        a, b = evidence.passage(self.first), evidence.passage(self.second)
        return (
            f"sources disagree: {a.source} says {'/'.join(self.first_figures)}, "
            f"{b.source} says {'/'.join(self.second_figures)}"
        )


class ConflictFinder:
    def __init__(self, words: Language | None = None, entities: EntityMatcher | None = None):
        self._words = words or language()
        self._entities = entities or EntityMatcher()
        units = "|".join(re.escape(u) for u in self._words.units)
        self._figure = re.compile(rf"(?P<value>\d+(?:[.,]\d+)*)\s*(?P<unit>{units})")
        # A clause ends at a break mark, but not at the comma inside "7,644".
        marks = re.escape(self._words.clause_breaks.replace(",", ""))
        self._breaks = re.compile(rf"[{marks}。！？]|,(?!\d{{3}})")

    def run(self, question: Question, evidence: RankedEvidence, *, min_probability: float) -> Disagreement | None:
        """The first pair of strong sentences from different articles that state the asked-about
        quantity differently; None when the articles agree or give one figure."""
        strong = [s for s in evidence.sentences[:_CANDIDATES] if s.probability >= min_probability]
        subject = _subject_terms(question)
        asked = frozenset(question.entities)
        for i, first in enumerate(strong):
            mine = self.figures(first.candidate.text, subject, asked)
            if not mine:
                continue
            for second in strong[i + 1 :]:
                if evidence.passage(second).source == evidence.passage(first).source:
                    continue
                theirs = self.figures(second.candidate.text, subject, asked)
                if self._share_a_figure(first.candidate.text, second.candidate.text):
                    continue
                clash = self._clash(mine, theirs, first.candidate.text, second.candidate.text)
                if clash:
                    return Disagreement(first, second, clash[0], clash[1])
        return None

    def figures(self, sentence: str, subject: Sequence, asked: frozenset[str] = frozenset()) -> list[Figure]:
        """Figures of `sentence` stated in a clause that names the subject asked about, each with the
        countries or peoples its clause names that the question does not."""
        text = sentence
        found = []
        for match in self._figure.finditer(text):
            clause = self._clause(text, match.start(), match.end())
            if subject and not any(present(term, clause) for term in subject):
                continue
            named = self._entities.named(clause)
            if asked and not asked.intersection(named):
                continue  # about someone the question does not ask about (中亚经济 for 俄罗斯经济)
            others = frozenset(name for name in named if name not in asked)
            unit = self._words.same_unit.get(match.group("unit"), match.group("unit"))
            if unit in self._words.time_units:
                continue  # a year count or a date, not a measured quantity
            before = text[max(0, match.start() - _HEDGE_REACH) : match.start()]
            after = text[match.end() : match.end() + 2]
            hedged = any(h in before or after.startswith(h) for h in self._words.hedges)
            value = float(match.group("value").replace(",", ""))
            found.append(Figure(value, unit, match.group(0), hedged, clause, others))
        return found

    def _clause(self, text: str, start: int, end: int) -> str:
        """The text from the previous clause break to the next, around a figure (normalized)."""
        before = [m.end() for m in self._breaks.finditer(text, 0, start)]
        after = self._breaks.search(text, end)
        return normalize(text[before[-1] if before else 0 : after.start() if after else len(text)])

    def _clash(self, mine: list[Figure], theirs: list[Figure], text_a: str, text_b: str):
        if not self._same_time(text_a, text_b):
            return None
        for unit in dict.fromkeys(f.unit for f in mine):
            # only figures about the same peoples are compared (see Figure.others)
            b = [y for y in theirs if y.unit == unit]
            a = [x for x in mine if x.unit == unit and any(x.others == y.others for y in b)]
            b = [y for y in b if any(x.others == y.others for x in a)]
            if a and b and not any(_same(x, y) for x in a for y in b):
                return tuple(f.text for f in a), tuple(f.text for f in b)
        return None

    def _share_a_figure(self, a: str, b: str) -> bool:
        """Both sentences state one figure alike (80% of oil exports through the pipeline), wherever it
        stands: they agree on it, and their other figures are other quantities (97% through Russian ports)."""
        theirs = self.figures(b, ())
        return any(x.unit == y.unit and x.value == y.value for x in self.figures(a, ()) for y in theirs)

    def _same_time(self, a: str, b: str) -> bool:
        years_a = {int(y) for y in _YEAR.findall(a)}
        years_b = {int(y) for y in _YEAR.findall(b)}
        if years_a and years_b:
            return bool(years_a & years_b)
        # One side dated in the past, the other not dated: articles of 2022 state the present without a
        # year ("约20%的人口是俄罗斯族"), so a 1991 figure is history beside it, not a contradiction.
        return not any(years and max(years) < _PAST_BEFORE for years in (years_a, years_b))


def _same(x: Figure, y: Figure) -> bool:
    tolerance = _HEDGED_TOLERANCE if (x.hedged or y.hedged) else _EXACT_TOLERANCE
    return abs(x.value - y.value) <= tolerance * max(abs(x.value), abs(y.value), 1e-9)


def _subject_terms(question: Question):
    """The question's most telling terms (what the figure must be about)."""
    known = [t for t in question.terms if t.known]
    known.sort(key=lambda t: -t.weight)
    return known[:2]
