"""What one `kzqa eval` run holds: the metrics it reports, and per configuration the scores overall,
per question type and per split, the hit@k curve and one outcome per question.

The data model only: the runner fills it, the outputs (tables, report.html, plots, results.json)
read it. `to_dict` is the results.json shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from chat_app.evaluation.answer_eval import AnswerResult


@dataclass(frozen=True)
class MetricSpec:
    key: str
    label: str
    group: str  # retrieval | answers | cost
    better: str | None  # "higher", "lower" or None (no direction: a description, not a score)
    unit: str  # "rate" (0..1), "ms" or "chars"
    help: str


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("hit_at_1", "hit@1", "retrieval", "higher", "rate", "a gold source file is the top passage's file"),
    MetricSpec("hit_at_3", "hit@3", "retrieval", "higher", "rate", "a gold source file among the top 3 passages"),
    MetricSpec("hit_at_5", "hit@5", "retrieval", "higher", "rate", "a gold source file among the top 5 passages"),
    MetricSpec("mrr", "MRR", "retrieval", "higher", "rate", "mean reciprocal rank of the first gold file (top 5)"),
    MetricSpec("keywords_at_5", "kw@5", "retrieval", "higher", "rate",
               "every answer keyword group in the top 5 passages"),
    MetricSpec("answer_accuracy", "answer keywords", "answers", "higher", "rate",
               "answerable questions answered (not refused) with every keyword group in the answer text"),
    MetricSpec("citation_precision", "citation precision", "answers", "higher", "rate",
               "share of cited files that are gold sources (questions with citations)"),
    MetricSpec("citation_recall", "citation recall", "answers", "higher", "rate",
               "share of gold sources cited (answerable questions with several sources)"),
    MetricSpec("refusal_rate", "refusal (unanswerable)", "answers", "higher", "rate",
               "unanswerable questions refused"),
    MetricSpec("false_refusal_rate", "false refusal", "answers", "lower", "rate", "answerable questions refused"),
    MetricSpec("disagreement_noted", "disagreement noted", "answers", "higher", "rate",
               "conflict questions whose answer notes that the sources disagree"),
    MetricSpec("headline_agreement", "English headline right", "answers", "higher", "rate",
               "English answers whose first line states a figure or date: it is the keywords' one"),
    MetricSpec("passed", "pass rate", "answers", "higher", "rate",
               "answerable: keywords present, no citation outside the gold sources; unanswerable: refused"),
    MetricSpec("latency_p50_ms", "latency p50", "cost", "lower", "ms", "median time per question (ms)"),
    MetricSpec("latency_p95_ms", "latency p95", "cost", "lower", "ms", "95th-percentile time per question (ms)"),
    MetricSpec("answer_chars_p50", "answer length p50", "cost", None, "chars",
               "median answer length in characters: a long answer holds keywords by accident"),
)  # fmt: skip
METRIC_BY_KEY = {spec.key: spec for spec in METRICS}
Scores = dict[str, float | None]  # metric key → value; None: no question the metric applies to


@dataclass
class QuestionOutcome:
    result: AnswerResult
    history: list[str]  # earlier questions of a follow-up's conversation
    gold_sources: list[str]
    expected_keywords: list[list[str]]
    missing_keywords: list[list[str]]
    problems: list[str]  # why it failed; empty when it passed

    @property
    def passed(self) -> bool:
        return self.result.passed

    def to_dict(self) -> dict:
        return {
            **asdict(self.result),
            "passed": self.passed,
            "history": self.history,
            "gold_sources": self.gold_sources,
            "expected_keywords": self.expected_keywords,
            "missing_keywords": self.missing_keywords,
            "problems": self.problems,
        }


@dataclass
class ConfigRun:
    name: str
    description: str
    run_seconds: float
    overall: Scores
    by_type: dict[str, Scores]
    hit_curve: list[float]  # hit@1 … hit@K over answerable questions
    outcomes: list[QuestionOutcome] = field(default_factory=list)
    # Per split of the test set ("validate" is what is reported; "tune" is what models were fitted on).
    by_split: dict[str, Scores] = field(default_factory=dict)
    by_split_type: dict[str, dict[str, Scores]] = field(default_factory=dict)

    @property
    def failures(self) -> int:
        return sum(not outcome.passed for outcome in self.outcomes)

    def to_dict(self) -> dict:
        return {
            "description": self.description,
            "run_seconds": self.run_seconds,
            "overall": self.overall,
            "by_type": self.by_type,
            "hit_curve": self.hit_curve,
            "by_split": self.by_split,
            "by_split_type": self.by_split_type,
            "failures": self.failures,
            "questions": [outcome.to_dict() for outcome in self.outcomes],
        }


@dataclass
class EvalRun:
    testset: str
    questions: int
    question_types: dict[str, int]  # type → number of questions
    setup_seconds: dict[str, float]
    configs: list[ConfigRun]
    created: str = field(default_factory=lambda: datetime.now().astimezone().isoformat(timespec="seconds"))

    def summary(self) -> dict:
        """What `kzqa eval --json` prints: metrics overall and per type, per configuration."""
        return {
            "testset": self.testset,
            "questions": self.questions,
            "configs": {c.name: {"overall": c.overall, "by_type": c.by_type, "by_split": c.by_split,
                                 "failures": c.failures} for c in self.configs},
        }  # fmt: skip

    def to_dict(self) -> dict:
        return {
            "testset": self.testset,
            "created": self.created,
            "questions": self.questions,
            "question_types": self.question_types,
            "setup_seconds": self.setup_seconds,
            "metrics": {spec.key: {"label": spec.label, "group": spec.group, "better": spec.better,
                                   "unit": spec.unit, "help": spec.help} for spec in METRICS},
            "configs": {c.name: c.to_dict() for c in self.configs},
        }  # fmt: skip


def format_value(key: str, value: float | None) -> str:
    """How a metric reads in the terminal and the report; the e2e test holds both to results.json."""
    if value is None:
        return "—"
    unit = METRIC_BY_KEY[key].unit
    if unit == "ms":
        return f"{value:.1f}"
    if unit == "chars":
        return f"{value:.0f}"
    return f"{value:.3f}"
