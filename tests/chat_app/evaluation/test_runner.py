"""The one evaluation loop: every question through every configuration, in turn, with its history."""

import pytest

from chat_app.evaluation.configs import ConfigName
from chat_app.evaluation.runner import run_evaluation
from tests.support.fake_answers import UNANSWERABLE, answer, case, fake_config, refusal


def test_every_configuration_answers_every_question_with_its_history(tmp_path):
    followup = case("f", history=("earlier question?",), type="followup")
    cases = [case("a"), followup, UNANSWERABLE]
    answers = {"question a?": answer(), "question f?": refusal(), "question u?": answer()}
    configs = [fake_config(ConfigName.HYBRID, answers), fake_config(ConfigName.BASELINE, answers)]
    calls = []
    run = run_evaluation(configs, cases, testset=tmp_path / "qa.jsonl", setup_seconds={"model": 1.0},
                         progress=lambda name, done, total: calls.append((name, done, total)))  # fmt: skip
    assert [c.name for c in run.configs] == ["hybrid", "baseline"]
    # round-robin: each question through every configuration before the next question
    assert calls[:4] == [("hybrid", 1, 3), ("baseline", 1, 3), ("hybrid", 2, 3), ("baseline", 2, 3)]
    assert len(calls) == 6
    assert configs[0].ask.asked[1] == ("question f?", [{"role": "user", "content": "earlier question?"}])
    hybrid = run.configs[0]
    assert hybrid.failures == 2 and hybrid.overall["passed"] == pytest.approx(1 / 3)
    assert set(hybrid.by_type) == {"fact", "followup", "unanswerable"}
    assert run.question_types == {"fact": 1, "followup": 1, "unanswerable": 1}


def test_scores_are_kept_per_split_with_validate_first(tmp_path):
    cases = [case("a", split="tune"), case("b", split="validate"), case("c", split="validate")]
    answers = {"question a?": refusal(), "question b?": answer(), "question c?": refusal()}
    run = run_evaluation([fake_config(ConfigName.HYBRID, answers)], cases, testset=tmp_path / "qa.jsonl",
                         setup_seconds={})  # fmt: skip
    hybrid = run.configs[0]
    assert list(hybrid.by_split) == ["validate", "tune"]
    assert hybrid.by_split["validate"]["passed"] == 0.5 and hybrid.by_split["tune"]["passed"] == 0.0
    assert hybrid.by_split_type["validate"]["fact"]["false_refusal_rate"] == 0.5
