"""One run over fake answers, two configurations and four questions, whose every number is known by hand."""

import pytest

from chat_app.evaluation.configs import ConfigName
from chat_app.evaluation.runner import run_evaluation
from tests.support.fake_answers import HOSTILE, OTHER, UNANSWERABLE, answer, case, fake_config, refusal


@pytest.fixture
def run(tmp_path):
    cases = [case("a"), case("b"), case("c", type="multi"), UNANSWERABLE]
    # hybrid: a perfect, b a false refusal, c cites a file outside the gold sources, u correctly refused
    hybrid = {"question a?": answer(), "question b?": refusal(), "question c?": answer(cited=(OTHER,)),
              "question u?": refusal()}  # fmt: skip
    # baseline: b answered (with markup in the text), u answered although nothing answers it
    baseline = {**hybrid, "question b?": answer(f"{HOSTILE} 2000 士兵"), "question u?": answer()}
    configs = [fake_config(ConfigName.HYBRID, hybrid), fake_config(ConfigName.BASELINE, baseline)]
    return run_evaluation(configs, cases, testset=tmp_path / "qa.jsonl", setup_seconds={"model": 1.0})
