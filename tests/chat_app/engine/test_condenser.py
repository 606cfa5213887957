"""Rule-based follow-up condensing (no LLM)."""

import pytest

from chat_app.engine.condenser import condense, is_elliptical

HISTORY = [
    {"role": "user", "content": "哈萨克斯坦为什么没有支持俄罗斯？"},
    {"role": "assistant", "content": "因为……[1]"},
]


def test_what_about_x_swaps_the_previous_subject():
    assert condense("那中国呢？", HISTORY) == "中国为什么没有支持俄罗斯？"


@pytest.mark.parametrize(
    "follow_up", ["为什么？", "他给出的理由是什么？", "其中哈萨克族占多少？", "现在有几个成员国？"]
)
def test_elliptical_follow_ups_carry_the_previous_topic(follow_up):
    standalone = condense(follow_up, HISTORY)
    assert standalone.startswith("哈萨克斯坦为什么没有支持俄罗斯")
    assert standalone.endswith(follow_up)


def test_a_self_contained_question_is_left_alone_even_after_an_opener():
    question = "那中国在哈萨克斯坦骚乱中做了什么？"
    assert not is_elliptical(question)
    assert condense(question, HISTORY) == question


def test_without_history_nothing_changes():
    assert condense("为什么？", []) == "为什么？"
    assert condense("为什么？", [{"role": "assistant", "content": "hi"}]) == "为什么？"


def test_english_follow_ups():
    history = [{"role": "user", "content": "Why did Kazakhstan refuse to back Russia?"}]
    assert condense("What about China?", history) == "Why did Kazakhstan refuse to back Russia What about China?"
    assert condense("How long is the Russia–Kazakhstan border?", history) == "How long is the Russia–Kazakhstan border?"
