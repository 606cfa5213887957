"""Two articles reporting one event with different reasons: the court that halted the pipeline for 30
days did so over a technical problem in one article, over environmental rules in another.

Hand-written, like the figure comparison in conflicts.py: no retriever or LLM library compares what two
sources say. Only a why-question is checked, and only its best sentence against sentences of other
articles: both must state a reason in one of language.toml's reason frames (以…为由, 因…而), both must
name the same detail (a figure such as 30天, which ties them to one event rather than two actions of one
actor), and the reasons must share no wording.
"""

from __future__ import annotations

import re

from chat_app.engine.conflicts import Disagreement
from chat_app.engine.records import AnswerType, Question, RankedEvidence
from chat_app.engine.resources import Language, language
from chat_app.engine.text import normalize
from ingest.chinese_text import bigram_set

_REACH = 10  # ranked sentences searched for the other article's account
# A figure of two or more digits with the character after it (30天, 80%), not a year: dates and small
# counts recur across unrelated events (7月, 2个), a year most of all.
_DETAIL = re.compile(r"(?<![\d.,])(\d{2,}(?:[.,]\d+)?)(?![\d.,])(\D?)")
_YEAR = re.compile(r"(?:1[89]|20)\d{2}")


class ReasonConflictFinder:
    def __init__(self, words: Language | None = None):
        self._frames = (words or language()).reason_frames

    def run(self, question: Question, evidence: RankedEvidence) -> Disagreement | None:
        """The best sentence and another article's sentence giving a different reason for the same
        event; None when the question does not ask why, or no other article reports the event differently."""
        if question.answer_type != AnswerType.REASON or not evidence.sentences:
            return None
        first = evidence.sentences[0]
        mine = self.reasons(first.candidate.text)
        details = _details(first.candidate.text)
        if not mine or not details:
            return None
        source = evidence.passage(first).source
        for second in evidence.sentences[1:_REACH]:
            if evidence.passage(second).source == source or not details & _details(second.candidate.text):
                continue
            theirs = self.reasons(second.candidate.text)
            if theirs and not _share_wording(mine, theirs):
                return Disagreement(first, second, mine, theirs, about=AnswerType.REASON)
        return None

    def reasons(self, sentence: str) -> tuple[str, ...]:
        """The reasons `sentence` states in a reason frame, in order."""
        found = [m.group("reason") for frame in self._frames for m in frame.finditer(sentence)]
        return tuple(dict.fromkeys(found))


def _details(sentence: str) -> frozenset[str]:
    text = normalize(sentence)
    return frozenset(m.group(0) for m in _DETAIL.finditer(text) if not _YEAR.fullmatch(m.group(1)))


def _share_wording(mine: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    return any(bigram_set(normalize(a)) & bigram_set(normalize(b)) for a in mine for b in theirs)
