"""One answer scored against its test case, and a group of scored answers summarized.

Per question: answer keywords present, cited files among the gold sources (precision) and gold
sources cited (recall), refused or not, disagreement noted, an English headline's figure right,
latency. The runner asks the questions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from chat_app.answer import Answer
from chat_app.evaluation.headline import headline, headline_agrees
from chat_app.evaluation.metrics import keywords_present, mean, percentile
from chat_app.evaluation.retrieval_eval import QuestionResult, score_question
from chat_app.evaluation.testset import EvalCase
from ingest.chinese_text import HAN

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
    # An English question's headline states the keywords' figure/date (None: no headline or nothing to compare)
    headline_ok: bool | None = None

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
    headline_agreement: float = 0.0  # English headlines stating a figure/date: the keywords' one
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    passed: float = 0.0


def ask_case(ask: Callable[[str, list[dict[str, str]]], Answer], case: EvalCase) -> Answer:
    return ask(case.question, case.history_messages())


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
        headline_ok=_headline_ok(case, answer),
    )


def _headline_ok(case: EvalCase, answer: Answer) -> bool | None:
    if not case.answerable or answer.refused or HAN.search(case.question):
        return None
    stated = headline(answer.text)
    return None if stated is None else headline_agrees(stated, case.answer_keywords)


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
        headline_agreement=mean([float(r.headline_ok) for r in results if r.headline_ok is not None]),
        latency_p50_ms=percentile(latencies, 0.5),
        latency_p95_ms=percentile(latencies, 0.95),
        passed=mean([float(r.passed) for r in results]),
    )
