"""report.html from a run over fake answers: self-contained, escaped, failures first, the best marked."""

import re

from chat_app.evaluation.outputs.plots import render_plots
from chat_app.evaluation.outputs.report_html import render_report
from tests.support.fake_answers import HOSTILE


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


def test_the_best_configuration_per_metric_is_marked_and_a_tie_is_not(run):
    page = render_report(run, render_plots(run))
    best = set(re.findall(r'<td class="num best" data-config="([^"]+)" data-metric="([^"]+)"', page))
    assert ("hybrid", "refusal_rate") in best and ("baseline", "refusal_rate") not in best
    assert run.configs[0].overall["keywords_at_5"] == run.configs[1].overall["keywords_at_5"]
    assert not any(metric == "keywords_at_5" for _, metric in best)
