"""A run's files: results.json (every number), report.html and the plots as PNG."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from chat_app.evaluation.outputs.plots import render_plots
from chat_app.evaluation.outputs.report_html import render_report
from chat_app.evaluation.results import EvalRun


@dataclass(frozen=True)
class Written:
    results: Path
    report: Path
    plots: list[Path]


def write_outputs(run: EvalRun, out_dir: Path) -> Written:
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
