"""Features of each candidate sentence as an answer to the question: the inputs of the fitted ranker.

Each feature is one observable fact (how close in meaning, how many of the question's telling words,
whether it holds the kind of answer asked for, whether it is about the subject asked about …).
How much each one matters is not decided here: benchmarks/fit_answer_models.py fits the weights on
the `tune` split and writes them to models/ranker.json.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from chat_app.engine.candidates import log_rank
from chat_app.engine.entities import EntityMatcher
from chat_app.engine.records import AnswerType, Candidate, CandidatePool, Question
from chat_app.engine.resources import Language, language
from chat_app.engine.text import coverage, normalize, present
from index.hybrid_retriever import HybridRetriever
from ingest.chinese_text import bigram_set

FEATURES = (
    "cosine",  # e5 cosine of question and sentence
    "cosine_gap",  # best cosine in the index minus this one
    "cosine_rank_log",  # log(1 + rank among all sentences by cosine)
    "keyword_norm",  # sentence BM25 / best sentence BM25
    "keyword_rank_log",
    "cover",  # IDF-weighted share of the question's terms in the sentence
    "cover_window",  # … in the sentence with its neighbours and section heading
    "cover_chunk",  # … anywhere in the sentence's chunk
    "cover_context",  # share of the conversation's earlier terms in the window (follow-ups)
    "bigram_cover",  # share of the question's Han character pairs in the window (synonyms share characters)
    "missing_top",  # weight share of the most telling question term missing from the window
    "type_hit",  # the question wants a number/date/name/place/reason and the sentence holds one
    "type_miss",  # … and it holds none
    "focus_hit",  # the noun asked about (州, 大学, 首都) is in the sentence
    "focus_miss",
    "entity_hit",  # share of the question's countries/leaders the window names
    "entity_miss",  # the question names some and the window none
    "other_entity",  # the sentence itself names other countries/leaders and none of the question's
    "year_hit",  # share of the question's years in the sentence
    "year_miss",
    "passage_rank_inv",  # 1 / fused rank of the sentence's chunk (0: not in the fused top)
    "chunk_vector_inv",  # 1 / the chunk's rank by vector search alone
    "chunk_keyword_inv",  # 1 / the chunk's rank by BM25 alone
    "cover_gap",  # best window coverage in the pool minus this one's
    "typed_cover",  # window coverage when the sentence holds the kind of answer asked for (else 0)
    "length_log",
    "is_question",  # the article's own (rhetorical) question
    "starts_connective",  # 因此/但是 …: leans on the sentence before
    "neighbour_cosine",  # best cosine of the sentences around it
    "english",  # the question is in English (cross-lingual cosines run lower)
    "english_cosine",
    "entity_own",  # share of the question's countries/leaders the sentence itself (or its heading) names
    "heading_cover",  # share of the question's terms in the section heading
    "compactness",  # how close together the question's terms sit in the sentence (1: side by side)
)

_QUESTION_END = ("？", "?")


@dataclass(frozen=True)
class SentenceView:
    """A candidate with the text around it, normalized once."""

    sentence: str
    window: str  # section heading, previous sentence, the sentence, next sentence
    chunk: str
    source: str


class FeatureExtractor:
    def __init__(self, retriever: HybridRetriever, *, entities: EntityMatcher | None = None,
                 words: Language | None = None):  # fmt: skip
        self._retriever = retriever
        self._entities = entities or EntityMatcher()
        self._words = words or language()

    def view(self, candidate: Candidate, pool: CandidatePool) -> SentenceView:
        store = self._retriever.sentences
        passage = pool.passages[candidate.chunk_id]
        around = [candidate.text]
        for row in (candidate.row - 1, candidate.row + 1):
            if 0 <= row < len(store):
                neighbour = store.records[row]
                if self._retriever.records[neighbour.chunk_id].source == passage.source:
                    around.insert(0 if row < candidate.row else len(around), neighbour.text)
        window = f"{passage.section}\n" + "".join(around)
        return SentenceView(normalize(candidate.text), normalize(window), normalize(passage.text), passage.source)

    def run(self, question: Question, pool: CandidatePool) -> np.ndarray:
        """One row per candidate of `pool`, columns in FEATURES order."""
        rows = [self.features(question, candidate, pool) for candidate in pool.candidates]
        best_cover = max((row["cover_window"] for row in rows), default=0.0)
        for row in rows:
            row["cover_gap"] = best_cover - row["cover_window"]
        return np.asarray([[row[name] for name in FEATURES] for row in rows], dtype=np.float64).reshape(
            len(rows), len(FEATURES)
        )

    def features(self, question: Question, candidate: Candidate, pool: CandidatePool) -> dict[str, float]:
        view = self.view(candidate, pool)
        passage = pool.passages[candidate.chunk_id]
        english = question.language == "en"
        typed = _type_pattern(question.answer_type, self._words)
        type_hit = bool(typed and typed.search(candidate.text))
        focus = [normalize(f) for f in question.focus_nouns]
        focus_hit = any(f in view.sentence for f in focus)
        named = set(self._entities.named(view.window))
        asked = set(question.entities)
        entity_share = len(asked & named) / len(asked) if asked else 1.0
        # Whether the sentence itself is about someone else: its neighbours may name the asked entity.
        own = set(self._entities.named(f"{passage.section}\n{candidate.text}"))
        about_other = about_someone_else(self._entities, question.standalone, asked, candidate.text, own)
        years_hit = [y in view.sentence for y in question.years]
        return {
            "cosine": candidate.cosine,
            "cosine_gap": pool.max_cosine - candidate.cosine,
            "cosine_rank_log": log_rank(candidate.cosine_rank),
            "keyword_norm": candidate.keyword_score / pool.max_keyword if pool.max_keyword > 0 else 0.0,
            "keyword_rank_log": log_rank(candidate.keyword_rank) if candidate.keyword_score > 0 else math.log1p(10_000),
            "cover": coverage(question.terms, view.sentence),
            "cover_window": coverage(question.terms, view.window),
            "cover_chunk": coverage(question.terms, view.chunk),
            "cover_context": coverage(question.context_terms, view.window) if question.context_terms else 0.0,
            "bigram_cover": self._bigram_cover(question, view.window),
            "missing_top": _missing_top(question, view.window),
            "type_hit": float(type_hit),
            "type_miss": float(bool(typed) and not type_hit),
            "focus_hit": float(focus_hit),
            "focus_miss": float(bool(focus) and not focus_hit),
            "entity_hit": entity_share,
            "entity_miss": float(bool(asked) and entity_share == 0.0),
            "other_entity": float(about_other),
            "year_hit": sum(years_hit) / len(years_hit) if years_hit else 0.0,
            "year_miss": float(bool(years_hit) and not any(years_hit)),
            "passage_rank_inv": 1.0 / candidate.passage_rank if candidate.passage_rank else 0.0,
            "chunk_vector_inv": 1.0 / passage.vector_rank if passage.vector_rank else 0.0,
            "chunk_keyword_inv": 1.0 / passage.bm25_rank if passage.bm25_rank else 0.0,
            "cover_gap": 0.0,  # set by run(), which sees the whole pool
            "typed_cover": coverage(question.terms, view.window) if type_hit else 0.0,
            "length_log": math.log1p(len(candidate.text)),
            "is_question": float(candidate.text.rstrip("”’\"' ").endswith(_QUESTION_END)),
            "starts_connective": float(candidate.text.startswith(self._words.leading_connectives)),
            "neighbour_cosine": self._neighbour_cosine(candidate, pool),
            "english": float(english),
            "english_cosine": candidate.cosine if english else 0.0,
            "entity_own": len(asked & own) / len(asked) if asked else 1.0,
            "heading_cover": coverage(question.terms, normalize(passage.section)),
            "compactness": _compactness(question, view.sentence),
        }

    def _bigram_cover(self, question: Question, window: str) -> float:
        wanted: set[str] = set()
        for term in question.terms:
            wanted |= bigram_set(normalize(term.alternatives[0]))
        return len(wanted & bigram_set(window)) / len(wanted) if wanted else 0.0

    def _neighbour_cosine(self, candidate: Candidate, pool: CandidatePool) -> float:
        """How close to the question the sentences around it are (an answer often spans two)."""
        by_row = {c.row: c.cosine for c in pool.candidates}
        around = [by_row[row] for row in (candidate.row - 1, candidate.row + 1) if row in by_row]
        return max(around, default=candidate.cosine)


def about_someone_else(entities: EntityMatcher, question: str, asked: set[str], sentence: str, own: set[str]) -> bool:
    """Whether a sentence naming the entities `own` is about someone other than the question's `asked`:
    it names others and none of those, nor the person the question names (托卡耶夫 belongs to the country
    every article is about, which `asked` and `own` leave out)."""
    if not asked or asked & own or not own - asked:
        return False
    return not entities.people_named(question) & entities.people_named(sentence)


def _compactness(question: Question, sentence: str) -> float:
    """Characters of the matched terms over the stretch of sentence from the first to the last one:
    terms that sit together are more likely one statement about the asked thing. 0 below two terms."""
    spans = []
    for term in question.terms:
        for alternative in term.alternatives:
            at = sentence.find(normalize(alternative))
            if at >= 0:
                spans.append((at, at + len(normalize(alternative))))
                break
    if len(spans) < 2:
        return 0.0
    stretch = max(end for _, end in spans) - min(start for start, _ in spans)
    return min(1.0, sum(end - start for start, end in spans) / stretch) if stretch > 0 else 1.0


def _missing_top(question: Question, window: str) -> float:
    total = sum(term.weight for term in question.terms)
    missing = [term.weight for term in question.terms if not present(term, window)]
    return max(missing) / total if missing and total > 0 else 0.0


def _type_pattern(answer_type: AnswerType, words: Language) -> re.Pattern[str] | None:
    return words.evidence_for(answer_type.value)
