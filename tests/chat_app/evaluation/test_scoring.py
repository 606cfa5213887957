"""Scoring a configuration's answers: why a question failed, metrics that do not apply, the hit@k curve."""

import pytest

from chat_app.evaluation.answer_eval import score_answer
from chat_app.evaluation.results import METRICS
from chat_app.evaluation.scoring import hit_curve, outcome, score
from tests.support.fake_answers import GOLD, OTHER, UNANSWERABLE, answer, case, refusal


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
