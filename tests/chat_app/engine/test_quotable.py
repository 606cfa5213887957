"""Quotability on hand-made ranked sentences (deterministic fakes, no model or index)."""

from dataclasses import replace

import pytest

from chat_app.engine.quotable import Quotability
from tests.support.fake_evidence import evidence_of, question_about

QUESTION = replace(question_about(["首都"], text="首都现在叫什么名字？"), focus_nouns=("首都",))


@pytest.fixture(scope="module")
def quotability():
    return Quotability()


@pytest.mark.parametrize(
    ("sentence", "features", "usable"),
    [
        ("也有报道说，首都努尔苏丹等城市的局势相对稳定。", {}, True),
        ("难道首都会搬走吗？", {"is_question": 1.0}, False),
        ("中国的首都是北京。", {"other_entity": 1.0}, False),
        ("以下几点尤为值得关注：", {}, False),
        ("在前首都阿拉木图等地，政府机关一度被占领。", {}, False),
        ("前首都阿拉木图和首都努尔苏丹都很平静。", {}, True),  # also names the capital as it is now
    ],
    ids=["plain", "own question", "another country", "lead-in", "former only", "former and current"],
)
def test_which_sentences_an_answer_may_quote(quotability, sentence, features, usable):
    evidence = evidence_of([(sentence, "a.txt", 0.9)], features={0: features})
    assert quotability.usable(evidence.sentences[0], QUESTION) is usable


def test_a_question_about_the_past_may_quote_the_former_one(quotability):
    past = replace(question_about(["首都"], text="以前的首都是哪里？"), focus_nouns=("首都",))
    evidence = evidence_of([("在前首都阿拉木图等地，政府机关一度被占领。", "a.txt", 0.9)])
    assert quotability.usable(evidence.sentences[0], past)


def test_the_lead_is_the_best_usable_sentence_or_the_best_when_none_is(quotability):
    former = ("在前首都阿拉木图等地，政府机关一度被占领。", "a.txt", 0.9)
    current = ("也有报道说，首都努尔苏丹等城市的局势相对稳定。", "a.txt", 0.5)
    assert quotability.lead(evidence_of([former, current]).sentences, QUESTION).candidate.text == current[0]
    assert quotability.lead(evidence_of([former]).sentences, QUESTION).candidate.text == former[0]
    assert quotability.lead((), QUESTION) is None


@pytest.mark.parametrize(
    ("asked", "sentence", "usable"),
    [
        ("哈萨克斯坦1月骚乱死了多少人？", "7月4日，乌兹别克斯坦努库斯市发生骚乱，造成21人死亡。", False),
        ("哈萨克斯坦1月骚乱死了多少人？", "包括安全部队成员在内的十多人在暴乱中死亡。", True),  # names no country
        ("哈萨克斯坦1月骚乱死了多少人？", "哈萨克斯坦和乌兹别克斯坦都发生了骚乱。", True),  # names the one asked too
        ("哈萨克斯坦和乌兹别克斯坦哪里死的人多？", "乌兹别克斯坦努库斯市发生骚乱，造成21人死亡。", True),  # asked too
        ("俄罗斯怎么看这次骚乱？", "乌兹别克斯坦努库斯市发生骚乱。", True),  # Russia has no peers listed
    ],
)
def test_a_sentence_about_a_peer_of_the_country_asked_about_instead_is_not_quoted(quotability, asked, sentence, usable):
    """Kazakhstan is left out of the ranker's entity features (every article is about it), so a sentence
    about Uzbekistan's unrest could answer a question about Kazakhstan's; peers are entities.toml groups."""
    evidence = evidence_of([(sentence, "a.txt", 0.9)])
    assert quotability.usable(evidence.sentences[0], question_about(["骚乱"], text=asked)) is usable
