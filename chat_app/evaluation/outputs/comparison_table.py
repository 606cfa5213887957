"""The terminal table for `kzqa eval --against`: pass rates paired with an earlier run, and whether
the difference is more than the test set's noise."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chat_app.evaluation.comparison import SIGNIFICANCE, PairedChange

_STYLE = {"better": "green", "worse": "red", "within noise": "dim"}


def render_comparison(changes: Sequence[PairedChange], earlier: Path, console: Console) -> None:
    if not changes:
        console.print(f"[dim]no configuration of this run is in {escape(str(earlier))}: nothing to compare[/dim]")
        return
    table = Table(title=f"pass rate against {escape(str(earlier))} (same questions, paired)")
    for column in ("config", "split", "questions", "before", "now", "fixed", "broken", "p", "verdict"):
        table.add_column(column, justify="left" if column in ("config", "split", "verdict") else "right")
    for change in changes:
        style = _STYLE[change.verdict]
        table.add_row(
            change.config, change.split, str(change.questions), f"{change.before:.3f}", f"{change.after:.3f}",
            f"+{change.fixed}", f"-{change.broken}", f"{change.p_value:.2f}",
            f"[{style}]{change.verdict}[/{style}]",
        )  # fmt: skip
    console.print(table)
    console.print(
        f"[dim]p: the chance of at least this uneven a split of fixed and broken questions if the change made "
        f"no difference (exact McNemar); below {SIGNIFICANCE} the difference is reported.[/dim]"
    )
