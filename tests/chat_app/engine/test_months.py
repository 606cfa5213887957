"""MonthReader: the months a question names and the months a passage states (the real [dates] words of
language.toml; the sentences are invented)."""

import pytest

from chat_app.engine.months import MonthReader
from chat_app.engine.resources import language


@pytest.fixture(scope="module")
def months():
    return MonthReader(language().dates)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("2022年11月那次选举谁赢了？", {11}),
        ("十一月那次选举谁赢了？", {11}),
        ("一月出事的时候谁去了？", {1}),
        ("Who won the election in November 2022?", {11}),
        ("what happened in nov", {11}),
        ("How did they vote on March 2?", {3}),
        ("what did they sign on 5 May", {5}),
        ("anything new since Sept. 2022?", {9}),
        ("3月和4月各来了几个人", {3, 4}),
    ],
)
def test_the_months_a_question_names_are_read_in_chinese_and_english(months, question, named):
    assert months.named(question) == named


@pytest.mark.parametrize(
    "question",
    [
        "How many people joined the Victory Day march in the city?",  # a march, not March
        "Who may have voted against it?",  # the verb, not May
        "撤军用了三个月吗",  # counts months, names none
        "第一月的数据呢",
        "同一月份里来了几批？",
        "What did the junior minister say?",
    ],
)
def test_words_that_only_look_like_months_name_none(months, question):
    assert months.named(question) == frozenset()


@pytest.mark.parametrize(
    ("passage", "stated"),
    [
        ("3月24日，大会通过了决议。", {3}),
        ("今年1—5月的出口量翻了一番。", {1, 2, 3, 4, 5}),
        ("2021年1月至11月，进口量增长。", set(range(1, 12))),
        ("今年年初，抗议爆发。", {1}),
        ("到年底前完成。", {12}),
        ("该组织自十月起扩员。", {10}),
        ("协议签了三个月。", set()),
    ],
)
def test_the_months_a_passage_states_include_ranges_and_parts_of_the_year(months, passage, stated):
    assert months.stated(passage) == stated
