"""report.html: one self-contained page (inline CSS, plots as data URIs) a reviewer can open offline.

Every piece of text is escaped: answers and questions are corpus and user text. Summary cells carry
`data-config` / `data-metric` so tests (and scripts) can hold the page to results.json.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

from chat_app.evaluation.configs import ConfigName
from chat_app.evaluation.outputs.plots import Plot
from chat_app.evaluation.results import METRICS, ConfigRun, EvalRun, MetricSpec, QuestionOutcome, format_value

GROUP_TITLES = {
    "retrieval": "Retrieval — answerable questions, file level",
    "answers": "Answers",
    "cost": "Cost",
}
CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC",
       "Microsoft YaHei", system-ui, sans-serif; margin: 24px; color: #111827; line-height: 1.45; }
h1 { margin-bottom: 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #e5e7eb; }
.meta { color: #4b5563; font-size: 14px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #e5e7eb; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f3f4f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.best { font-weight: 700; background: #ecfdf5; }
tr.group th { background: #e0e7ff; text-align: left; }
tr.fail { background: #fef2f2; } tr.pass { background: #f0fdf4; }
.status-fail { color: #b91c1c; font-weight: 700; } .status-pass { color: #15803d; font-weight: 700; }
.problem { color: #b91c1c; font-size: 12px; }
.answer { max-height: 9em; overflow: auto; white-space: pre-wrap; min-width: 320px; max-width: 560px; }
.missing { color: #b91c1c; font-weight: 700; } .gold { color: #15803d; } .wrong { color: #b91c1c; }
.muted { color: #6b7280; font-size: 12px; }
figure { display: inline-block; width: min-content; margin: 8px 16px 8px 0; vertical-align: top; }
figcaption { font-size: 13px; color: #4b5563; }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
dl.legend { font-size: 13px; color: #374151; display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dl.legend dt { font-weight: 600; } dl.legend dd { margin: 0; }
"""


