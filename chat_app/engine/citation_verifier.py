"""Check every citation marker of a generated answer against the passages it points to.

Marker convention, shared with the extractive answerer: one group of "[n]" markers per sentence,
right after the sentence's end punctuation ("…公里。[1][2]"), numbered 1..n in order of first use.
The input may use [1][2], [1, 2], [1-3] or 【1】, at the end or in the middle of a sentence; the
numbers there are 1-based positions in the passage list given to the LLM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from chat_app.answer_wording import MARKER_PATTERN, format_marker
from chat_app.engine.resources import language
from chat_app.engine.support import SUPPORT_THRESHOLD, SupportScorer
from index.passage import Passage
from ingest.sentences import Span, split_sentences

_MAX_RANGE = 20  # "[1-3]" lists its passages; a wider "range" is a typo, read as its two ends
_MIN_SEGMENT_CHARS = 6  # a clause shorter than this ("托卡耶夫[1]表示…") is checked as the whole sentence
_EXCERPT_CHARS = 30

_RANGE_OR_NUMBER = re.compile(r"(\d+)(?:\s*[-–~]\s*(\d+))?")
_SPACE_BEFORE = re.compile(r"[ \t\u3000]+$")
_WORD_CHAR = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")  # Han characters count as letters
# Statements about what the passages lack: true of no passage, so they need no citation.
_REFUSAL = language().llm_refusal


@dataclass(frozen=True)
class CitedSpan:
    passage_index: int  # index into the passages list given to the verifier (0-based)
    quote_start: int  # offsets within passages[passage_index].text of the supporting sentence(s)
    quote_end: int
    score: float  # support of the sentence (or its marked clause) by the quoted span


@dataclass(frozen=True)
class VerifiedAnswer:
    text: str  # markers renumbered 1..n in order of first use; at most one marker group per sentence end
    citations: list[CitedSpan]  # citation id n ↔ citations[n-1]
    notes: list[str]
    unsupported_sentences: list[str]


@dataclass(frozen=True)
class _Group:
    """One marker group as written: its 1-based numbers and where it stood in the marker-free text."""

    numbers: tuple[int, ...]
    position: int


@dataclass
class _Sentence:
    span: Span
    groups: list[_Group] = field(default_factory=list)


def verify_citations(
    answer_text: str, passages: Sequence[Passage], scorer: SupportScorer, *, threshold: float = SUPPORT_THRESHOLD
) -> VerifiedAnswer:
    text, groups = _strip_groups(answer_text)
    sentences = [_Sentence(span) for span in split_sentences(text)]
    for group in groups if sentences else []:
        _owner(sentences, group.position).groups.append(group)
    checker = _Checker(text, passages, scorer, threshold)
    refusal = (
        bool(sentences)
        and _is_refusal(text, sentences[0].span)
        and not any(1 <= n <= len(passages) for g in groups for n in g.numbers)
    )
    pieces, cursor = [], 0
    for sentence in sentences:
        needs_citation = not refusal and _states_a_fact(text, sentence.span)
        ids = checker.check(sentence, needs_citation=needs_citation)
        pieces += [text[cursor : sentence.span.end], format_marker(ids)]
        cursor = sentence.span.end
    pieces.append(text[cursor:])
    return VerifiedAnswer(
        text="".join(pieces).strip(),
        citations=checker.citations,
        notes=list(dict.fromkeys(checker.notes)),
        unsupported_sentences=checker.unsupported,
    )


class _Checker:
    """Decides each sentence's citations and numbers them across the answer."""

    def __init__(self, text: str, passages: Sequence[Passage], scorer: SupportScorer, threshold: float) -> None:
        self._text = text
        self._passages = passages
        self._scorer = scorer
        self._threshold = threshold
        self._ids: dict[tuple[int, int, int], int] = {}
        self.citations: list[CitedSpan] = []
        self.notes: list[str] = []
        self.unsupported: list[str] = []

    def check(self, sentence: _Sentence, *, needs_citation: bool) -> list[int]:
        """Citation ids for the sentence, after dropping, replacing or adding passages."""
        sentence_text = self._text[sentence.span.start : sentence.span.end]
        excerpt = _excerpt(sentence_text)
        claims_of = self._claims(sentence)  # passage number → the texts its markers vouch for
        for number in [n for n in claims_of if not 1 <= n <= len(self._passages)]:
            self.notes.append(f"marker [{number}] pointed to no passage and was removed")
            del claims_of[number]
        scores = self._scores({sentence_text, *(c for claims in claims_of.values() for c in claims)})
        kept: dict[int, str] = {}  # 0-based passage index → the claim text it supports best
        for number, claims in claims_of.items():
            claim = max(claims, key=lambda c: scores[c][number - 1])
            if scores[claim][number - 1] >= self._threshold:
                kept.setdefault(number - 1, claim)
                continue
            score, claim, best = max((scores[c][i], c, i) for c in claims for i in range(len(self._passages)))
            if score >= self._threshold and best + 1 not in claims_of:
                kept.setdefault(best, claim)
                self.notes.append(
                    f"marker [{number}] does not support {excerpt} and was replaced by passage {best + 1}"
                )
            else:
                self.notes.append(f"marker [{number}] does not support {excerpt} and was removed")
        if needs_citation and not claims_of and self._passages:
            score, best = max((score, i) for i, score in enumerate(scores[sentence_text]))
            if score >= self._threshold:
                kept[best] = sentence_text
                self.notes.append(f"{excerpt} cited no passage; passage {best + 1} supports it and was cited")
        if needs_citation and not kept:
            self.unsupported.append(sentence_text)
            self.notes.append(f"sentence {excerpt} is not supported by any passage")
        return sorted(self._cite(index, claim) for index, claim in kept.items())

    def _claims(self, sentence: _Sentence) -> dict[int, list[str]]:
        """What each cited passage must support: the sentence, or for a marker inside it the clause it ends.

        "A称X[1]，而B称Y[2]。" cites [1] for "A称X" and [2] for "，而B称Y": each passage may state only its part.
        """
        start, end = sentence.span.start, sentence.span.end
        whole = self._text[start:end]
        inside = {
            g.position
            for g in sentence.groups
            if start < g.position and _WORD_CHAR.search(self._text[g.position : end])
        }
        bounds = [start, *sorted(inside), end]
        claims: dict[int, list[str]] = {}
        for group in sentence.groups:
            clause_end = group.position if group.position in inside else end
            clause = self._text[bounds[bounds.index(clause_end) - 1] : clause_end]
            for number in group.numbers:
                texts = claims.setdefault(number, [whole])
                if len(_WORD_CHAR.findall(clause)) >= _MIN_SEGMENT_CHARS and clause not in texts:
                    texts.append(clause)
        return claims

    def _scores(self, claims: set[str]) -> dict[str, list[float]]:
        texts = [p.text for p in self._passages]
        return {claim: self._scorer.support_many(claim, texts) for claim in claims}

    def _cite(self, index: int, claim: str) -> int:
        start, end, score = self._scorer.best_span(claim, self._passages[index].text)
        key = (index, start, end)
        if key not in self._ids:
            self._ids[key] = len(self._ids) + 1
            self.citations.append(CitedSpan(index, start, end, score))
        return self._ids[key]


