"""Answer quality on a test set, through the same Assistant API the UI uses.

Per question: answer keywords present, cited files among the gold sources (precision) and gold
sources cited (recall), refused or not, disagreement noted, latency. Summaries overall and per type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from chat_app.answer import Answer
from chat_app.evaluation.metrics import keywords_present, mean, percentile
from chat_app.evaluation.retrieval_eval import QuestionResult, score_question
from chat_app.evaluation.testset import EvalCase

DISAGREEMENT_NOTE = "sources disagree"


@dataclass
class AnswerResult:
    case_id: str
    type: str
    question: str
    answerable: bool
    refused: bool
    keywords_ok: bool
    citation_precision: float | None  # None: nothing cited
    citation_recall: float | None  # None: not a multi-source question
    cited_sources: list[str]
    disagreement_noted: bool
    latency_ms: float
    answer: str
    notes: list[str]
    retrieval: QuestionResult | None = None
    split: str | None = None  # "tune" or "validate" when the test set is split

    @property
    def passed(self) -> bool:
        if not self.answerable:
            return self.refused
        precise = self.citation_precision is None or self.citation_precision == 1.0
        return not self.refused and self.keywords_ok and precise


@dataclass
class AnswerSummary:
    questions: int = 0
    answerable: int = 0
    unanswerable: int = 0
    answer_accuracy: float = 0.0  # answerable: not refused and every keyword group present
    citation_precision: float = 0.0
    citation_recall: float = 0.0
    refusal_rate: float = 0.0  # unanswerable questions refused
    false_refusal_rate: float = 0.0  # answerable questions refused
    disagreement_noted: float = 0.0  # conflict questions whose answer notes the disagreement
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    passed: float = 0.0


@dataclass
class AnswerReport:
    overall: AnswerSummary
    by_type: dict[str, AnswerSummary] = field(default_factory=dict)
    results: list[AnswerResult] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "overall": asdict(self.overall),
            "by_type": {t: asdict(s) for t, s in self.by_type.items()},
            "results": [asdict(r) for r in self.results],
        }


def ask_case(ask: Callable[[str, list[dict[str, str]]], Answer], case: EvalCase) -> Answer:
    history = [{"role": "user", "content": earlier} for earlier in case.history]
    return ask(case.question, history)


def score_answer(case: EvalCase, answer: Answer) -> AnswerResult:
    cited = list(dict.fromkeys(c.source for c in answer.citations))
    precision = None if not cited else sum(s in case.sources for s in cited) / len(cited)
    recall = None
    if case.answerable and len(case.sources) > 1:
        recall = sum(s in cited for s in case.sources) / len(case.sources)
    return AnswerResult(
        case_id=case.id,
        type=case.type,
        question=case.question,
        answerable=case.answerable,
        refused=answer.refused,
        keywords_ok=case.answerable and not answer.refused and keywords_present(answer.text, case.answer_keywords),
        citation_precision=precision,
        citation_recall=recall,
        cited_sources=cited,
        disagreement_noted=any(note.startswith(DISAGREEMENT_NOTE) for note in answer.notes),
        latency_ms=answer.timings_ms.get("total", 0.0),
        answer=answer.text,
        notes=list(answer.notes),
        retrieval=score_question(case, answer.passages) if case.answerable else None,
        split=case.split,
    )


def summarize(results: Sequence[AnswerResult]) -> AnswerSummary:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    conflicts = [r for r in results if r.type == "conflict"]
    latencies = [r.latency_ms for r in results]
    return AnswerSummary(
        questions=len(results),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        answer_accuracy=mean([float(r.keywords_ok) for r in answerable]),
        citation_precision=mean([r.citation_precision for r in results if r.citation_precision is not None]),
        citation_recall=mean([r.citation_recall for r in results if r.citation_recall is not None]),
        refusal_rate=mean([float(r.refused) for r in unanswerable]),
        false_refusal_rate=mean([float(r.refused) for r in answerable]),
        disagreement_noted=mean([float(r.disagreement_noted) for r in conflicts]),
        latency_p50_ms=percentile(latencies, 0.5),
        latency_p95_ms=percentile(latencies, 0.95),
        passed=mean([float(r.passed) for r in results]),
    )


def evaluate_answers(
    ask: Callable[[str, list[dict[str, str]]], Answer],
    cases: Sequence[EvalCase],
    progress: Callable[[int, int], None] | None = None,
) -> AnswerReport:
    """`ask(question, history)` is e.g. `lambda q, h: assistant.chat(q, h)`."""
    results = []
    for done, case in enumerate(cases, start=1):
        results.append(score_answer(case, ask_case(ask, case)))
        if progress:
            progress(done, len(cases))
    types = sorted({r.type for r in results})
    return AnswerReport(
        overall=summarize(results),
        by_type={t: summarize([r for r in results if r.type == t]) for t in types},
        results=results,
    )
