"""Sentence boundaries: Chinese end marks and closers, English periods, numbers never split."""

import pytest

from ingest.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("他说：“我们会是下一个吗？”这位官员说。", ["他说：“我们会是下一个吗？”", "这位官员说。"]),
        ("分号分开；后半句。", ["分号分开；", "后半句。"]),
        ("（见上文。）下一句。", ["（见上文。）", "下一句。"]),
        ("真的吗？！当然。", ["真的吗？！", "当然。"]),
        ("省略……。然后", ["省略……。", "然后"]),
        ("It rained. Then it stopped.", ["It rained.", "Then it stopped."]),
        ("第一段。\n\n第二段", ["第一段。", "第二段"]),
        ("标题行\n正文。", ["标题行", "正文。"]),
    ],
)
def test_splits_at_sentence_ends(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "边境线长达4,750英里（约合7,644公里），是世界第二长边境线。",
        "比值9.2:1，差距缩小。",
        "人口的3/4是穆斯林。",
        "1—5月出口原油的97%经俄罗斯。",
        "中亚经济今年将平均收缩4.1%。",
        "国防预算约合9.18亿美元。",
        "网址是cn.wsj.com上的文章。",
        "U.S. officials visited Kazakhstan.",
    ],
)
def test_numbers_urls_and_initials_are_never_split(text):
    assert sentences(text) == [text]


def test_an_ellipsis_followed_by_a_comma_does_not_end_the_sentence():
    text = "“仔细看看在乌克兰发生的事情......，如果你们认为可以逃脱，你们就错了。”"
    assert sentences(text) == [text]


def test_spans_point_into_the_original_text_with_whitespace_trimmed():
    text = "  前面有空格。 后面也有。  "
    spans = split_sentences(text)
    assert [(s.start, s.end) for s in spans] == [(2, 8), (9, 14)]


def test_empty_and_blank_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []
