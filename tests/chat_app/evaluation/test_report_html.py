"""report.html and the plots from a run over fake answers: self-contained, escaped, failures first,
and the same numbers as results.json."""

import json
import re

import pytest

from chat_app.evaluation.configs import ConfigName
from chat_app.evaluation.plots import render_plots
from chat_app.evaluation.report_html import render_report
from chat_app.evaluation.run import format_value, run_evaluation, write_outputs
from tests.chat_app.evaluation.fake_answers import OTHER, answer, case, fake_config, refusal

HOSTILE = '<script>alert("x")</script>'
SUMMARY_CELL = re.compile(r'data-config="([^"]+)" data-metric="([^"]+)">([^<]*)</td>')


@pytest.fixture
def run(tmp_path):
    cases = [case("a"), case("b"), case("c", type="multi"),
             case("u", sources=(), keywords=(), type="unanswerable", answerable=False)]  # fmt: skip
    hybrid = {"question a?": answer(), "question b?": refusal(), "question c?": answer(cited=(OTHER,)),
              "question u?": refusal()}  # fmt: skip
    baseline = {**hybrid, "question b?": answer(f"{HOSTILE} 2000 士兵"), "question u?": answer()}
    configs = [fake_config(ConfigName.HYBRID, hybrid), fake_config(ConfigName.BASELINE, baseline)]
    return run_evaluation(configs, cases, testset=tmp_path / "qa.jsonl", setup_seconds={"model": 1.0})


def test_report_numbers_match_results_json(run, tmp_path):
    written = write_outputs(run, tmp_path / "out")
    results = json.loads(written.results.read_text(encoding="utf-8"))
    cells = SUMMARY_CELL.findall(written.report.read_text(encoding="utf-8"))
    assert len(cells) == 2 * len(results["metrics"])
    for config, metric, shown in cells:
        assert shown == format_value(metric, results["configs"][config]["overall"][metric])
    assert [p.name for p in written.plots] == ["hit_at_k.png", "latency.png", "pass_by_type.png"]


def test_the_report_is_self_contained(run):
    page = render_report(run, render_plots(run))
    assert page.count('src="data:image/png;base64,') == 3
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no fetched fonts, scripts or images


def test_answer_text_is_escaped(run):
    page = render_report(run, render_plots(run))
    assert HOSTILE not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_failures_come_first_in_each_per_question_table(run):
    page = render_report(run, render_plots(run))
    for table in page.split("<h2>Per question</h2>")[1].split("<details")[1:]:
        statuses = re.findall(r'<tr class="(pass|fail)">', table)
        assert statuses == sorted(statuses)  # "fail" < "pass"
        assert "fail" in statuses


def test_plots_are_png(run):
    plots = render_plots(run)
    assert [p.name for p in plots] == ["hit_at_k", "latency", "pass_by_type"]
    assert all(p.png.startswith(b"\x89PNG\r\n\x1a\n") for p in plots)


def test_the_best_configuration_per_metric_is_marked_and_a_tie_is_not(run):
    page = render_report(run, render_plots(run))
    best = set(re.findall(r'<td class="num best" data-config="([^"]+)" data-metric="([^"]+)"', page))
    assert ("hybrid", "refusal_rate") in best and ("baseline", "refusal_rate") not in best
    assert run.configs[0].overall["keywords_at_5"] == run.configs[1].overall["keywords_at_5"]
    assert not any(metric == "keywords_at_5" for _, metric in best)
