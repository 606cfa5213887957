"""Single features of a candidate sentence, on hand-made questions (no model or index)."""

import pytest

from chat_app.engine.features import FEATURES, _compactness
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
