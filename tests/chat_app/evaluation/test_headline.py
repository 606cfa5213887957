"""An English answer's headline against the gold keywords: values compared, not text, on hand-made cases."""

import pytest

from chat_app.evaluation.headline import headline, headline_agrees


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            "As much as 19.2 billion US dollars [1]\nFrom the articles (in Chinese):\n…[1]",
            "As much as 19.2 billion US dollars",
        ),
        ("8 July [2][3]\nFrom the articles (in Chinese):\n…[2]", "8 July"),
        ("The articles are in Chinese; what they say about this, quoted in the original:\n…[1]", None),
        ("俄罗斯派出约2,000名士兵。[1]", None),  # one line: a quote, not a headline
    ],
    ids=["figure", "date, two markers", "no statement", "a single quote"],
)
def test_the_headline_is_a_cited_first_line_with_evidence_below(answer, expected):
    assert headline(answer) == expected


@pytest.mark.parametrize(
    ("stated", "keywords", "agrees"),
    [
        ("As much as 19.2 billion US dollars", [["192亿"]], True),  # 亿 and billion: the same value
        ("About 10,000 people", [["1万"]], True),
        ("400,000 tonnes", [["35—40万吨"]], True),  # one end of a range
        ("8 July", [["7月8日"]], True),
        ("Late May", [["5月下旬"]], True),
        ("September 2013", [["2013"]], True),
        ("4 July", [["7月8日"]], False),  # another day
        ("14.5%", [["27%"], ["55.3%"]], False),
        ("September 2019", [["纳扎尔巴耶夫大学"], ["2013"]], False),
        ("70,000", [["7万"]], True),
        ("7", [["7月8日"]], False),  # a bare 7 is no date
        ("Uzra Zeya", [["泽雅"]], None),  # a name: nothing to compare
        ("More than 2,000 soldiers", [["士兵"]], None),  # no figure among the keywords
    ],
)
def test_a_headline_agrees_when_it_states_a_value_a_keyword_holds(stated, keywords, agrees):
    assert headline_agrees(stated, keywords) is agrees
