"""Messages sent to the LLM: numbered passages, the question, and the rules from the system prompt."""

from __future__ import annotations

import pytest

from chat_app.answer_wording import is_refusal_reply
from chat_app.llm import prompting
from chat_app.llm.prompting import (
    PromptTemplateError,
    answer_messages,
    condense_messages,
    format_passages,
)
from index.passage import Passage


def passage(number: int, text: str, *, section: str = "外交政策") -> Passage:
    return Passage(
        chunk_id=f"c{number}",
        source=f"00{number}_article.txt",
        title=f"标题{number}",
        section=section,
        text=text,
        start=0,
        end=len(text),
        score=1.0 / number,
    )


PASSAGES = [
    passage(1, "托卡耶夫于2022年9月访问了北京。"),
    passage(2, "哈萨克斯坦没有承认顿巴斯地区的独立。\n", section=""),
]
HISTORY = [
    {"role": "user", "content": "托卡耶夫是谁？"},
    {"role": "assistant", "content": "哈萨克斯坦总统 [1]。"},
]


class TestAnswerMessages:
    @pytest.mark.parametrize("language", ["zh", "en"])
    def test_system_then_user_with_numbered_passages_and_question(self, language):
        system, user = answer_messages("  托卡耶夫何时访问北京？ ", PASSAGES, language=language)
        assert (system["role"], user["role"]) == ("system", "user")
        assert "[1] (001_article.txt · 标题1 · 外交政策)\n托卡耶夫于2022年9月访问了北京。" in user["content"]
        assert "[2] (002_article.txt · 标题2)\n哈萨克斯坦没有承认顿巴斯地区的独立。" in user["content"]
        content = user["content"]
        assert content.index("[1]") < content.index("[2]") < content.index("托卡耶夫何时访问北京？")
        assert user["content"].endswith("托卡耶夫何时访问北京？")

    @pytest.mark.parametrize(
        ("language", "refusal"),
        [("zh", "资料中没有找到这个问题的答案。"), ("en", "The articles do not contain the answer to this question.")],
    )
    def test_system_prompt_holds_the_refusal_line_and_citation_rule(self, language, refusal):
        system, _ = answer_messages("q", PASSAGES, language=language)
        assert system["content"].splitlines().count(refusal) == 1
        assert is_refusal_reply(refusal)  # the line it asks for is the line the engine recognises
        assert "[1]" in system["content"]

    def test_system_prompt_differs_by_language(self):
        zh_system, _ = answer_messages("q", PASSAGES, language="zh")
        en_system, _ = answer_messages("q", PASSAGES, language="en")
        assert "资料中没有找到" in zh_system["content"]
        assert "The articles do not contain" in en_system["content"]

    def test_braces_in_passages_and_question_are_kept_verbatim(self):
        _, user = answer_messages("what is {x}?", [passage(1, "集合 {a, b} 与 {0}")], language="en")
        assert "集合 {a, b} 与 {0}" in user["content"]
        assert "what is {x}?" in user["content"]

    def test_no_passages_leaves_an_empty_block(self):
        _, user = answer_messages("q", [], language="en")
        assert "[1]" not in user["content"]
        assert user["content"].endswith("q")

    def test_unknown_language_lists_the_valid_ones(self):
        with pytest.raises(ValueError, match="unknown language 'fr'; expected one of: zh, en"):
            answer_messages("q", PASSAGES, language="fr")

    def test_edited_template_with_unknown_placeholder_says_what_it_may_use(self, monkeypatch):
        edited = {"answer_system_en": "Be brief.", "answer_user_en": "{passages}\n{question}\n{answer}"}
        monkeypatch.setattr(prompting, "load_prompt", edited.__getitem__)
        with pytest.raises(PromptTemplateError, match=r"'answer_user_en'.*\{passages\}, \{question\}"):
            answer_messages("q", PASSAGES, language="en")


class TestFormatPassages:
    def test_numbers_from_one_and_separates_blocks_by_a_blank_line(self):
        assert format_passages(PASSAGES).split("\n\n")[1].startswith("[2] ")


class TestCondenseMessages:
    def test_one_user_message_with_history_and_follow_up(self):
        (message,) = condense_messages("他什么时候访问了北京？", HISTORY, language="zh")
        assert message["role"] == "user"
        assert "用户: 托卡耶夫是谁？\n助手: 哈萨克斯坦总统 [1]。" in message["content"]
        assert "他什么时候访问了北京？" in message["content"]
        assert "只输出改写后的问题" in message["content"]

    def test_english_labels_and_instruction(self):
        (message,) = condense_messages("When did he visit Beijing?", HISTORY, language="en")
        assert "User: 托卡耶夫是谁？\nAssistant: 哈萨克斯坦总统 [1]。" in message["content"]
        assert "Output only the rewritten question" in message["content"]

    def test_keeps_only_the_latest_turns(self):
        history = [{"role": "user", "content": f"question {n}"} for n in range(10)]
        (message,) = condense_messages("and then?", history, language="en")
        assert "question 3" not in message["content"]
        assert "question 4" in message["content"]
        assert "question 9" in message["content"]
