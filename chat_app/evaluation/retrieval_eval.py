"""File-level hit@k, MRR and keyword-in-passage hit@5 for each retrieval mode, overall and per type.

Each case is searched for with the query the product sends: a follow-up read in its conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from chat_app.engine.reading import Reader
from chat_app.evaluation.metrics import file_hit_at_k, keywords_present, mean, reciprocal_rank
from chat_app.evaluation.testset import EvalCase
from index.hybrid_retriever import HybridRetriever, RetrievalMode
from index.passage import Passage

K = 5


@dataclass
class RetrievalScores:
    questions: int = 0
    hit_at_1: float = 0.0
    hit_at_3: float = 0.0
    hit_at_5: float = 0.0
    mrr: float = 0.0
    keywords_at_5: float = 0.0


@dataclass
class QuestionResult:
    case_id: str
    type: str
    sources: list[str]
    hit_at_1: float
    hit_at_3: float
    hit_at_5: float
    reciprocal_rank: float
    keywords_at_5: float


@dataclass
class ModeReport:
    mode: str
    overall: RetrievalScores
    by_type: dict[str, RetrievalScores] = field(default_factory=dict)
    questions: list[QuestionResult] = field(default_factory=list)


def search_query(reader: Reader, case: EvalCase) -> str:
    """What the product searches for `case`: the question read after its earlier turns by the answer
    engine's own Reader (follow-up resolution, then analysis), the stages `Assistant.chat` runs before
    retrieval. Only an LLM condenser, when one is configured, rewrites a follow-up further."""
    return reader.question(case.question, case.history_messages()).standalone


def score_question(case: EvalCase, passages: Sequence[Passage]) -> QuestionResult:
    ranked = [p.source for p in passages]
    joined = "\n".join(p.text for p in passages[:K])
    return QuestionResult(
        case_id=case.id,
        type=case.type,
        sources=ranked,
        hit_at_1=file_hit_at_k(ranked, case.sources, 1),
        hit_at_3=file_hit_at_k(ranked, case.sources, 3),
        hit_at_5=file_hit_at_k(ranked, case.sources, 5),
        reciprocal_rank=reciprocal_rank(ranked, case.sources, K),
        keywords_at_5=1.0 if keywords_present(joined, case.answer_keywords) else 0.0,
    )


def aggregate(results: Sequence[QuestionResult]) -> RetrievalScores:
    return RetrievalScores(
        questions=len(results),
        hit_at_1=mean([r.hit_at_1 for r in results]),
        hit_at_3=mean([r.hit_at_3 for r in results]),
        hit_at_5=mean([r.hit_at_5 for r in results]),
        mrr=mean([r.reciprocal_rank for r in results]),
        keywords_at_5=mean([r.keywords_at_5 for r in results]),
    )


def evaluate_retrieval(
    retriever: HybridRetriever,
    cases: Sequence[EvalCase],
    modes: Sequence[RetrievalMode] = tuple(RetrievalMode),
    progress: Callable[[int, int], None] | None = None,
) -> list[ModeReport]:
    answerable = [case for case in cases if case.answerable]
    # Retrieval mode changes what is searched with, not what is searched for: one query per case.
    reader = Reader.over(retriever)
    queries = {case.id: search_query(reader, case) for case in answerable}
    reports = []
    total = len(answerable) * len(modes)
    done = 0
    for mode in modes:
        results = []
        for case in answerable:
            passages = retriever.retrieve(queries[case.id], k=K, mode=mode)
            results.append(score_question(case, passages))
            done += 1
            if progress:
                progress(done, total)
        types = sorted({r.type for r in results})
        reports.append(
            ModeReport(
                mode=mode.value,
                overall=aggregate(results),
                by_type={t: aggregate([r for r in results if r.type == t]) for t in types},
                questions=results,
            )
        )
    return reports


def reports_to_dict(reports: Sequence[ModeReport]) -> dict:
    return {report.mode: asdict(report) for report in reports}