def render_report(run: EvalRun, plots: Sequence[Plot]) -> str:
    body = "\n".join([
        "<h1>kzqa eval</h1>",
        _meta(run),
        *_split_sections(run),
        "<h2>Summary, all questions</h2>",
        _summary_table(run),
        _legend(),
        "<h2>Plots</h2>",
        *(_figure(plot) for plot in plots),
        "<h2>Per question type</h2>",
        *(_details(config, f"{config.name}: metrics per question type", _type_table(run, config))
          for config in run.configs),
        "<h2>Per question</h2>",
        '<p class="meta">Failures first, in red. Each row: the answer, its cited files (green: a gold source, '
        "red: not), the expected keyword groups (red: missing from the answer) and the retrieval.</p>",
        *(_details(config, f"{config.name}: {config.failures} of {len(config.outcomes)} questions failed",
                   _question_table(config)) for config in run.configs),
    ])  # fmt: skip
    title = escape(f"kzqa eval — {run.testset}")
    return (f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n")  # fmt: skip


def _meta(run: EvalRun) -> str:
    types = ", ".join(f"{t} {n}" for t, n in run.question_types.items())
    setup = ", ".join(f"{what} {seconds:.1f} s" for what, seconds in run.setup_seconds.items())
    configs = "".join(f"<li><b>{escape(c.name)}</b>: {escape(c.description)} "
                      f'<span class="muted">({c.run_seconds:.1f} s for all questions)</span></li>'
                      for c in run.configs)  # fmt: skip
    return (f'<p class="meta">test set {escape(run.testset)} · {run.questions} questions ({escape(types)}) · '
            f"{escape(run.created)}<br>setup: {escape(setup)}</p>\n<ul class=\"meta\">{configs}</ul>")  # fmt: skip


def _summary_table(run: EvalRun) -> str:
    header = "".join(f"<th>{escape(c.name)}</th>" for c in run.configs)
    rows = [f"<tr><th>metric</th>{header}</tr>"]
    for group, title in GROUP_TITLES.items():
        rows.append(f'<tr class="group"><th colspan="{len(run.configs) + 1}">{escape(title)}</th></tr>')
        for spec in (s for s in METRICS if s.group == group):
            values = [c.overall[spec.key] for c in run.configs]
            best = _best(spec, values)
            cells = "".join(
                f'<td class="num{" best" if value is not None and value == best else ""}" '
                f'data-config="{escape(c.name)}" data-metric="{spec.key}">{format_value(spec.key, value)}</td>'
                for c, value in zip(run.configs, values, strict=True)
            )
            rows.append(f'<tr><th title="{escape(spec.help)}">{escape(spec.label)}</th>{cells}</tr>')
    failures = "".join(f'<td class="num">{c.failures}</td>' for c in run.configs)
    rows.append(f"<tr><th>failed questions</th>{failures}</tr>")
    return '<table class="summary">' + "\n".join(rows) + "</table>"


SPLIT_NOTES = {
    "validate": "Never used to choose any rule, threshold, feature or weight: the numbers to report.",
    "tune": "The ranker, the answerability model and the composition settings were fitted on these questions.",
}


def _split_sections(run: EvalRun) -> list[str]:
    sections = []
    for name, note in SPLIT_NOTES.items():
        if not run.configs or name not in run.configs[0].by_split:
            continue
        header = "".join(f"<th>{escape(c.name)}</th>" for c in run.configs)
        rows = [f"<tr><th>metric</th>{header}</tr>"]
        for spec in METRICS:
            cells = "".join(
                f'<td class="num" data-split="{name}" data-split-config="{escape(c.name)}" data-split-metric='
                f'"{spec.key}">{format_value(spec.key, c.by_split[name].get(spec.key))}</td>'
                for c in run.configs
            )
            rows.append(f'<tr><th title="{escape(spec.help)}">{escape(spec.label)}</th>{cells}</tr>')
        sections += [f"<h2>Split: {name}</h2>", f'<p class="meta">{escape(note)}</p>',
                     '<table class="summary">' + "\n".join(rows) + "</table>"]  # fmt: skip
    return sections


def _best(spec: MetricSpec, values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    if spec.better is None or len(set(present)) < 2:  # a tie among all is no one's win
        return None
    return max(present) if spec.better == "higher" else min(present)


def _legend() -> str:
    items = "".join(f"<dt>{escape(s.label)}</dt><dd>{escape(s.help)}</dd>" for s in METRICS)
    return f'<dl class="legend">{items}<dt>—</dt><dd>no question the metric applies to</dd></dl>'


def _figure(plot: Plot) -> str:
    data = base64.b64encode(plot.png).decode("ascii")
    return (f'<figure><img alt="{escape(plot.title)}" src="data:image/png;base64,{data}">'
            f"<figcaption><b>{escape(plot.title)}.</b> {escape(plot.caption)}</figcaption></figure>")  # fmt: skip


def _details(config: ConfigRun, summary: str, content: str) -> str:
    opened = " open" if config.name == ConfigName.HYBRID else ""  # the product's tables start unfolded
    return f"<details{opened}><summary>{escape(summary)}</summary>{content}</details>"


def _type_table(run: EvalRun, config: ConfigRun) -> str:
    header = "".join(f'<th title="{escape(s.help)}">{escape(s.label)}</th>' for s in METRICS)
    rows = [f"<tr><th>type</th><th>n</th>{header}</tr>"]
    for question_type, scores in [*config.by_type.items(), ("all", config.overall)]:
        n = run.question_types.get(question_type, run.questions)
        cells = "".join(f'<td class="num">{format_value(s.key, scores[s.key])}</td>' for s in METRICS)
        rows.append(f'<tr><th>{escape(question_type)}</th><td class="num">{n}</td>{cells}</tr>')
    return "<table>" + "\n".join(rows) + "</table>"


def _question_table(config: ConfigRun) -> str:
    header = "<tr><th>result</th><th>id</th><th>type</th><th>question</th><th>answer</th><th>cited</th>" \
             "<th>expected keywords</th><th>retrieval</th><th>ms</th></tr>"  # fmt: skip
    ordered = sorted(config.outcomes, key=lambda o: (o.passed, o.result.case_id))
    return "<table>" + header + "\n".join(_question_row(o) for o in ordered) + "</table>"


def _question_row(outcome: QuestionOutcome) -> str:
    result = outcome.result
    status = "pass" if outcome.passed else "fail"
    problems = "".join(f'<div class="problem">{escape(p)}</div>' for p in outcome.problems)
    if result.type == "conflict":
        problems += f'<div class="muted">disagreement {"noted" if result.disagreement_noted else "not noted"}</div>'
    history = "".join(f'<div class="muted">earlier: {escape(q)}</div>' for q in outcome.history)
    answer = '<span class="muted">(refused)</span> ' if result.refused else ""
    cited = "<br>".join(
        f'<span class="{"gold" if s in outcome.gold_sources else "wrong"}">{escape(s)}</span>'
        for s in result.cited_sources
    )
    gold = f'<div class="muted">gold: {escape(", ".join(outcome.gold_sources) or "none")}</div>'
    return (
        f'<tr class="{status}"><td><span class="status-{status}">{status.upper()}</span>{problems}</td>'
        f"<td>{escape(result.case_id)}</td><td>{escape(result.type)}</td>"
        f"<td>{history}{escape(result.question)}</td>"
        f'<td><div class="answer">{answer}{escape(result.answer)}</div></td>'
        f"<td>{cited or '—'}{gold}</td><td>{_keywords(outcome)}</td><td>{_retrieval(outcome)}</td>"
        f'<td class="num">{result.latency_ms:.0f}</td></tr>'
    )


def _keywords(outcome: QuestionOutcome) -> str:
    if not outcome.expected_keywords:
        return "—"
    return "<br>".join(
        f'<span class="{"missing" if group in outcome.missing_keywords else ""}">{escape(" | ".join(group))}</span>'
        for group in outcome.expected_keywords
    )


def _retrieval(outcome: QuestionOutcome) -> str:
    retrieval = outcome.result.retrieval
    if retrieval is None:
        return '<span class="muted">unanswerable</span>'
    rank = next((i for i, s in enumerate(retrieval.sources, start=1) if s in outcome.gold_sources), None)
    first = f"first gold file at #{rank}" if rank else '<span class="wrong">no gold file retrieved</span>'
    keywords = "keywords in top 5" if retrieval.keywords_at_5 else '<span class="wrong">keywords not in top 5</span>'
    return f"{first}<br>{keywords}"
