"""The citation marker and the LLM's refusal line: written once, read back the same way everywhere."""

from __future__ import annotations

import pytest

from chat_app.answer_wording import (
    CITATION_MARKER,
    MARKER_PATTERN,
    REFUSAL_LINES,
    format_marker,
    is_refusal_reply,
    strip_markers,
)


class TestCitationMarkers:
    def test_format_marker_writes_one_bracket_per_id(self):
        assert format_marker([1, 3]) == "[1][3]"
        assert format_marker(iter([2])) == "[2]"
        assert format_marker([]) == ""

    def test_the_citation_marker_reads_back_what_format_marker_writes(self):
        assert [int(n) for n in CITATION_MARKER.findall("边境线长7,644公里。" + format_marker([4, 12]))] == [4, 12]

    @pytest.mark.parametrize(
        "group", ["[1]", "[12]", "[1, 2]", "[1,2,3]", "[1-3]", "【1】", "【1，2】", "[ 2 ]", "[ 2 ; 5 ]"]
    )
    def test_marker_pattern_takes_every_way_an_llm_writes_a_group(self, group):
        assert MARKER_PATTERN.fullmatch(group)

    @pytest.mark.parametrize("text", ["[a]", "[]", "2022年[注]", "(1)", "[1.5]"])
    def test_marker_pattern_leaves_other_brackets(self, text):
        assert not MARKER_PATTERN.search(text)

    def test_strip_markers_leaves_the_claim(self):
        assert strip_markers(" 俄哈边境长7,644公里。[1][2] ") == "俄哈边境长7,644公里。"
        assert strip_markers("Tokayev 【1，2】 said so.") == "Tokayev  said so."


class TestRefusalLine:
    @pytest.mark.parametrize(
        "reply",
        [
            "资料中没有找到这个问题的答案。",
            "  资料中没有找到相关信息。",  # the opening is enough: models reword the rest
            "The articles do not contain the answer to this question.",
            "the articles do not contain any figure for that.",
        ],
    )
    def test_a_reply_opening_with_the_line_is_a_refusal(self, reply):
        assert is_refusal_reply(reply)

    @pytest.mark.parametrize(
        "reply",
        ["托卡耶夫表示，资料中没有找到的内容不作猜测。[1]", "Tokayev said the articles do not contain it.", ""],
    )
    def test_a_reply_that_only_mentions_it_later_is_not(self, reply):
        assert not is_refusal_reply(reply)

    def test_each_language_has_its_line(self):
        assert REFUSAL_LINES["zh"].text == "资料中没有找到这个问题的答案。"
        assert REFUSAL_LINES["en"].text == "The articles do not contain the answer to this question."
