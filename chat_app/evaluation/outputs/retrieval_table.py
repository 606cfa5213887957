"""Terminal tables for `kzqa eval --retrieval`: modes side by side, overall and per question type."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from chat_app.evaluation.retrieval_eval import ModeReport

METRICS = (
    ("hit@1", "hit_at_1"),
    ("hit@3", "hit_at_3"),
    ("hit@5", "hit_at_5"),
    ("MRR", "mrr"),
    ("kw@5", "keywords_at_5"),
)


def render_retrieval_reports(reports: Sequence[ModeReport], console: Console) -> None:
    overall = Table(title="retrieval, answerable dev questions (file-level hits; kw@5 = answer keywords in top 5)")
    overall.add_column("mode")
    overall.add_column("n", justify="right")
    for label, _ in METRICS:
        overall.add_column(label, justify="right")
    for report in reports:
        scores = report.overall
        overall.add_row(report.mode, str(scores.questions), *(f"{getattr(scores, attr):.3f}" for _, attr in METRICS))
    console.print(overall)

    by_type = Table(title="per question type: hit@5 / MRR / kw@5")
    by_type.add_column("type")
    by_type.add_column("n", justify="right")
    for report in reports:
        by_type.add_column(report.mode, justify="right")
    for question_type in reports[0].by_type:
        cells = []
        for report in reports:
            s = report.by_type[question_type]
            cells.append(f"{s.hit_at_5:.2f} / {s.mrr:.2f} / {s.keywords_at_5:.2f}")
        by_type.add_row(question_type, str(reports[0].by_type[question_type].questions), *cells)
    console.print(by_type)
