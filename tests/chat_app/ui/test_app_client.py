"""The running app through gradio_client: cited answers, follow-ups, and one history per client."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.live_app import message_text as text
from tests.support.paths import BBC_JAN, PAPER, WSJ

os.environ["HF_HUB_OFFLINE"] = "1"  # gradio_client would otherwise contact the model hub


@pytest.fixture
def client(live_app):
    from gradio_client import Client

    return Client(live_app.url, verbose=False)


def ask(client, question: str) -> list[dict]:
    """The whole conversation as the chat shows it after `question`."""
    messages, box = client.predict(question, 5, "extractive", api_name="/ask")
    assert box == ""
    return messages


def test_a_question_returns_a_cited_answer_naming_its_file(client):
    reply = text(ask(client, "俄哈边境线有多长？")[-1])
    assert '<span class="kz-marker">[1]</span>' in reply
    assert "kz-sources" in reply
    assert WSJ in reply and PAPER in reply
    assert "7,644公里" in reply


def test_a_follow_up_is_read_in_context(client):
    ask(client, "托卡耶夫如何评价1月的骚乱？")
    messages = ask(client, "西方分析人士怎么看？")
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    assert "kz-sources" in text(messages[-1]) and "kz-error" not in text(messages[-1])


def test_parallel_clients_keep_separate_histories(live_app):
    from gradio_client import Client

    conversations = {
        "a": ["哈萨克斯坦骚乱中俄罗斯派了多少士兵？", "集安组织是什么？"],
        "b": ["中国在哈萨克斯坦有哪些利益？", "那俄罗斯呢？"],
    }

    def converse(questions: list[str]) -> list[dict]:
        client = Client(live_app.url, verbose=False)
        for question in questions:
            messages = ask(client, question)
        return messages

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(conversations, pool.map(converse, conversations.values()), strict=True))
    for name, questions in conversations.items():
        asked = [text(m) for m in results[name] if m["role"] == "user"]
        assert asked == [f'<div class="kz-question">{q}</div>' for q in questions]


def test_html_in_a_question_comes_back_as_text(client):
    messages = ask(client, "<img src=x onerror=alert(1)>哈萨克斯坦")
    assert text(messages[0]) == '<div class="kz-question">&lt;img src=x onerror=alert(1)&gt;哈萨克斯坦</div>'


def test_the_bbc_report_is_cited_for_the_january_unrest(client):
    assert BBC_JAN in text(ask(client, "哈萨克斯坦骚乱的起因是什么？")[-1])


def test_punctuation_alone_gets_a_hint_not_quotes(client):
    reply = text(ask(client, "？？？！！！。。。")[-1])
    assert "Please ask a question" in reply and "has no words to search for" in reply
    assert "kz-sources" not in reply and "kz-error" not in reply


def test_a_megabyte_question_is_cut_before_the_conversation_keeps_it(client):
    messages = ask(client, "俄哈边境线有多长？" + "啊" * 1_000_000)
    assert len(text(messages[0])) < 600 and "only the first 500 were used" in text(messages[-1])
    follow_up = ask(client, "为什么？")
    assert sum(len(text(m)) for m in follow_up) < 200_000  # the whole chat, as re-sent on every update
