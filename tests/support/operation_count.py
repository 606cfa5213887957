"""Work measured as executed Python lines: deterministic where wall time is noise.

Doubling the input of a linear step doubles its line count; a quadratic one quadruples it. Work
done inside C (a regular expression backtracking) is invisible here: those cases are covered by
tests that would hang under the old patterns, bounded by pytest's timeout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def executed_lines(function: Callable[[], object]) -> int:
    count = 0

    def on_line(_frame, event, _arg):
        nonlocal count
        if event == "line":
            count += 1
        return on_line

    def on_call(_frame, _event, _arg):
        return on_line

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        function()
    finally:
        sys.settrace(previous)
    return count


def growth(make_input: Callable[[int], object], run: Callable[[object], object], n: int) -> float:
    """How much more work `run` does on `make_input(2n)` than on `make_input(n)`: ~2 when linear."""
    small, large = make_input(n), make_input(2 * n)
    return executed_lines(lambda: run(large)) / executed_lines(lambda: run(small))
