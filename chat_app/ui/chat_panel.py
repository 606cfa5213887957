"""The chat's event handler: a question in, the streamed reply out, the session's turns updated."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

from chat_app.answer import Answer, GeneratorKind
from chat_app.owners import Owner
from chat_app.question_input import cut_question
from chat_app.ui.answer_html import answer_html, error_html, notice_html, pending_html, preview_html
from chat_app.ui.conversation import Turn, bounded, chat_messages, engine_history
from chat_app.ui.service import AssistantService, QuestionRejected, ServiceError
from chat_app.ui.startup_panel import POLL_SECONDS, waiting_html

Update = tuple[list[dict[str, str]], list[Turn], str]  # (chat messages, the session's turns, the question box)


class ChatPanel:
    def __init__(self, service: AssistantService):
        self.service = service

    def respond(
        self, question: str, turns: list[Turn], k: float, generator: str, owner: Owner | None = None
    ) -> Iterator[Update]:
        """Show the question at once, stream an LLM's answer into it, then the final reply with its sources.
        `owner`: the session's, whose private documents are read too (None: the public ones only)."""
        # Cut before anything keeps it: a 1 MB paste must not live on in the history and be re-sent.
        cut = cut_question(question, limit=self.service.config.max_question_chars)
        question = cut.text
        if not question:
            yield chat_messages(turns), turns, ""
            return
        while not self.service.wait_until_started(timeout=POLL_SECONDS):
            waiting = Turn(question, waiting_html(self.service.startup_status()))
            yield chat_messages([*turns, waiting]), turns, ""
        yield chat_messages([*turns, Turn(question, pending_html())]), turns, ""
        # An extractive answer is complete before its first preview arrives: showing its sentences one by
        # one would only send and render the chat several more times before the final reply.
        previews = generator == GeneratorKind.LLM.value
        shown = ""
        try:
            history = engine_history(turns)
            for item in self.service.stream(question, history, k=int(k), generator=generator, owner=owner):
                if isinstance(item, Answer):
                    item.notes[:0] = cut.notes
                    turn = _answered(question, item)
                elif previews:
                    shown += item
                    yield chat_messages([*turns, Turn(question, preview_html(shown))]), turns, ""
        except QuestionRejected as problem:
            turn = Turn(question, notice_html(str(problem)))
        except ServiceError as error:
            turn = Turn(question, error_html(str(error)))
        turns = bounded([*turns, turn])
        yield chat_messages(turns), turns, ""


def _answered(question: str, answer: Answer) -> Turn:
    reply_id = secrets.token_hex(5)  # unique on the page: the reply's cards and quotes are named after it
    cited = answer.related if answer.refused else answer.citations
    return Turn(
        question,
        answer_html(answer, reply_id=reply_id),
        answer.text,
        reply_id=reply_id,
        citations=tuple(cited),
        uploaded=answer.uploaded_sources,
    )
