"""Different figures for the same thing from different articles (deterministic, no model)."""

from chat_app.engine.disagreement import compatible_time, find_disagreement, quantities
from chat_app.engine.evidence import EvidenceSentence
from index.passage import Passage


def passage(source, text):
    return Passage(chunk_id=source, source=source, title=source, section="", text=text, start=0, end=len(text), score=1)


def evidence(index, text, score, lexical=1.0):
    return EvidenceSentence(index, 0, len(text), text, 0.9, lexical, True, score)


WSJ = "俄哈两国边境线长达4,750英里（约合7,644公里），是仅次于美加边境的世界第二长边境线。"
PAPER = "俄哈拥有世界上最长的一段陆地边境线——6846公里。"
SAME = "两国边境线约7644公里。"


def test_quantities_normalise_separators_and_units():
    found = {(q.value, q.unit) for q in quantities("约20％的人口，7,644公里，4.1%")}
    assert found == {(20.0, "%"), (7644.0, "公里"), (4.1, "%")}


def test_the_border_figures_disagree():
    passages = [passage("000.txt", WSJ), passage("002.txt", PAPER)]
    found = find_disagreement(
        evidence(0, WSJ, 0.9), [evidence(0, WSJ, 0.9), evidence(1, PAPER, 0.85)], passages,
        question="俄哈边境线有多长？", score_margin=0.12, min_lexical_share=0.6,
    )  # fmt: skip
    assert found is not None and found.unit == "公里"
    assert "7,644公里" in found.note(passages) and "6846公里" in found.note(passages)


def test_the_same_figure_in_two_articles_is_corroboration_not_disagreement():
    passages = [passage("000.txt", WSJ), passage("002.txt", SAME)]
    assert (
        find_disagreement(evidence(0, WSJ, 0.9), [evidence(1, SAME, 0.88)], passages,
                          question="边境线多长", score_margin=0.12, min_lexical_share=0.6)
        is None
    )  # fmt: skip


def test_same_article_or_weak_candidates_are_ignored():
    passages = [passage("000.txt", WSJ), passage("000.txt", PAPER), passage("002.txt", PAPER)]
    candidates = [evidence(1, PAPER, 0.9), evidence(2, PAPER, 0.5)]
    assert find_disagreement(evidence(0, WSJ, 0.9), candidates, passages, question="多长",
                             score_margin=0.12, min_lexical_share=0.6) is None  # fmt: skip


def test_figures_from_different_times_are_not_compared():
    assert not compatible_time("1991年，俄罗斯族占37.8%", "目前俄罗斯族比例降至18.47%")
    assert compatible_time("1990年俄罗斯人比例达到40%", "1991年，俄罗斯族占37.8%")
    assert not compatible_time("现在俄罗斯族占多大比例？", "1991年，俄罗斯族占37.8%")
    assert compatible_time("约20%的人口是俄罗斯族", "目前俄罗斯族比例降至18.47%")
