"""Refusal decisions on hand-made evidence (deterministic; thresholds from the calibration)."""

from chat_app.engine.evidence import EvidenceSentence
from chat_app.engine.question import AnswerType, QuestionProfile
from chat_app.engine.refusal import RefusalThresholds, decide
from index.term_stats import TermStats

STATS = TermStats.from_token_lists([["边境线", "俄罗斯", "公里"], ["中国", "投资", "石油"], ["人口", "民族"]] * 10)


def question(terms, answer_type=AnswerType.OTHER, **extra):
    return QuestionProfile(
        text="q", language="zh", answer_type=answer_type, terms=tuple(terms), numbers=(),
        groups=tuple((t,) for t in terms), **extra,
    )  # fmt: skip


def sentence(text, semantic=0.9, entities=1.0):
    return EvidenceSentence(0, 0, len(text), text, semantic, 1.0, True, semantic, entities)


def test_good_evidence_is_answered():
    decision = decide(question(["边境线", "俄罗斯"], AnswerType.NUMBER), [sentence("俄罗斯边境线长7644公里")], STATS)
    assert not decision.refuse


def test_nothing_retrieved_is_refused():
    assert decide(question(["边境线"]), [], STATS).refuse


def test_far_meaning_is_refused():
    decision = decide(question(["边境线"]), [sentence("边境线", semantic=0.70)], STATS)
    assert decision.refuse and "close" in decision.reason


def test_a_year_or_measured_thing_the_corpus_never_mentions_is_refused():
    decision = decide(question(["人口"], AnswerType.NUMBER, measured=("小麦",)), [sentence("人口1900万")], STATS)
    assert decision.refuse and "小麦" in decision.reason
    decision = decide(question(["人口"], years=("2023",)), [sentence("人口1900万")], STATS)
    assert decision.refuse and "2023" in decision.reason


def test_a_number_question_without_a_number_in_the_evidence_is_refused():
    decision = decide(question(["边境线"], AnswerType.NUMBER), [sentence("边境线很长")], STATS)
    assert decision.refuse and "number" in decision.reason


def test_evidence_about_another_country_is_refused():
    decision = decide(question(["边境线"], entities=("中国",)), [sentence("俄哈边境线", entities=0.0)], STATS)
    assert decision.refuse and "another country" in decision.reason


def test_low_coverage_is_forgiven_when_the_meaning_is_very_close():
    thresholds = RefusalThresholds()
    profile = question(["投资", "石油", "人口"])
    close = sentence("无关的词", semantic=thresholds.strong_semantic + 0.01)
    far = sentence("无关的词", semantic=thresholds.strong_semantic - 0.02)
    assert not decide(profile, [close], STATS, thresholds).refuse
    assert decide(profile, [far], STATS, thresholds).refuse
