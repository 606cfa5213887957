"""Single features of a candidate sentence, on hand-made questions (no model or index)."""

import pytest

from chat_app.engine.entities import EntityMatcher
from chat_app.engine.features import FEATURES, _compactness, about_someone_else
from chat_app.engine.text import normalize
from tests.support.fake_evidence import question_about


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("俄罗斯国防部长访问了哈萨克斯坦。", 0.0),  # one term only: nothing to measure
        ("哈萨克斯坦国防预算增加了。", 1.0),  # the two terms side by side
        ("哈萨克斯坦在那一年里做了很多事情，其中包括国防预算。", 9 / 25),
    ],
)
def test_compactness_is_the_matched_share_of_the_stretch_between_the_terms(sentence, expected):
    question = question_about(["哈萨克斯坦", "国防预算", "通货膨胀"])
    assert _compactness(question, normalize(sentence)) == pytest.approx(expected)


def test_the_new_features_are_part_of_the_ranker_inputs():
    assert {"entity_own", "heading_cover", "compactness"} <= set(FEATURES)
    assert len(FEATURES) == len(set(FEATURES))


@pytest.mark.parametrize(
    ("question", "sentence", "elsewhere"),
    [
        # Naming the leader the question names keeps it on topic, whatever else it names …
        ("托卡耶夫在圣彼得堡说了什么让俄罗斯不爽", "托卡耶夫表示不承认“卢甘斯克”和“顿涅茨克”。", False),
        ("Why did Tokayev annoy Russia in St Petersburg?", "托卡耶夫表示不承认“卢甘斯克”和“顿涅茨克”。", False),
        # … without him the sentence is about Ukraine, not Russia
        ("托卡耶夫在圣彼得堡说了什么让俄罗斯不爽", "泽连斯基表示乌克兰不会让步。", True),
        ("俄罗斯对哈萨克斯坦投资了多少", "中国对哈萨克斯坦的投资高达192亿美元。", True),
        ("俄罗斯对哈萨克斯坦投资了多少", "俄罗斯对哈累计投资达430亿美元。", False),
        ("哈萨克斯坦的人口有多少", "中国的人口很多。", False),  # the question names nobody to stray from
    ],
)
def test_a_sentence_is_about_someone_else_unless_it_names_whom_the_question_names(question, sentence, elsewhere):
    entities = EntityMatcher()
    asked, own = set(entities.named(question)), set(entities.named(sentence))
    assert about_someone_else(entities, question, asked, sentence, own) is elsewhere
