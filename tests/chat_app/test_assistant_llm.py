"""The optional LLM generator against a scripted OpenAI-compatible server (deterministic double):
verified citations, corrected citations, and the extractive fallback on every kind of failure."""

import re

import pytest

from chat_app.assistant import Assistant
from tests.support.llm_double import ScriptedLlmServer, delay, garbage, http_error, reply
from tests.support.paths import WSJ

QUESTION = "俄哈边境线有多长？"
BORDER = "俄哈两国边境线长达4,750英里（约合7,644公里）"


@pytest.fixture(scope="module")
def server():
    with ScriptedLlmServer() as double:
        yield double


@pytest.fixture(scope="module")
def llm_bot(kzqa_config, embedder, server):
    config = kzqa_config.with_overrides(llm_base_url=server.base_url, llm_model="scripted", llm_timeout_s=1.0)
    return Assistant(config, embedder=embedder)


def passage_number(request, needle):
    """The [n] the prompt gave the passage that contains `needle` (what a faithful LLM would cite)."""
    prompt = request.messages[-1]["content"]
    for match in re.finditer(r"^\[(\d+)\][^\n]*\n(.*?)(?=^\[\d+\]|\Z)", prompt, re.M | re.S):
        if needle in match.group(2):
            return int(match.group(1))
    raise AssertionError(f"{needle!r} not in the prompt")


def other_number(request, needle):
    return 1 if passage_number(request, needle) != 1 else 2


def test_a_correctly_cited_llm_answer_is_kept(llm_bot, server):
    server.script(lambda r: reply(f"俄哈两国边境线长达4,750英里（约合7,644公里）。[{passage_number(r, BORDER)}]"))
    answer = llm_bot.ask(QUESTION, generator="llm")
    assert answer.generator.value == "llm"
    assert answer.citations and answer.citations[0].source == WSJ
    assert "7,644" in answer.text and "[1]" in answer.text


def test_a_wrong_citation_is_moved_to_the_passage_that_supports_it(llm_bot, server):
    server.script(lambda r: reply(f"俄哈两国边境线长达4,750英里（约合7,644公里）。[{other_number(r, BORDER)}]"))
    answer = llm_bot.ask(QUESTION, generator="llm")
    assert answer.generator.value == "llm"
    assert [c.source for c in answer.citations] == [WSJ]
    assert any("replaced" in note or "passage" in note for note in answer.notes)


def test_a_marker_to_no_passage_never_reaches_the_user(llm_bot, server):
    server.script(lambda r: reply(f"俄哈两国边境线长达4,750英里（约合7,644公里）。[{passage_number(r, BORDER)}][42]"))
    answer = llm_bot.ask(QUESTION, generator="llm")
    assert "[42]" not in answer.text
    assert all(1 <= c.id <= len(answer.citations) for c in answer.citations)


@pytest.mark.parametrize(
    ("failure", "note"),
    [
        (delay(3.0), "timeout"),
        (http_error(500), "500"),
        (garbage(), "unusable"),
        (reply("   "), "empty"),
    ],
    ids=["timeout", "http-500", "garbage", "empty"],
)
def test_llm_failures_fall_back_to_the_extractive_answer_with_a_note(llm_bot, server, failure, note):
    server.script(failure)
    answer = llm_bot.ask(QUESTION, generator="llm")
    assert answer.generator.value == "extractive"
    assert answer.citations and not answer.refused
    assert any(n.startswith("LLM") and note in n.lower() for n in answer.notes), answer.notes


def test_an_answer_no_passage_supports_falls_back(llm_bot, server):
    server.script(reply("哈萨克斯坦的首都有三百万只企鹅。[1]"))
    answer = llm_bot.ask(QUESTION, generator="llm")
    assert answer.generator.value == "extractive"
    assert any("not supported" in n or "no sentence" in n for n in answer.notes)


def test_an_llm_refusal_is_a_refusal(llm_bot, server):
    server.script(reply("资料中没有找到相关信息。"))
    answer = llm_bot.ask("哈萨克斯坦和俄罗斯的边境有多长？", generator="llm")
    assert answer.refused and answer.citations == []


def test_streaming_with_the_llm_ends_in_a_verified_answer(llm_bot, server):
    server.script(lambda r: reply(f"俄哈两国边境线长达4,750英里（约合7,644公里）。[{passage_number(r, BORDER)}]"))
    pieces = list(llm_bot.stream(QUESTION, generator="llm"))
    final = pieces[-1]
    assert len(pieces) > 2 and all(isinstance(p, str) for p in pieces[:-1])
    assert final.generator.value == "llm" and final.citations[0].source == WSJ


def test_the_llm_condenses_a_follow_up_before_retrieval(llm_bot, server):
    server.script(
        reply("中国在哈萨克斯坦骚乱中做了什么？"),  # the condense request
        lambda r: reply("中方认为哈萨克斯坦当前发生的事情是该国内政。[1]"),
    )
    history = [{"role": "user", "content": "哈萨克斯坦骚乱中俄罗斯做了什么？"}, {"role": "assistant", "content": "…"}]
    answer = llm_bot.chat("那中国呢？", history, generator="llm")
    assert answer.standalone_question == "中国在哈萨克斯坦骚乱中做了什么？"
    assert "那中国呢" in server.requests[-2].messages[-1]["content"]


def test_the_llm_generator_without_an_endpoint_is_a_clear_error(assistant):
    from chat_app.config import ConfigError

    with pytest.raises(ConfigError, match="KZQA_LLM_BASE_URL"):
        assistant.ask(QUESTION, generator="llm")
