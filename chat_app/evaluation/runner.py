"""`kzqa eval`'s one evaluation loop: every test question through every configuration, scored.

Tests, benchmarks and the command all run it, so what they measure is what `kzqa eval` reports.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from chat_app.config import KzqaConfig
from chat_app.evaluation.answer_eval import AnswerResult, ask_case, score_answer
from chat_app.evaluation.configs import ConfigName, EvalConfig, load_configs
from chat_app.evaluation.results import EvalRun
from chat_app.evaluation.scoring import score_config
from chat_app.evaluation.testset import EvalCase


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
    runs = [score_config(c, cases, results[c.name.value], seconds[c.name.value]) for c in configs]
    return EvalRun(
        testset=str(testset),
        questions=len(cases),
        question_types=dict(sorted(Counter(case.type for case in cases).items())),
        setup_seconds=setup_seconds,
        configs=runs,
    )


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
