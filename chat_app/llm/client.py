"""A thin client for any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, DeepSeek).

Every failure — no server, timeout, HTTP error, unparsable or empty output — surfaces as one
exception, `LlmUnavailable`, whose message says what happened; the answer engine catches it and falls
back to its extractive answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import openai
from llama_index.core.base.llms.types import ChatMessage
from llama_index.llms.openai_like import OpenAILike

from ingest.errors import KzqaError

# Local servers ignore the key, but the OpenAI SDK refuses to start without one.
_PLACEHOLDER_API_KEY = "not-needed"
# Enough of an error body to show the server's own explanation without flooding the UI.
_ERROR_BODY_CHARS = 200

_STATUS_HINTS = {
    401: "check the API key",
    403: "check the API key",
    404: "check the base URL (usually ending in /v1) and the model name",
}


@dataclass(frozen=True)
class LlmSettings:
    base_url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 30.0
    temperature: float = 0.1
    max_tokens: int = 600

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"LLM base URL must start with http:// or https://, got {self.base_url!r}")
        if not self.model.strip():
            raise ValueError("LLM model name is empty; set it to a model the server serves")
        if self.timeout_s <= 0:
            raise ValueError(f"LLM timeout must be positive, got {self.timeout_s}")
        if self.max_tokens <= 0:
            raise ValueError(f"LLM max_tokens must be positive, got {self.max_tokens}")


class LlmUnavailable(KzqaError):
    """The LLM gave no usable answer; the message says why."""


class LlmClient:
    """Chat with one model on one OpenAI-compatible endpoint; no network traffic until called."""

    def __init__(self, settings: LlmSettings) -> None:
        self.settings = settings
        self._llm = OpenAILike(
            model=settings.model,
            api_base=settings.base_url,
            api_key=settings.api_key or _PLACEHOLDER_API_KEY,
            is_chat_model=True,
            timeout=settings.timeout_s,
            # Retries would multiply the wait before the extractive fallback; one try, then fall back.
            max_retries=0,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
        )

    def chat(self, messages: list[dict[str, str]]) -> str:
        """The assistant's reply to `messages` (role/content dicts)."""
        chat_messages = _to_chat_messages(messages)
        try:
            response = self._llm.chat(chat_messages)
        # The boundary promise is "LlmUnavailable or a usable text": whatever breaks below (SDK,
        # transport, a malformed body the SDK trips over) means the same thing to the caller.
        except Exception as exc:
            raise self._unavailable(exc) from exc
        text = response.message.content or ""
        if not _is_usable(text):
            raise LlmUnavailable(f"{self._where()} returned empty or unusable output: {text[:50]!r}")
        return text.strip()

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The assistant's reply as text deltas; raises LlmUnavailable before or during the stream."""
        # Leading deltas are held back until the text is usable, so a stream of only whitespace or
        # symbols fails without having shown the user anything.
        chat_messages = _to_chat_messages(messages)
        pending = ""
        started = False
        try:
            for chunk in self._llm.stream_chat(chat_messages):
                delta = chunk.delta or ""
                if started:
                    if delta:
                        yield delta
                    continue
                pending += delta
                if _is_usable(pending):
                    started = True
                    yield pending
        except Exception as exc:
            raise self._unavailable(exc) from exc
        if not started:
            raise LlmUnavailable(f"{self._where()} streamed empty or unusable output: {pending[:50]!r}")

    def _where(self) -> str:
        return f"model {self.settings.model!r} at {self.settings.base_url}"

    def _unavailable(self, exc: Exception) -> LlmUnavailable:
        url = self.settings.base_url
        waited = self.settings.timeout_s
        # Streams read from httpx directly, so mid-stream failures arrive as httpx errors, not openai ones.
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            return LlmUnavailable(
                f"timeout after {waited:g} s waiting for {url}; raise the timeout or use a faster model"
            )
        if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            return LlmUnavailable(f"cannot connect to {url}: is the LLM server running? ({_cause(exc)})")
        if isinstance(exc, openai.APIStatusError):
            hint = _STATUS_HINTS.get(exc.status_code, "see the LLM server's log")
            body = exc.response.text.strip()[:_ERROR_BODY_CHARS]
            return LlmUnavailable(f"HTTP {exc.status_code} from {url} ({hint}): {body}")
        return LlmUnavailable(f"unusable response from {self._where()}: {type(exc).__name__}: {exc}")


def _to_chat_messages(messages: list[dict[str, str]]) -> list[ChatMessage]:
    return [ChatMessage(role=message["role"], content=message["content"]) for message in messages]


def _is_usable(text: str) -> bool:
    # A real answer has at least one letter or CJK character (str.isalpha covers both); replies of only
    # whitespace, digits or punctuation come from broken templates or runaway sampling.
    return any(char.isalpha() for char in text)


def _cause(exc: BaseException) -> str:
    # openai wraps the transport error; its own message is a generic "Connection error."
    root = exc.__cause__ or exc
    return f"{type(root).__name__}: {root}" if str(root) else type(root).__name__
