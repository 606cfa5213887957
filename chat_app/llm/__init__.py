"""The optional LLM path: an OpenAI-compatible client and the prompts it is sent."""

from chat_app.llm.client import LlmClient, LlmSettings, LlmUnavailable
from chat_app.llm.prompting import (
    PromptTemplateError,
    answer_messages,
    condense_messages,
)
from ingest.chinese_text import detect_language

__all__ = [
    "LlmClient",
    "LlmSettings",
    "LlmUnavailable",
    "PromptTemplateError",
    "answer_messages",
    "condense_messages",
    "detect_language",
]
