"""The eval run: why a question failed, metrics that do not apply, the hit@k curve, orchestration."""

import pytest

from chat_app.evaluation.answer_eval import score_answer
from chat_app.evaluation.configs import ConfigName
from chat_app.evaluation.run import METRICS, format_value, hit_curve, outcome, run_evaluation, score
from tests.chat_app.evaluation.fake_answers import GOLD, OTHER, answer, case, fake_config, refusal

UNANSWERABLE = case("u", sources=(), keywords=(), type="unanswerable", answerable=False)


def scored(test_case, test_answer):
    return outcome(test_case, score_answer(test_case, test_answer))


class TestOutcome:
    @pytest.mark.parametrize(
        ("test_case", "test_answer", "problems"),
        [
            (case(), answer(), []),
            (case(), refusal(), ["refused an answerable question"]),
            (UNANSWERABLE, answer(), ["answered a question the articles cannot answer"]),
            (UNANSWERABLE, refusal(), []),
            (case(), answer("约2,000人。[1]"), ["missing keywords: 士兵"]),
            (case(), answer("士兵。[1]"), ["missing keywords: 2,000 | 2000"]),
            (case(), answer(cited=(GOLD, OTHER)), ["cited outside the gold sources: other.txt"]),
        ],
        ids=["perfect", "false refusal", "missed refusal", "correct refusal", "missing group", "missing alternatives",
             "wrong citation"],
    )  # fmt: skip
    def test_problems_name_why_a_question_failed(self, test_case, test_answer, problems):
        result = scored(test_case, test_answer)
        assert result.problems == problems
        assert result.passed == (not problems)

    def test_a_refused_answer_lists_no_missing_keywords(self):
        assert scored(case(), refusal()).missing_keywords == []

    def test_to_dict_adds_the_verdict_to_the_answer_result(self):
        data = scored(case(), answer()).to_dict()
        assert data["passed"] is True and data["gold_sources"] == [GOLD] and data["case_id"] == "t1"
        assert data["expected_keywords"] == [["2,000", "2000"], ["士兵"]]


class TestScore:
    def test_a_rate_over_no_applicable_question_is_none_not_zero(self):
        scores = score([scored(case(), answer())])
        assert scores["refusal_rate"] is None and scores["disagreement_noted"] is None
        assert scores["citation_recall"] is None
        assert scores["answer_accuracy"] == 1.0 and scores["false_refusal_rate"] == 0.0

    def test_an_unanswerable_only_group_has_no_retrieval_scores(self):
        scores = score([scored(UNANSWERABLE, refusal())])
        assert scores["hit_at_1"] is None and scores["mrr"] is None and scores["answer_accuracy"] is None
        assert scores["refusal_rate"] == 1.0 and scores["passed"] == 1.0

    def test_every_metric_is_scored(self):
        assert set(score([scored(case(), answer())])) == {spec.key for spec in METRICS}

    def test_answer_length_is_the_median_in_characters(self):
        outcomes = [scored(case(), answer("士兵2000" * n)) for n in (1, 2, 3)]
        assert score(outcomes)["answer_chars_p50"] == 12.0


def test_hit_curve_counts_the_first_gold_file_at_each_k():
    outcomes = [
        scored(case("a"), answer(passages=(GOLD,))),
        scored(case("b"), answer(passages=(OTHER, GOLD))),
        scored(case("c"), answer(passages=(OTHER,) * 5)),
        scored(UNANSWERABLE, refusal()),  # not retrieval-scored
    ]
    assert hit_curve(outcomes) == pytest.approx([1 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3])


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [("hit_at_1", 0.5, "0.500"), ("hit_at_1", None, "—"), ("latency_p50_ms", 12.345, "12.3"),
     ("answer_chars_p50", 127.0, "127")],
)  # fmt: skip
def test_format_value(key, value, text):
    assert format_value(key, value) == text


def test_config_names_list_the_valid_ones():
    assert ConfigName.from_str("baseline") is ConfigName.BASELINE
    with pytest.raises(ValueError, match="valid configurations: hybrid, vector, bm25, baseline"):
        ConfigName.from_str("dense")


class TestRunEvaluation:
    def test_every_configuration_answers_every_question_with_its_history(self, tmp_path):
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

    def test_summary_and_results_hold_the_same_numbers(self, tmp_path):
        run = run_evaluation([fake_config(ConfigName.HYBRID, {"question t1?": answer()})], [case()],
                             testset=tmp_path / "qa.jsonl", setup_seconds={})  # fmt: skip
        full = run.to_dict()["configs"]["hybrid"]
        summary = run.summary()["configs"]["hybrid"]
        assert summary["overall"] == full["overall"] and summary["by_type"] == full["by_type"]
        assert full["questions"][0]["passed"] is True
