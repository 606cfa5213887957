"""ConflictFinder: only the same quantity, for the same subject and time, stated differently."""

import pytest

from chat_app.engine.conflicts import ConflictFinder
from tests.support.fake_evidence import evidence_of, question_about

BORDER_WSJ = "俄哈两国边境线长达4,750英里（约合7,644公里），是仅次于美加边境的世界第二长边境线。"
BORDER_PAPER = "俄哈拥有世界上最长的一段陆地边境线——6846公里，哈是俄南部天然屏障。"


@pytest.fixture(scope="module")
def finder():
    return ConflictFinder()


def test_two_articles_giving_different_border_lengths_disagree(finder):
    question = question_about(["边境线", "俄罗斯"], answer_type="number")
    evidence = evidence_of([(BORDER_PAPER, "b.txt", 0.8), (BORDER_WSJ, "a.txt", 0.75)])
    found = finder.run(question, evidence, min_probability=0.5)
    assert found is not None
    assert found.first_figures == ("6846公里",) and found.second_figures == ("7,644公里",)
    assert found.note(evidence).startswith("sources disagree: b.txt says 6846公里, a.txt says 7,644公里")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a hedged figure within rounding of the exact one: the same figure
        ("其中哈萨克族占约70％，俄罗斯族占比已经不足20％。", "目前俄罗斯族比例降至18.47%，但在北部一些地区较高。"),
        # a 1991 share is not a claim about today
        ("1991年，俄罗斯族占当地总人口的37.8%。", "目前俄罗斯族比例降至18.47%。"),
        # … nor is it beside an undated one: an article of 2022 states the present without a year
        ("1991年，俄罗斯族占当地总人口的37.8%。", "哈萨克斯坦约20%的人口是俄罗斯族。"),
        # different years for the same thing
        ("2021年俄罗斯族占20%。", "2010年俄罗斯族占25%。"),
        # the figure is about another subject (哈萨克族), not the one asked about
        ("当时哈萨克族只占42.7％。", "目前俄罗斯族比例降至18.47%。"),
    ],
)
def test_figures_that_do_not_describe_the_same_thing_at_the_same_time_are_no_disagreement(finder, first, second):
    question = question_about(["俄罗斯族", "比例"], answer_type="number")
    evidence = evidence_of([(first, "a.txt", 0.8), (second, "b.txt", 0.8)])
    assert finder.run(question, evidence, min_probability=0.5) is None


def test_shares_of_two_different_peoples_are_no_disagreement_about_the_population(finder):
    """哈萨克斯坦现在有多少人口？: 70% (the Kazakhs) and 20% (the Russians) were shown as a disagreement."""
    question = question_about(["人口"], answer_type="number", entities=())
    evidence = evidence_of([("其中人口最多的两大族哈萨克族占约70％，俄罗斯族占比已经不足20％。", "a.txt", 0.8),
                            ("哈萨克斯坦约20%的人口是俄罗斯族。", "b.txt", 0.8)])  # fmt: skip
    assert finder.run(question, evidence, min_probability=0.5) is None
    # … while the same two peoples' shares stated differently still disagree
    evidence = evidence_of([("俄罗斯族占全国人口的37%。", "a.txt", 0.8), ("哈萨克斯坦约20%的人口是俄罗斯族。", "b.txt", 0.8)])
    assert finder.run(question, evidence, min_probability=0.5) is not None


def test_one_article_giving_two_figures_is_not_a_disagreement_between_articles(finder):
    question = question_about(["边境线"], answer_type="number")
    evidence = evidence_of([(BORDER_PAPER, "a.txt", 0.8), (BORDER_WSJ, "a.txt", 0.8)])
    assert finder.run(question, evidence, min_probability=0.5) is None


def test_a_weak_second_sentence_is_not_compared(finder):
    question = question_about(["边境线"], answer_type="number")
    evidence = evidence_of([(BORDER_PAPER, "b.txt", 0.9), (BORDER_WSJ, "a.txt", 0.1)])
    assert finder.run(question, evidence, min_probability=0.5) is None


def test_the_comma_inside_a_number_does_not_cut_its_clause(finder):
    figures = finder.figures(BORDER_WSJ, question_about(["边境线"]).terms)
    assert [f.text for f in figures] == ["4,750英里", "7,644公里"]
    assert figures[1].hedged and not figures[0].hedged


PIPELINE_SHARE = "哈萨克斯坦约80%的石油出口都是通过里海输油管道经由俄罗斯输送到黑海港口。"
PORTS_AND_PIPELINE = "哈萨克斯坦出口原油的97%经俄罗斯港口出口，其中80%的石油经里海管道联盟出口。"


@pytest.mark.parametrize("subject", [["石油", "出口"], ["港口"]], ids=["both clauses name it", "only one does"])
def test_two_articles_stating_one_figure_alike_agree_whatever_else_one_of_them_adds(finder, subject):
    """哈萨克斯坦的石油主要怎么运出去: both say 80% go through the pipeline; the 97% through Russian ports
    is another quantity, and was shown as a disagreement with the 80% (also when the shared figure's
    clause does not name what the question asks about)."""
    question = question_about(subject, answer_type="number")
    evidence = evidence_of([(PIPELINE_SHARE, "a.txt", 0.8), (PORTS_AND_PIPELINE, "b.txt", 0.8)])
    assert finder.run(question, evidence, min_probability=0.5) is None
    # … and without the shared 80% the two figures still disagree
    differs = PORTS_AND_PIPELINE.replace("其中80%", "其中60%")
    evidence = evidence_of([(PIPELINE_SHARE, "a.txt", 0.8), (differs, "b.txt", 0.8)])
    assert finder.run(question, evidence, min_probability=0.5) is not None


def test_a_figure_whose_clause_names_none_of_the_countries_asked_about_is_no_disagreement(finder):
    """世界银行对今年俄罗斯经济怎么看？: Central Asia's −4.1% is not another figure for Russia's −8.9%."""
    question = question_about(["世界银行", "经济"], answer_type="number", entities=("俄罗斯",))
    evidence = evidence_of([("世界银行预测今年俄罗斯经济将收缩8.9%。", "a.txt", 0.8),
                            ("世界银行预测，中亚经济今年将平均收缩4.1%。", "b.txt", 0.7)])  # fmt: skip
    assert finder.run(question, evidence, min_probability=0.5) is None
    # … while two figures for the country asked about still disagree
    evidence = evidence_of([("世界银行预测今年俄罗斯经济将收缩8.9%。", "a.txt", 0.8),
                            ("另一家机构认为俄罗斯经济今年将收缩5%。", "b.txt", 0.7)])  # fmt: skip
    assert finder.run(question, evidence, min_probability=0.5) is not None
