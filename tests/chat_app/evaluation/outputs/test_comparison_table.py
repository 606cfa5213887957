"""The terminal table of `kzqa eval --against` (hand-made comparisons: deterministic fakes)."""

from pathlib import Path

from rich.console import Console

from chat_app.evaluation.comparison import PairedChange
from chat_app.evaluation.outputs.comparison_table import render_comparison


def _text(changes) -> str:
    console = Console(record=True, width=160)
    render_comparison(changes, Path("old/results.json"), console)
    return console.export_text()


def test_each_split_shows_before_now_fixed_broken_and_whether_it_is_beyond_chance():
    changes = [
        PairedChange("hybrid", "validate", 260, 0.608, 0.585, 1, 7, 0.07),
        PairedChange("hybrid", "tune", 443, 0.578, 0.603, 17, 6, 0.03),
    ]
    lines = _text(changes).splitlines()
    validate = next(line for line in lines if "validate" in line)
    assert all(cell in validate for cell in ("260", "0.608", "0.585", "+1", "-7", "0.07", "within noise"))
    tune = next(line for line in lines if "│ tune" in line)
    assert "better" in tune and "+17" in tune
    assert "old/results.json" in lines[0] or any("old/results.json" in line for line in lines[:3])


def test_no_shared_configuration_says_there_is_nothing_to_compare():
    assert "nothing to compare" in _text([])
