"""The optional LLM generator: prompt with numbered passages, then check every citation it wrote.

Any failure (timeout, connection, HTTP error, empty or garbage output, no supported sentence)
returns None with `last_notes` saying why, and the caller shows the extractive answer instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from chat_app.answer import Citation
from chat_app.engine.citation_verifier import verify_citations
from chat_app.engine.extractive import Draft
from chat_app.engine.support import SupportScorer
from chat_app.llm.client import LlmClient, LlmSettings, LlmUnavailable
from chat_app.llm.prompting import answer_messages, condense_messages, detect_language
from index.passage import Passage

_REFUSAL = re.compile(r"^\s*(资料中没有找到|The articles do not contain)", re.I)


class LlmAnswerer:
    def __init__(self, client: LlmClient, scorer: SupportScorer):
        self._client = client
        self._scorer = scorer
        self.last_notes: list[str] = []

    @classmethod
    def from_config(cls, config, *, embedder, lexicon=None) -> LlmAnswerer:
        """`lexicon` lets the citation check read English answers against Chinese passages."""
        settings = LlmSettings(
            base_url=config.llm_base_url,
            model=config.llm_model,
            api_key=config.llm_api_key,
            timeout_s=config.llm_timeout_s,
        )
        return cls(LlmClient(settings), SupportScorer(embedder, lexicon=lexicon))

    def condense(self, question: str, history: Sequence[Mapping[str, str]]) -> str | None:
        try:
            standalone = self._client.chat(condense_messages(question, history, language=detect_language(question)))
        except LlmUnavailable:
            return None  # the rule-based condenser takes over
        standalone = standalone.strip().splitlines()[0].strip() if standalone.strip() else ""
        return standalone or None

    def answer(self, question: str, passages: Sequence[Passage]) -> Draft | None:
        self.last_notes = []
        try:
            text = self._client.chat(answer_messages(question, passages, language=detect_language(question)))
        except LlmUnavailable as error:
            self.last_notes = [f"LLM unavailable ({error}); showing the extractive answer"]
            return None
        return self.finish_stream(text, passages)

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
        self.last_notes = []
        try:
            yield from self._client.stream_chat(answer_messages(question, passages, language=detect_language(question)))
        except LlmUnavailable as error:
            self.last_notes = [f"LLM unavailable ({error}); showing the extractive answer"]

    def finish_stream(self, text: str, passages: Sequence[Passage]) -> Draft | None:
        """Verify a complete LLM answer; None (with notes) when it cannot be shown."""
        if self.last_notes:
            return None
        if not text.strip():
            self.last_notes = ["LLM returned an empty answer; showing the extractive answer"]
            return None
        if _REFUSAL.match(text):
            return Draft(text.strip(), True, notes=["the LLM found no answer in the passages"])
        verified = verify_citations(text, passages, self._scorer)
        if not verified.citations:
            self.last_notes = [
                *verified.notes,
                "no sentence of the LLM answer is supported by the passages; showing the extractive answer",
            ]
            return None
        citations = [
            Citation.from_span(number, passages[span.passage_index], span.quote_start, span.quote_end)
            for number, span in enumerate(verified.citations, start=1)
        ]
        return Draft(verified.text, False, citations, list(verified.notes))
