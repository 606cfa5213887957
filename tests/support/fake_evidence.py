"""Deterministic stand-ins for retrieval output, for unit tests of the components after it.

Built from plain sentences: each becomes one chunk of its own source, with the probability given;
no model or index is involved.
"""

from __future__ import annotations

from chat_app.engine.records import (
    AnswerType,
    Candidate,
    CandidatePool,
    Question,
    RankedEvidence,
    ResolvedQuestion,
    ScoredSentence,
    Term,
)
from index.passage import Passage


def question_about(words, *, answer_type="other", text=None, language="zh", entities=(), parts=None) -> Question:
    text = text or "".join(words) + "？"
    return Question(
        resolved=ResolvedQuestion(message=text, standalone=text, focus=text),
        language=language,
        answer_type=AnswerType(answer_type),
        terms=tuple(Term((w,), 1.0, True) for w in words),
        entities=tuple(entities),
        parts=tuple(parts or (text,)),
    )


def evidence_of(rows, *, features=None, max_cosine=0.9) -> RankedEvidence:
    """rows: (sentence, source, probability[, chunk text around it]) in ranked order; max_cosine: the
    closest sentence in meaning anywhere in the (imagined) index."""
    candidates, scored, passages = [], [], {}
    for number, row in enumerate(rows):
        sentence, source, probability = row[:3]
        chunk = row[3] if len(row) > 3 else sentence
        start = chunk.index(sentence)
        chunk_id = f"chunk-{number}"
        passages[chunk_id] = Passage(chunk_id=chunk_id, source=source, title=f"title of {source}", section="",
                                     text=chunk, start=1000 * number, end=1000 * number + len(chunk), score=0.0)  # fmt: skip
        candidate = Candidate(row=10 * number, chunk_id=chunk_id, start=start, end=start + len(sentence),
                              text=sentence, cosine=0.9, cosine_rank=number + 1, keyword_score=1.0,
                              keyword_rank=number + 1, passage_rank=number + 1)  # fmt: skip
        candidates.append(candidate)
        scored.append(ScoredSentence(candidate, probability, dict((features or {}).get(number, {}))))
    pool = CandidatePool(tuple(candidates), passages, tuple(passages), max_cosine=max_cosine, max_keyword=1.0)
    return RankedEvidence(tuple(scored), pool)
