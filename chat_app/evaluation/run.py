"""`kzqa eval`: every test question through every configuration, scored, summarized and written out.

One run holds, per configuration, the summary metrics overall and per question type, the hit@k
curve, and one outcome per question (answer, citations, why it failed). `write_outputs` turns it
into results.json (every number), report.html and the plots.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from rich.console import Console

from chat_app.config import KzqaConfig
from chat_app.evaluation.answer_eval import AnswerResult, ask_case, score_answer, summarize
from chat_app.evaluation.configs import ConfigName, EvalConfig, load_configs
from chat_app.evaluation.metrics import file_hit_at_k, keywords_present, mean, percentile
from chat_app.evaluation.retrieval_eval import K, aggregate
from chat_app.evaluation.testset import EvalCase


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
    MetricSpec("passed", "pass rate", "answers", "higher", "rate",
               "answerable: keywords present, no citation outside the gold sources; unanswerable: refused"),
    MetricSpec("latency_p50_ms", "latency p50", "cost", "lower", "ms", "median time per question (ms)"),
    MetricSpec("latency_p95_ms", "latency p95", "cost", "lower", "ms", "95th-percentile time per question (ms)"),
    MetricSpec("answer_chars_p50", "answer length p50", "cost", None, "chars",
               "median answer length in characters: a long answer holds keywords by accident"),
)  # fmt: skip
METRIC_BY_KEY = {spec.key: spec for spec in METRICS}
Scores = dict[str, float | None]  # metric key → value; None: no question the metric applies to
SPLIT_ORDER = ("validate", "tune")  # validate first: it is the number to report


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


def score(outcomes: Sequence[QuestionOutcome]) -> Scores:
    results = [outcome.result for outcome in outcomes]
    answers = summarize(results)
    retrieved = [r.retrieval for r in results if r.retrieval is not None]
    retrieval = aggregate(retrieved)
    values = {spec.key: getattr(retrieval, spec.key) for spec in METRICS if spec.group == "retrieval"}
    values |= {spec.key: getattr(answers, spec.key) for spec in METRICS if spec.group == "answers"}
    values |= {
        "latency_p50_ms": answers.latency_p50_ms,
        "latency_p95_ms": answers.latency_p95_ms,
        "answer_chars_p50": percentile([float(len(r.answer)) for r in results], 0.5),
    }
    # A rate over no questions is undefined, not zero: e.g. refusal rate on a type with no unanswerable.
    applies_to = {
        **{spec.key: len(retrieved) for spec in METRICS if spec.group == "retrieval"},
        "answer_accuracy": answers.answerable,
        "false_refusal_rate": answers.answerable,
        "citation_precision": sum(r.citation_precision is not None for r in results),
        "citation_recall": sum(r.citation_recall is not None for r in results),
        "refusal_rate": answers.unanswerable,
        "disagreement_noted": sum(r.type == "conflict" for r in results),
    }
    return {key: None if applies_to.get(key, len(results)) == 0 else value for key, value in values.items()}


def hit_curve(outcomes: Sequence[QuestionOutcome]) -> list[float]:
    retrieved = [(o.result.retrieval.sources, o.gold_sources) for o in outcomes if o.result.retrieval is not None]
    return [mean([file_hit_at_k(ranked, gold, k) for ranked, gold in retrieved]) for k in range(1, K + 1)]


def outcome(case: EvalCase, result: AnswerResult) -> QuestionOutcome:
    groups = [list(group) for group in case.answer_keywords]
    missing = [] if result.refused else [group for group in groups if not keywords_present(result.answer, [group])]
    problems = []
    if not case.answerable and not result.refused:
        problems.append("answered a question the articles cannot answer")
    if case.answerable and result.refused:
        problems.append("refused an answerable question")
    if case.answerable and missing:
        problems.append("missing keywords: " + "; ".join(" | ".join(group) for group in missing))
    if case.answerable and (wrong := [s for s in result.cited_sources if s not in case.sources]):
        problems.append("cited outside the gold sources: " + ", ".join(wrong))
    return QuestionOutcome(
        result=result,
        history=list(case.history),
        gold_sources=list(case.sources),
        expected_keywords=groups,
        missing_keywords=missing,
        problems=problems,
    )


def _config_run(
    config: EvalConfig, cases: Sequence[EvalCase], results: Sequence[AnswerResult], seconds: float
) -> ConfigRun:
    outcomes = [outcome(case, result) for case, result in zip(cases, results, strict=True)]
    types = sorted({case.type for case in cases})
    splits = [s for s in SPLIT_ORDER if any(case.split == s for case in cases)]

    def by_type(subset: list[QuestionOutcome]) -> dict[str, Scores]:
        present = sorted({o.result.type for o in subset})
        return {t: score([o for o in subset if o.result.type == t]) for t in present}

    in_split = {name: [o for o in outcomes if o.result.split == name] for name in splits}
    return ConfigRun(
        name=config.name.value,
        description=config.description,
        run_seconds=seconds,
        overall=score(outcomes),
        by_type={t: score([o for o in outcomes if o.result.type == t]) for t in types},
        hit_curve=hit_curve(outcomes),
        outcomes=outcomes,
        by_split={name: score(subset) for name, subset in in_split.items()},
        by_split_type={name: by_type(subset) for name, subset in in_split.items()},
    )


def run_evaluation(
    configs: Sequence[EvalConfig],
    cases: Sequence[EvalCase],
    *,
    testset: Path,
    setup_seconds: dict[str, float],
    progress: Callable[[str, int, int], None] | None = None,
) -> EvalRun:
    """`progress(config_name, done, total)` after each answer."""
    results: dict[str, list[AnswerResult]] = {c.name.value: [] for c in configs}
    seconds = dict.fromkeys(results, 0.0)
    # Each question goes through every configuration in turn: the machine's load drifts during a run
    # and should fall on all configurations alike (one-time warm-up lands on the very first answer).
    for done, case in enumerate(cases, start=1):
        for config in configs:
            started = time.perf_counter()
            results[config.name.value].append(score_answer(case, ask_case(config.ask, case)))
            seconds[config.name.value] += time.perf_counter() - started
            if progress:
                progress(config.name.value, done, len(cases))
    runs = [_config_run(c, cases, results[c.name.value], seconds[c.name.value]) for c in configs]
    return EvalRun(
        testset=str(testset),
        questions=len(cases),
        question_types=dict(sorted(Counter(case.type for case in cases).items())),
        setup_seconds=setup_seconds,
        configs=runs,
    )


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


@dataclass(frozen=True)
class Written:
    results: Path
    report: Path
    plots: list[Path]


def write_outputs(run: EvalRun, out_dir: Path) -> Written:
    from chat_app.evaluation.plots import render_plots
    from chat_app.evaluation.report_html import render_report

    out_dir.mkdir(parents=True, exist_ok=True)
    results = out_dir / "results.json"
    results.write_text(json.dumps(run.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    plots = render_plots(run)
    plot_paths = []
    for plot in plots:
        path = out_dir / f"{plot.name}.png"
        path.write_bytes(plot.png)
        plot_paths.append(path)
    report = out_dir / "report.html"
    report.write_text(render_report(run, plots), encoding="utf-8")
    return Written(results=results, report=report, plots=plot_paths)


def run_with_progress(
    names: Sequence[ConfigName], config: KzqaConfig, cases: Sequence[EvalCase], *, testset: Path, console: Console
) -> EvalRun:
    """Load the configurations, then run them with one progress bar each: what `kzqa eval` does."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    loaded = load_configs(names, config, status=lambda message: console.print(f"[dim]{message}[/dim]"))
    with Progress(TextColumn("[bold]{task.description:>8}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:  # fmt: skip
        tasks = {c.name.value: bar.add_task(c.name.value, total=len(cases)) for c in loaded.configs}
        return run_evaluation(
            loaded.configs,
            cases,
            testset=testset,
            setup_seconds=loaded.setup_seconds,
            progress=lambda name, done, _total: bar.update(tasks[name], completed=done),
        )
