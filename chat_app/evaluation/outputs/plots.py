"""The eval report's plots as PNG bytes: hit@k per configuration, pass rate per question type, latency.

matplotlib's object API on an Agg canvas: no pyplot, so no global figure state and no GUI backend.
Labels are ASCII (configuration names, question types), so no CJK font is needed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from chat_app.evaluation.results import EvalRun

COLORS = {"hybrid": "#2563eb", "vector": "#16a34a", "bm25": "#d97706", "baseline": "#6b7280"}
DPI = 110


@dataclass(frozen=True)
class Plot:
    name: str  # file stem
    title: str
    caption: str
    png: bytes


def render_plots(run: EvalRun) -> list[Plot]:
    # hit@k and latency are narrow enough to sit side by side in the report; the per-type bars span the page.
    return [_hit_curve(run), _latency(run), _pass_by_type(run)]


def _hit_curve(run: EvalRun) -> Plot:
    figure, axes = _figure(5.6, 3.3)
    for config in run.configs:
        ks = range(1, len(config.hit_curve) + 1)
        axes.plot(ks, config.hit_curve, marker="o", label=config.name, color=COLORS[config.name])
    axes.set(xlabel="k (passages)", ylabel="file hit@k", ylim=(0, 1.02), xticks=list(range(1, 6)))
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    return Plot(
        "hit_at_k",
        "Retrieval: file hit@k",
        "Share of answerable questions with a gold source file among the top k passages. "
        "The baseline retrieves llama-index's default 2 passages, so its curve is flat after k = 2.",
        _png(figure),
    )


def _pass_by_type(run: EvalRun) -> Plot:
    types = list(run.question_types)
    figure, axes = _figure(9.6, 3.8)
    width = 0.8 / len(run.configs)
    positions = np.arange(len(types))
    for index, config in enumerate(run.configs):
        rates = [config.by_type[t]["passed"] or 0.0 for t in types]
        axes.bar(positions + index * width, rates, width, label=config.name, color=COLORS[config.name])
    axes.set_xticks(positions + width * (len(run.configs) - 1) / 2)
    axes.set_xticklabels([f"{t}\n(n={run.question_types[t]})" for t in types], fontsize=8)
    axes.set(ylabel="pass rate", ylim=(0, 1.02))
    axes.grid(axis="y", alpha=0.3)
    axes.legend(ncol=len(run.configs), fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 1.15))
    return Plot(
        "pass_by_type",
        "Answers: pass rate per question type",
        "Answerable: every keyword group in the answer, nothing cited outside the gold sources. Unanswerable: refused.",
        _png(figure),
    )


def _latency(run: EvalRun) -> Plot:
    figure, axes = _figure(5.6, 3.3)
    latencies = {c.name: [max(o.result.latency_ms, 0.1) for o in c.outcomes] for c in run.configs}
    every = [ms for values in latencies.values() for ms in values]
    # Log-spaced bins: the baseline answers in milliseconds, kzqa in tens to hundreds.
    bins = np.geomspace(min(every), max(every) * 1.01, 30) if every and min(every) < max(every) else 10
    for name, values in latencies.items():
        axes.hist(values, bins=bins, histtype="step", linewidth=1.8, label=name, color=COLORS[name])
    axes.set_xscale("log")
    axes.set(xlabel="latency per question (ms, log scale)", ylabel="questions")
    axes.grid(alpha=0.3)
    axes.legend()
    return Plot(
        "latency",
        "Cost: latency per question",
        "Wall time of one question through each configuration, on this machine (model and index already loaded).",
        _png(figure),
    )


def _figure(width: float, height: float):
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots()


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
