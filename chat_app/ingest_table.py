"""The table `kzqa ingest` prints: one row per document, skipped files last with their reason."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ingest import IngestReport


def render_ingest_report(report: IngestReport, console: Console) -> None:
    table = Table(title="kzqa ingest", show_lines=False, expand=False)
    for column, justify, wraps in (
        ("file", "left", False), ("format", "left", False), ("title", "left", True), ("date", "left", False),
        ("chars", "right", False), ("chunks", "right", False), ("warnings", "left", True),
    ):  # fmt: skip
        table.add_column(column, justify=justify, no_wrap=not wraps, overflow="fold")
    for item in report.documents:
        row = item.summary()
        # File names, titles and warnings come from the documents: escaped, or "[/]" in one ends the run.
        table.add_row(
            escape(row["source"]), row["format"], escape(row["title"]), escape(row["published"] or "—"),
            str(row["characters"]), str(row["chunks"]), escape("; ".join(row["warnings"]) or "—"),
        )  # fmt: skip
    for skipped in report.skipped:
        table.add_row(
            escape(skipped.source), "[red]skipped[/red]", "", "", "", "", f"[red]{escape(skipped.reason)}[/red]"
        )
    console.print(table)
    total_chunks = sum(len(item.chunks) for item in report.documents)
    console.print(
        f"{len(report.documents)} documents, {total_chunks} chunks"
        + (f", [red]{len(report.skipped)} skipped[/red]" if report.skipped else "")
    )
