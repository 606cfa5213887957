"""One browser session's conversation: what the chat shows, and what follow-up questions may see.

It is bounded: every streamed update re-sends the whole chat to the browser, and the session
keeps it in memory, so the oldest turns go once there are too many or they grow too large.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat_app.answer import Citation
from chat_app.ui.answer_html import question_html

MAX_TURNS = 30  # the chat shows this many; follow-ups read only the last few
# Characters kept per session (questions, reply HTML, answers). A reply with its sources and
# passages is 10–30 KB, so this keeps every turn of a normal conversation.
MAX_CHARS = 500_000


@dataclass(frozen=True)
class Turn:
    question: str
    reply_html: str  # the rendered reply: answer, refusal or error
    answer_text: str | None = None  # the engine's answer; None for errors, which follow-ups must not read
    # What the reply's source cards can open in the article viewer: only what this session was shown.
    reply_id: str | None = None  # names the reply's cards on the page
    citations: tuple[Citation, ...] = ()
    uploaded: frozenset[str] = frozenset()  # which of their sources are documents a user added

    @property
    def size(self) -> int:
        quotes = sum(len(citation.quote) for citation in self.citations)
        return len(self.question) + len(self.reply_html) + len(self.answer_text or "") + quotes


def bounded(turns: list[Turn]) -> list[Turn]:
    """The newest turns within MAX_TURNS and MAX_CHARS; the newest turn is always kept."""
    kept = turns[-MAX_TURNS:]
    total = sum(turn.size for turn in kept)
    while len(kept) > 1 and total > MAX_CHARS:
        total -= kept[0].size
        kept = kept[1:]
    return kept


def cited(turns: list[Turn], reply_id: str, citation_id: int) -> tuple[Turn, Citation] | None:
    """The reply `reply_id` and its citation `citation_id`, if the conversation still holds them."""
    for turn in turns:
        if turn.reply_id == reply_id:
            found = next((c for c in turn.citations if c.id == citation_id), None)
            return (turn, found) if found is not None else None
    return None


def engine_history(turns: list[Turn]) -> list[dict[str, str]]:
    """The conversation as the Assistant reads it: plain question and answer texts, errors left out."""
    history: list[dict[str, str]] = []
    for turn in turns:
        if turn.answer_text is not None:
            history += [{"role": "user", "content": turn.question}, {"role": "assistant", "content": turn.answer_text}]
    return history


def chat_messages(turns: list[Turn]) -> list[dict[str, str]]:
    """The conversation as gr.Chatbot shows it."""
    messages: list[dict[str, str]] = []
    for turn in turns:
        messages += [
            {"role": "user", "content": question_html(turn.question)},
            {"role": "assistant", "content": turn.reply_html},
        ]
    return messages
