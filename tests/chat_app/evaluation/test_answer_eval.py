"""Answer metrics on hand-made cases with known values: a perfect answer, a wrong citation, a false
refusal, a missed refusal, a multi-source question, a conflict."""

from dataclasses import replace

import pytest

from chat_app.evaluation.answer_eval import score_answer, summarize
from tests.support.fake_answers import GOLD, OTHER, SECOND, answer, case, refusal


class TestScoreAnswer:
    def test_a_perfect_answer_passes_on_every_count(self):
        result = score_answer(case(), answer(ms=42.0))
        assert result.keywords_ok and not result.refused and result.passed
        assert result.citation_precision == 1.0 and result.citation_recall is None  # one gold source: no recall
        assert result.cited_sources == [GOLD] and result.latency_ms == 42.0
        assert result.retrieval.hit_at_1 == 1.0 and result.retrieval.keywords_at_5 == 1.0

    def test_a_citation_outside_the_gold_sources_halves_precision_and_fails(self):
        result = score_answer(case(), answer(cited=(GOLD, OTHER)))
        assert result.keywords_ok and result.citation_precision == 0.5 and not result.passed

    def test_citing_only_a_wrong_file_has_zero_precision(self):
        assert score_answer(case(), answer(cited=(OTHER,))).citation_precision == 0.0

    def test_a_missing_keyword_group_fails(self):
        result = score_answer(case(), answer("俄罗斯派出约2,000人。[1]"))
        assert not result.keywords_ok and not result.passed

    def test_refusing_an_answerable_question_is_a_false_refusal(self):
        result = score_answer(case(), refusal())
        assert result.refused and not result.keywords_ok and not result.passed
        assert result.citation_precision is None  # nothing cited
        assert result.retrieval.hit_at_5 == 0.0  # retrieval is still scored

    def test_answering_an_unanswerable_question_is_a_missed_refusal(self):
        result = score_answer(case(sources=(), keywords=(), type="unanswerable", answerable=False), answer())
        assert not result.refused and not result.passed and result.retrieval is None

    def test_refusing_an_unanswerable_question_passes(self):
        result = score_answer(case(sources=(), keywords=(), type="unanswerable", answerable=False), refusal())
        assert result.refused and result.passed

    @pytest.mark.parametrize(("cited", "recall"), [((GOLD,), 0.5), ((GOLD, SECOND), 1.0), ((OTHER,), 0.0)])
    def test_recall_is_the_share_of_gold_sources_cited_on_multi_source_questions(self, cited, recall):
        result = score_answer(case(sources=(GOLD, SECOND), type="multi"), answer(cited=cited))
        assert result.citation_recall == recall

    def test_a_disagreement_note_is_recognized(self):
        noted = answer(notes=("sources disagree: gold.txt says 7644, other.txt says 6846",))
        assert score_answer(case(type="conflict"), noted).disagreement_noted
        assert not score_answer(case(type="conflict"), answer()).disagreement_noted


class TestSummarize:
    def test_rates_use_their_own_denominators(self):
        unanswerable = case("u", sources=(), keywords=(), type="unanswerable", answerable=False)
        results = [
            score_answer(case("a"), answer(ms=10.0)),  # perfect
            score_answer(case("b"), refusal(ms=20.0)),  # false refusal
            score_answer(case("c"), answer(cited=(GOLD, OTHER), ms=30.0)),  # wrong citation
            score_answer(unanswerable, refusal(ms=40.0)),  # correct refusal
            score_answer(unanswerable, answer(ms=50.0)),  # missed refusal
        ]
        summary = summarize(results)
        assert (summary.questions, summary.answerable, summary.unanswerable) == (5, 3, 2)
        assert summary.answer_accuracy == pytest.approx(2 / 3)  # a and c hold the keywords
        assert summary.false_refusal_rate == pytest.approx(1 / 3)
        assert summary.refusal_rate == 0.5
        # a, c, and the missed refusal, whose citation cannot be a gold source
        assert summary.citation_precision == pytest.approx((1.0 + 0.5 + 0.0) / 3)
        assert summary.passed == pytest.approx(2 / 5)  # a and the correct refusal
        assert (summary.latency_p50_ms, summary.latency_p95_ms) == (30.0, 50.0)


class TestEnglishHeadline:
    ENGLISH = "How many soldiers did Russia send?"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("More than 2,000 soldiers [1]\nFrom the articles (in Chinese):\n俄罗斯派出2,000多名士兵。[1]", True),
            ("More than 3,000 soldiers [1]\nFrom the articles (in Chinese):\n俄罗斯派出2,000多名士兵。[1]", False),
            ("The articles are in Chinese:\n俄罗斯派出2,000多名士兵。[1]", None),
        ],
        ids=["right figure", "wrong figure", "no headline"],
    )
    def test_an_english_answers_headline_is_checked_against_the_keywords(self, text, expected):
        english = replace(case(), question=self.ENGLISH)
        assert score_answer(english, answer(text)).headline_ok is expected

    def test_a_chinese_question_or_a_refusal_has_no_headline_to_check(self):
        text = "More than 3,000 soldiers [1]\n俄罗斯派出2,000多名士兵。[1]"
        assert score_answer(replace(case(), question="俄罗斯派了多少兵？"), answer(text)).headline_ok is None
        assert score_answer(replace(case(), question=self.ENGLISH), refusal()).headline_ok is None

    def test_the_summary_rates_only_checked_headlines(self):
        english = replace(case(), question=self.ENGLISH)
        right = "More than 2,000 soldiers [1]\n俄罗斯派出2,000多名士兵。[1]"
        wrong = "About 900 soldiers [1]\n俄罗斯派出2,000多名士兵。[1]"
        results = [
            score_answer(english, answer(right)),
            score_answer(english, answer(wrong)),
            score_answer(case(), answer()),
        ]
        assert summarize(results).headline_agreement == 0.5
