"""Gather the sentences that might answer: every sentence of the best chunks, plus the best sentences
of the whole index by meaning and by keywords.

A pool larger than the k passages shown lets a paraphrased question reach the sentence that answers
it even when its chunk ranks low; the ranker then orders the pool. Sentence vectors come from the
index (embedded at build time), so only the question is embedded here.
"""

from __future__ import annotations

import math

import numpy as np

from chat_app.engine.records import Candidate, CandidatePool, Question
from index.caching_embedder import CachingQueryEmbedder
from index.hybrid_retriever import HybridRetriever, RetrievalMode

# Chunks whose every sentence joins the pool: the fused ranking's head holds most answers.
POOL_PASSAGES = 8
# Best sentences of the whole index added by cosine and by BM25 each: catches answers in chunks the
# fused ranking missed, at a cost of a few dozen more sentences to score.
TOP_SENTENCES = 24
# Chunks after each pooled one, carried as text only (none of their sentences is scored) for a why/how
# question: its answer's lead may open a list whose items run on into them (ExtractiveComposer._enumerated).
FOLLOWING_CHUNKS = 2


class CandidateRetriever:
    def __init__(
        self,
        retriever: HybridRetriever,
        *,
        mode: RetrievalMode = RetrievalMode.HYBRID,
        pool_passages: int = POOL_PASSAGES,
        top_sentences: int = TOP_SENTENCES,
    ):
        self._retriever = retriever
        self._mode = mode
        self._pool_passages = pool_passages
        self._top_sentences = top_sentences
        self._queries = CachingQueryEmbedder(retriever.embedder)

    def run(self, question: Question) -> CandidatePool:
        vector = self._queries.embed_query(question.standalone)
        hybrid = self._retriever.retrieve(
            question.standalone, k=self._pool_passages, mode=self._mode, query_vector=vector
        )
        store = self._retriever.sentences
        cosines = store.cosines(vector)
        keywords = store.keyword_scores(list(question.search_tokens))
        rows: set[int] = set()
        for passage in hybrid:
            rows.update(store.by_chunk.get(passage.chunk_id, ()))
        if self._mode != RetrievalMode.BM25:
            rows.update(_top(cosines, self._top_sentences))
        if self._mode != RetrievalMode.VECTOR:
            rows.update(row for row in _top(keywords, self._top_sentences) if keywords[row] > 0)
        cosine_ranks, keyword_ranks = _ranks(cosines), _ranks(keywords)
        passage_ranks = {p.chunk_id: rank for rank, p in enumerate(hybrid, start=1)}
        passages = {p.chunk_id: p for p in hybrid}
        candidates = []
        for row in sorted(rows):
            record = store.records[row]
            if record.chunk_id not in passages:
                passages[record.chunk_id] = self._retriever.passage(record.chunk_id)
            candidates.append(
                Candidate(
                    row=row,
                    chunk_id=record.chunk_id,
                    start=record.start,
                    end=record.end,
                    text=record.text,
                    cosine=float(cosines[row]),
                    cosine_rank=int(cosine_ranks[row]),
                    keyword_score=float(keywords[row]),
                    keyword_rank=int(keyword_ranks[row]),
                    passage_rank=passage_ranks.get(record.chunk_id),
                )
            )
        # Only why/how answers read them (ExtractiveComposer._enumerated): other questions skip the lookups.
        carried = list(passages) if question.answer_type.explanatory else []
        for chunk_id in carried:
            for following in _following(store, chunk_id, FOLLOWING_CHUNKS):
                passage = passages.get(following) or self._retriever.passage(following)
                if passage.source != passages[chunk_id].source:
                    break  # the article ended
                passages[following] = passage
        return CandidatePool(
            candidates=tuple(candidates),
            passages=passages,
            hybrid_order=tuple(p.chunk_id for p in hybrid),
            max_cosine=float(cosines.max()) if len(cosines) else 0.0,
            max_keyword=float(keywords.max()) if len(keywords) else 0.0,
        )


def _following(store, chunk_id: str, n: int) -> list[str]:
    """The ids of up to `n` chunks that follow `chunk_id` in the index (sentence rows keep chunk order)."""
    found: list[str] = []
    rows = store.by_chunk.get(chunk_id)
    while rows and len(found) < n:
        row = max(rows) + 1
        if row >= len(store.records):
            break
        found.append(store.records[row].chunk_id)
        rows = store.by_chunk.get(found[-1])
    return found


def _top(scores: np.ndarray, n: int) -> list[int]:
    if not len(scores):
        return []
    n = min(n, len(scores))
    return [int(i) for i in np.argpartition(-scores, n - 1)[:n]]


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of every row (ties broken by row order)."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def log_rank(rank: int | None) -> float:
    return math.log1p(rank) if rank else 0.0
