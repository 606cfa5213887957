"""The optional LLM generator: the same ranked evidence the extractive answer uses, as numbered
passages in the prompt; then every citation it wrote is checked.

It returns an LlmOutcome instead of keeping state between calls: a draft, or None with the reason
(timeout, connection, HTTP error, empty or garbage output, no supported sentence), and the caller
shows the extractive answer instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from chat_app.answer import Citation
from chat_app.answer_wording import is_refusal_reply
from chat_app.engine.citation_verifier import verify_citations
from chat_app.engine.records import Draft, LlmOutcome
from chat_app.engine.support import SupportScorer
from chat_app.llm.client import LlmClient, LlmSettings, LlmUnavailable
from chat_app.llm.prompting import answer_messages, condense_messages
from index.passage import Passage
from ingest.chinese_text import detect_language


class LlmGenerator:
    def __init__(self, client: LlmClient, scorer: SupportScorer):
        self._client = client
        self._scorer = scorer

    @classmethod
    def from_config(cls, config, *, embedder, lexicon=None) -> LlmGenerator:
        """`lexicon` lets the citation check read English answers against Chinese passages."""
        settings = LlmSettings(
            base_url=config.llm_base_url,
            model=config.llm_model,
            api_key=config.llm_api_key,
            timeout_s=config.llm_timeout_s,
        )
        return cls(LlmClient(settings), SupportScorer(embedder, lexicon=lexicon))

    def condense(self, question: str, history: Sequence[Mapping[str, str]]) -> str | None:
        """A follow-up rewritten as a standalone question, or None (the rule-based reading stands)."""
        try:
            text = self._client.chat(condense_messages(question, list(history), language=detect_language(question)))
        except LlmUnavailable:
            return None
        first = text.strip().splitlines()[0].strip() if text.strip() else ""
        return first or None

    def run(self, question: str, passages: Sequence[Passage]) -> LlmOutcome:
        try:
            text = self._client.chat(answer_messages(question, passages, language=detect_language(question)))
        except LlmUnavailable as error:
            return LlmOutcome(None, (f"LLM unavailable ({error}); showing the extractive answer",))
        return self.finish(text, passages)

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | LlmOutcome]:
        """Text pieces as the LLM writes them, then the checked outcome."""
        pieces: list[str] = []
        try:
            for piece in self._client.stream_chat(
                answer_messages(question, passages, language=detect_language(question))
            ):
                pieces.append(piece)
                yield piece
        except LlmUnavailable as error:
            yield LlmOutcome(None, (f"LLM unavailable ({error}); showing the extractive answer",))
            return
        yield self.finish("".join(pieces), passages)

    def finish(self, text: str, passages: Sequence[Passage]) -> LlmOutcome:
        """Check a complete LLM answer's citations; no draft when nothing it says is supported."""
        if not text.strip():
            return LlmOutcome(None, ("LLM returned an empty answer; showing the extractive answer",))
        if is_refusal_reply(text):
            return LlmOutcome(Draft(text.strip(), True, notes=("the LLM found no answer in the passages",)))
        verified = verify_citations(text, passages, self._scorer)
        if not verified.citations:
            return LlmOutcome(None, (
                *verified.notes,
                "no sentence of the LLM answer is supported by the passages; showing the extractive answer",
            ))  # fmt: skip
        citations = tuple(
            Citation.from_span(number, passages[span.passage_index], span.quote_start, span.quote_end)
            for number, span in enumerate(verified.citations, start=1)
        )
        return LlmOutcome(Draft(verified.text, False, citations, notes=tuple(verified.notes)))
