"""Terminal tables for `kzqa eval`: configurations side by side, overall and per question type."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from chat_app.evaluation.run import METRICS, EvalRun, format_value

# Per type, the terminal shows the two numbers that say most; report.html has every metric per type.
TYPE_METRICS = ("passed", "hit_at_5")


def render_summary(run: EvalRun, console: Console) -> None:
    overall = Table(title=f"kzqa eval: {run.questions} questions from {run.testset}")
    overall.add_column("metric")
    for config in run.configs:
        overall.add_column(config.name, justify="right")
    group = None
    for spec in METRICS:
        if spec.group != group:
            group = spec.group
            overall.add_section()
        overall.add_row(f"{spec.label}", *(format_value(spec.key, c.overall[spec.key]) for c in run.configs))
    overall.add_section()
    overall.add_row("failed questions", *(f"[red]{c.failures}[/red]" if c.failures else "0" for c in run.configs))
    console.print(overall)

    by_type = Table(title="per question type: pass rate / hit@5")
    by_type.add_column("type")
    by_type.add_column("n", justify="right")
    for config in run.configs:
        by_type.add_column(config.name, justify="right")
    for question_type, count in run.question_types.items():
        cells = [" / ".join(format_value(key, c.by_type[question_type][key]) for key in TYPE_METRICS)
                 for c in run.configs]  # fmt: skip
        by_type.add_row(question_type, str(count), *cells)
    console.print(by_type)
