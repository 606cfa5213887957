"""LlmClient against the scripted double (tests/llm_double.py): every failure becomes LlmUnavailable."""

from __future__ import annotations

import time

import pytest

from chat_app.llm.client import LlmClient, LlmSettings, LlmUnavailable
from tests.support.llm_double import ScriptedLlmServer, delay, empty, garbage, http_error, reply, stall
from tests.support.ports import free_port

MESSAGES = [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "哈萨克斯坦的首都是哪里？"}]


@pytest.fixture
def server():
    with ScriptedLlmServer() as double:
        yield double


def make_client(base_url: str, **overrides) -> LlmClient:
    return LlmClient(LlmSettings(base_url=base_url, model="qwen2.5:7b", **{"timeout_s": 0.5, **overrides}))


class TestLlmSettings:
    @pytest.mark.parametrize(
        ("overrides", "error"),
        [
            ({"base_url": "localhost:11434/v1"}, "must start with http"),
            ({"model": " "}, "model name is empty"),
            ({"timeout_s": 0}, "timeout must be positive"),
            ({"max_tokens": 0}, "max_tokens must be positive"),
        ],
    )
    def test_rejects_settings_that_cannot_work(self, overrides, error):
        values = {"base_url": "http://127.0.0.1:11434/v1", "model": "qwen2.5:7b", **overrides}
        with pytest.raises(ValueError, match=error):
            LlmSettings(**values)

    def test_defaults(self):
        settings = LlmSettings(base_url="http://127.0.0.1:11434/v1", model="m")
        assert settings.api_key is None
        assert (settings.timeout_s, settings.temperature, settings.max_tokens) == (30.0, 0.1, 600)


class TestChat:
    def test_returns_the_reply_text(self, server):
        server.script(reply("阿斯塔纳 [1]"))
        assert make_client(server.base_url).chat(MESSAGES) == "阿斯塔纳 [1]"

    def test_sends_messages_model_and_sampling_settings(self, server):
        server.script(reply("ok"))
        make_client(server.base_url, temperature=0.3, max_tokens=77).chat(MESSAGES)
        (request,) = server.requests
        assert request.path == "/v1/chat/completions"
        assert request.messages == MESSAGES
        assert request.body["model"] == "qwen2.5:7b"
        assert (request.body["temperature"], request.body["max_tokens"]) == (0.3, 77)
        assert not request.stream

    @pytest.mark.parametrize(("api_key", "header"), [(None, "Bearer not-needed"), ("sk-test", "Bearer sk-test")])
    def test_sends_the_api_key_or_a_placeholder(self, server, api_key, header):
        server.script(reply("ok"))
        make_client(server.base_url, api_key=api_key).chat(MESSAGES)
        assert server.requests[0].headers["Authorization"] == header

    def test_timeout_fails_fast_without_retries(self, server):
        server.script(delay(5.0))
        started = time.monotonic()
        with pytest.raises(LlmUnavailable, match=r"timeout after 0\.5 s"):
            make_client(server.base_url).chat(MESSAGES)
        assert time.monotonic() - started < 3.0
        assert len(server.requests) == 1

    def test_http_500_is_reported_with_its_status(self, server):
        server.script(http_error(500, "model crashed"))
        with pytest.raises(LlmUnavailable, match=r"HTTP 500 .*model crashed"):
            make_client(server.base_url).chat(MESSAGES)
        assert len(server.requests) == 1

    def test_http_404_hints_at_base_url_and_model(self, server):
        server.script(http_error(404, "model not found"))
        with pytest.raises(LlmUnavailable, match=r"HTTP 404 .*base URL .*model name"):
            make_client(server.base_url).chat(MESSAGES)

    @pytest.mark.parametrize(
        "body", ["{this is not json", '{"choices": []}', "[]"], ids=["invalid-json", "no-choices", "list"]
    )
    def test_garbage_body_is_unavailable(self, server, body):
        server.script(garbage(body))
        with pytest.raises(LlmUnavailable, match="unusable response"):
            make_client(server.base_url).chat(MESSAGES)

    @pytest.mark.parametrize(
        "text", ["", "   \n ", "...", "[1] 2 3 ?!"], ids=["empty", "whitespace", "dots", "no-letters"]
    )
    def test_output_without_any_letter_is_unavailable(self, server, text):
        server.script(reply(text))
        with pytest.raises(LlmUnavailable, match="empty or unusable output"):
            make_client(server.base_url).chat(MESSAGES)

    def test_empty_reply_is_unavailable(self, server):
        server.script(empty())
        with pytest.raises(LlmUnavailable, match="empty or unusable output"):
            make_client(server.base_url).chat(MESSAGES)

    def test_connection_refused_names_the_url(self):
        base_url = f"http://127.0.0.1:{free_port()}/v1"
        with pytest.raises(LlmUnavailable, match=f"cannot connect to {base_url}"):
            make_client(base_url).chat(MESSAGES)

    def test_server_stays_usable_after_a_failure(self, server):
        server.script(http_error(500), reply("recovered"))
        client = make_client(server.base_url)
        with pytest.raises(LlmUnavailable):
            client.chat(MESSAGES)
        assert client.chat(MESSAGES) == "recovered"


class TestStreamChat:
    def test_yields_pieces_that_join_to_the_reply(self, server):
        text = "哈萨克斯坦在大国之间寻求平衡 [1][2]。"
        server.script(reply(text, chunk_chars=3))
        pieces = list(make_client(server.base_url).stream_chat(MESSAGES))
        assert len(pieces) > 1
        assert "".join(pieces) == text
        assert server.requests[0].stream

    def test_leading_symbols_are_held_back_until_text_is_usable(self, server):
        server.script(reply("  ... answer", chunk_chars=2))
        pieces = list(make_client(server.base_url).stream_chat(MESSAGES))
        assert pieces[0] == "  ... an"  # chunks "  ", "..", ". ", "an": held until the first letter
        assert "".join(pieces) == "  ... answer"

    def test_no_request_is_sent_until_iteration(self, server):
        make_client(server.base_url).stream_chat(MESSAGES)
        assert server.requests == []

    @pytest.mark.parametrize(
        ("step", "error"),
        [
            (delay(5.0), r"timeout after 0\.5 s"),
            (http_error(500), "HTTP 500"),
            (garbage(), "unusable response"),
            (empty(), "streamed empty or unusable output"),
            (reply(" \n ..."), "streamed empty or unusable output"),
        ],
        ids=["timeout", "http-500", "garbage", "empty", "no-letters"],
    )
    def test_failure_before_any_text_is_unavailable_and_yields_nothing(self, server, step, error):
        server.script(step)
        pieces = []
        started = time.monotonic()
        with pytest.raises(LlmUnavailable, match=error):
            pieces.extend(make_client(server.base_url).stream_chat(MESSAGES))
        assert pieces == []
        assert time.monotonic() - started < 3.0

    def test_stall_mid_stream_is_unavailable_after_the_partial_text(self, server):
        server.script(stall("Astana is ", 5.0))
        pieces = []
        with pytest.raises(LlmUnavailable, match="timeout"):
            pieces.extend(make_client(server.base_url).stream_chat(MESSAGES))
        assert pieces == ["Astana is "]

    def test_connection_refused_names_the_url(self):
        base_url = f"http://127.0.0.1:{free_port()}/v1"
        with pytest.raises(LlmUnavailable, match=f"cannot connect to {base_url}"):
            list(make_client(base_url).stream_chat(MESSAGES))
