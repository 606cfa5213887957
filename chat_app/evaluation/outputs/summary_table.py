"""Terminal tables for `kzqa eval`: configurations side by side, per split, overall and per question type."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from chat_app.evaluation.results import METRICS, ConfigRun, EvalRun, Scores, format_value

# Per type, the terminal shows the two numbers that say most; report.html has every metric per type.
TYPE_METRICS = ("passed", "hit_at_5")
SPLIT_TITLES = {
    "validate": "validate split (never used to fit anything: the numbers to report)",
    "tune": "tune split (the ranker, answerability and composition were fitted on it)",
}


def render_summary(run: EvalRun, console: Console) -> None:
    splits = [name for name in SPLIT_TITLES if run.configs and name in run.configs[0].by_split]
    for name in splits:
        _render(run, console, SPLIT_TITLES[name], lambda c, n=name: c.by_split[n],
                lambda c, n=name: c.by_split_type[n])  # fmt: skip
    title = f"kzqa eval: {run.questions} questions from {run.testset}" + (" (all splits)" if splits else "")
    _render(run, console, title, lambda c: c.overall, lambda c: c.by_type, failures=True)


def _render(
    run: EvalRun,
    console: Console,
    title: str,
    overall: Callable[[ConfigRun], Scores],
    types: Callable[[ConfigRun], dict[str, Scores]],
    *,
    failures: bool = False,
) -> None:
    table = Table(title=title)
    table.add_column("metric")
    for config in run.configs:
        table.add_column(config.name, justify="right")
    group = None
    for spec in METRICS:
        if spec.group != group:
            group = spec.group
            table.add_section()
        table.add_row(spec.label, *(format_value(spec.key, overall(c).get(spec.key)) for c in run.configs))
    if failures:
        table.add_section()
        table.add_row("failed questions", *(f"[red]{c.failures}[/red]" if c.failures else "0" for c in run.configs))
    console.print(table)

    by_type = Table(title=f"{title.split(' (')[0]}: pass rate / hit@5 per question type")
    by_type.add_column("type")
    for config in run.configs:
        by_type.add_column(config.name, justify="right")
    for question_type in run.question_types:
        if not run.configs or question_type not in types(run.configs[0]):
            continue
        cells = [" / ".join(format_value(key, types(c)[question_type][key]) for key in TYPE_METRICS)
                 for c in run.configs]  # fmt: skip
        by_type.add_row(question_type, *cells)
    console.print(by_type)
