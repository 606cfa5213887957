"""What the Assistant accepts: questions cut before anything keeps them, histories bounded, k checked."""

from __future__ import annotations

import pytest

from chat_app.question_input import (
    MAX_HISTORY_MESSAGES,
    QuestionError,
    clean_history,
    clean_question,
    cut_question,
    passage_count,
)


class TestCleanQuestion:
    def test_keeps_a_normal_question_on_one_line(self):
        assert clean_question(" 俄哈边境线\n有多长？\t", limit=500).text == "俄哈边境线 有多长？"

    def test_cuts_a_long_question_with_a_note_naming_both_lengths(self):
        cleaned = clean_question("问" * 1_000_000, limit=500)
        assert cleaned.text == "问" * 500
        assert cleaned.notes == ("the question was 1000000 characters; only the first 500 were used",)

    @pytest.mark.parametrize("question", ["？？？！！！。。。", "...", "😀😀", "— · —", "【】《》"])
    def test_punctuation_or_symbols_alone_ask_for_a_question(self, question):
        with pytest.raises(QuestionError, match=r"has no words to search for.*please ask a question"):
            clean_question(question, limit=500)

    @pytest.mark.parametrize("question", ["2022", "GDP?", "为什么？"])
    def test_one_word_or_number_is_a_question(self, question):
        assert clean_question(question, limit=500).text == question

    @pytest.mark.parametrize("question", ["", "  \n", None, "\u200b\u200b"])
    def test_nothing_at_all_is_an_empty_question(self, question):
        with pytest.raises(QuestionError, match="the question is empty"):
            clean_question(question, limit=500)

    def test_cut_question_never_raises_so_the_ui_can_cut_first(self):
        assert cut_question("？？？", limit=500).text == "？？？"
        assert cut_question("", limit=500).text == ""


class TestCleanHistory:
    def test_keeps_the_last_messages_each_cut_to_the_limit(self):
        history = [{"role": "user", "content": f"{i}" + "长" * 1_000_000} for i in range(100)]
        cleaned = clean_history(history, limit=500)
        assert len(cleaned) == MAX_HISTORY_MESSAGES
        assert cleaned[0]["content"].startswith("80长") and {len(m["content"]) for m in cleaned} == {500}

    @pytest.mark.parametrize(
        "turns",
        [
            pytest.param(["哈萨克斯坦的首都在哪？", "那中国呢"], id="earlier questions as strings"),
            pytest.param([("哈萨克斯坦的首都在哪？", "阿斯塔纳。"), ("那中国呢", None)], id="gradio's older pairs"),
            pytest.param([["哈萨克斯坦的首都在哪？", "阿斯塔纳。"], ["那中国呢", ""]], id="pairs as lists"),
            pytest.param(
                [{"question": "哈萨克斯坦的首都在哪？", "answer": "阿斯塔纳。"}, {"question": "那中国呢"}],
                id="question and answer fields",
            ),
            pytest.param(
                [
                    {"role": "User", "content": "哈萨克斯坦的首都在哪？"},
                    {"role": "assistant", "content": [{"type": "text", "text": "阿斯塔纳。"}]},
                    {"role": "human", "content": "那中国呢"},
                ],
                id="roles in other spellings, content blocks",
            ),
        ],
    )
    def test_a_turn_is_read_in_every_common_shape(self, turns):
        cleaned = clean_history(turns, limit=500)
        assert [m["content"] for m in cleaned if m["role"] == "user"] == ["哈萨克斯坦的首都在哪？", "那中国呢"]
        assert [m["content"] for m in cleaned if m["role"] == "assistant"] in ([], ["阿斯塔纳。"])

    def test_chat_message_objects_of_gradio_and_llama_index_are_read(self):
        import gradio as gr
        from llama_index.core.llms import ChatMessage, MessageRole

        history = [
            ChatMessage(role=MessageRole.USER, content="首都在哪？"),
            gr.ChatMessage(role="assistant", content="阿斯塔纳。"),
        ]
        assert clean_history(history, limit=500) == (
            {"role": "user", "content": "首都在哪？"},
            {"role": "assistant", "content": "阿斯塔纳。"},
        )

    def test_skips_what_is_not_a_user_or_assistant_turn(self):
        history = [{"role": "user", "content": "问"}, {"role": "system", "content": "x"}, 3, None, [1, 2, 3],
                   {"role": "user", "content": ("/tmp/upload.pdf",)}, {"role": "tool", "content": "y"}]  # fmt: skip
        assert clean_history(history, limit=500) == ({"role": "user", "content": "问"},)

    def test_pairs_count_as_two_messages_towards_the_limit(self):
        cleaned = clean_history([(f"问{i}", f"答{i}") for i in range(30)], limit=500)
        assert len(cleaned) == MAX_HISTORY_MESSAGES and cleaned[-1] == {"role": "assistant", "content": "答29"}

    @pytest.mark.parametrize("history", ["那中国呢", b"bytes", 42, {"role": "user"}, iter([])])
    def test_anything_but_a_list_is_a_clear_error(self, history):
        with pytest.raises(QuestionError, match=r"history must be a list of .* messages, not"):
            clean_history(history, limit=500)


class TestPassageCount:
    @pytest.mark.parametrize("k", [-1, 0, 2.5, "3", True, 51, float("nan")])
    def test_only_whole_numbers_from_1_to_50(self, k):
        with pytest.raises(QuestionError, match="k must be a whole number of passages from 1 to 50"):
            passage_count(k, 5)

    def test_none_means_the_default(self):
        assert passage_count(None, 5) == 5 and passage_count(50, 5) == 50
