"""The run's records: how a metric value reads, and the summary `--json` prints beside results.json."""

import pytest

from chat_app.evaluation.configs import ConfigName
from chat_app.evaluation.results import format_value
from chat_app.evaluation.runner import run_evaluation
from tests.support.fake_answers import answer, case, fake_config


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [("hit_at_1", 0.5, "0.500"), ("hit_at_1", None, "—"), ("latency_p50_ms", 12.345, "12.3"),
     ("answer_chars_p50", 127.0, "127")],
)  # fmt: skip
def test_format_value(key, value, text):
    assert format_value(key, value) == text


def test_summary_and_results_hold_the_same_numbers(tmp_path):
    run = run_evaluation([fake_config(ConfigName.HYBRID, {"question t1?": answer()})], [case()],
                         testset=tmp_path / "qa.jsonl", setup_seconds={})  # fmt: skip
    full = run.to_dict()["configs"]["hybrid"]
    summary = run.summary()["configs"]["hybrid"]
    assert summary["overall"] == full["overall"] and summary["by_type"] == full["by_type"]
    assert full["questions"][0]["passed"] is True
