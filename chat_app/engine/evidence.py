"""Sentences of the retrieved passages, scored as answers to the question.

A sentence scores by meaning (cosine with the question, same embedder as retrieval), by words
(IDF-weighted share of the question's content terms it contains) and by holding the kind of
answer asked for (a number for 多少, a reason for 为什么 …).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from chat_app.engine.entities import mentions
from chat_app.engine.question import AnswerType, QuestionProfile
from index.passage import Passage
from index.term_stats import TermStats
from ingest.sentences import split_sentences

# A sentence this short is a heading, a caption fragment or a quote tail, not an answer.
MIN_SENTENCE_CHARS = 8
SEMANTIC_WEIGHT, LEXICAL_WEIGHT, TYPE_WEIGHT, ENTITY_WEIGHT = 0.6, 0.4, 0.1, 0.1

_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万亿]+(?:个|名|倍|年|次|成|分之)|分之|近一半|半数")
_DATE = re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日|年初|年底|年中|上旬|中旬|下旬|月初|月底|世纪")
_REASON = re.compile(r"因为|由于|原因|为了|因此|所以|鉴于|出于|目的|以便|担心|导致|使得|理由|之所以|以.{1,8}为由")
_NAME = re.compile(
    r"[\u4e00-\u9fff]{1,4}·[\u4e00-\u9fff]{1,6}|[（(][A-Z][a-z]+(?: [A-Z][a-z]+)+[)）]|[A-Z][a-z]+ [A-Z][a-z]+"
)
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:省|州|市|城|港|机场|首都|斯坦|地区|大学|论坛|峰会|会议|边境)")
_TYPE_EVIDENCE = {
    AnswerType.NUMBER: _NUMBER,
    AnswerType.DATE: _DATE,
    AnswerType.PERSON: _NAME,
    AnswerType.PLACE: _PLACE,
    AnswerType.REASON: _REASON,
}
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


@dataclass(frozen=True)
class EvidenceSentence:
    passage_index: int
    start: int  # offsets within the passage's text
    end: int
    text: str
    semantic: float
    lexical: float
    type_match: bool
    score: float
    entities: float = 1.0  # share of the question's named countries/leaders the sentence refers to


def has_answer_type(text: str, answer_type: AnswerType) -> bool:
    pattern = _TYPE_EVIDENCE.get(answer_type)
    return True if pattern is None else bool(pattern.search(text))


def entity_share(entities: Sequence[str], text: str) -> float:
    """Share of the question's named countries/leaders the text refers to (1.0 when none named)."""
    if not entities:
        return 1.0
    return sum(mentions(entity, text) for entity in entities) / len(entities)


def term_coverage(terms: Sequence[str], text: str, stats: TermStats) -> float:
    """IDF-weighted share of `terms` present in `text` (numbers compared without separators)."""
    if not terms:
        return 0.0
    haystack = _THOUSANDS.sub("", text).lower()
    weights = [stats.idf(term) for term in terms]
    found = sum(weight for term, weight in zip(terms, weights, strict=True) if term.lower() in haystack)
    return found / sum(weights)


class EmbeddingCache:
    """Sentence vectors by text: passages recur across questions, so their sentences do too."""

    def __init__(self, embedder, capacity: int = 4096):
        self._embedder = embedder
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._capacity = capacity

    def passages(self, texts: Sequence[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self._embedder.embed_passages(missing), strict=True):
                self._vectors[text] = vector
        for text in texts:
            self._vectors.move_to_end(text)
        while len(self._vectors) > self._capacity:
            self._vectors.popitem(last=False)
        return [self._vectors[t] for t in texts]

    def query(self, text: str) -> list[float]:
        return self._embedder.embed_query(text)


def gather_evidence(
    profile: QuestionProfile,
    passages: Sequence[Passage],
    *,
    embeddings: EmbeddingCache,
    term_stats: TermStats,
) -> list[EvidenceSentence]:
    """All candidate sentences of `passages`, best first."""
    candidates: list[tuple[int, int, int, str]] = []
    seen: set[tuple[str, int]] = set()  # overlapping chunks repeat sentences; score each once
    for index, passage in enumerate(passages):
        for span in split_sentences(passage.text):
            sentence = passage.text[span.start : span.end]
            where = (passage.source, passage.start + span.start)
            if len(sentence) >= MIN_SENTENCE_CHARS and where not in seen:
                seen.add(where)
                candidates.append((index, span.start, span.end, sentence))
    if not candidates:
        return []
    question_vector = embeddings.query(profile.text)
    vectors = embeddings.passages([c[3] for c in candidates])
    scored = []
    for (index, start, end, sentence), vector in zip(candidates, vectors, strict=True):
        semantic = sum(a * b for a, b in zip(question_vector, vector, strict=True))
        # The section heading is context the sentence leans on ("该组织…" under "集安组织是什么？").
        lexical = term_coverage(profile.terms, f"{passages[index].section}\n{sentence}", term_stats)
        type_match = profile.answer_type != AnswerType.OTHER and has_answer_type(sentence, profile.answer_type)
        context = f"{passages[index].section}\n{sentence}"
        entities = entity_share(profile.entities, context)
        score = (
            SEMANTIC_WEIGHT * semantic + LEXICAL_WEIGHT * lexical + TYPE_WEIGHT * type_match + ENTITY_WEIGHT * entities
        )
        scored.append(EvidenceSentence(index, start, end, sentence, semantic, lexical, type_match, score, entities))
    scored.sort(key=lambda e: (-e.score, e.passage_index, e.start))
    return scored