def _strip_groups(answer_text: str) -> tuple[str, list[_Group]]:
    """The answer without markers, and each marker group with its position in that text."""
    pieces: list[str] = []
    groups: list[_Group] = []
    length = cursor = 0
    for match in MARKER_PATTERN.finditer(answer_text):
        before = _SPACE_BEFORE.sub("", answer_text[cursor : match.start()])  # "km [1]." → "km."
        pieces.append(before)
        length += len(before)
        groups.append(_Group(_numbers(match.group()), length))
        cursor = match.end()
    pieces.append(answer_text[cursor:])
    return "".join(pieces), groups


def _numbers(marker: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for first, last in _RANGE_OR_NUMBER.findall(marker):
        low, high = int(first), int(last or first)
        numbers += range(low, high + 1) if 0 <= high - low < _MAX_RANGE else (low, high)
    return tuple(dict.fromkeys(numbers))


def _owner(sentences: list[_Sentence], position: int) -> _Sentence:
    """Markers belong to the sentence before them: the last one starting before the marker."""
    owner = sentences[0]
    for sentence in sentences:
        if sentence.span.start >= position:
            break
        owner = sentence
    return owner


def _is_refusal(text: str, span: Span) -> bool:
    return bool(_REFUSAL.search(text[span.start : span.end]))


def _states_a_fact(text: str, span: Span) -> bool:
    """False for what needs no source: statements of absence, lead-ins ("原因如下："), list numbers."""
    sentence = text[span.start : span.end]
    return bool(_LETTER.search(sentence)) and not sentence.endswith(("：", ":")) and not _is_refusal(text, span)


def _excerpt(sentence: str) -> str:
    return f"'{sentence[:_EXCERPT_CHARS]}…'" if len(sentence) > _EXCERPT_CHARS else f"'{sentence}'"
