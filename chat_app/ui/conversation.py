"""One browser session's conversation: what the chat shows, and what follow-up questions may see."""

from __future__ import annotations

from dataclasses import dataclass

from chat_app.ui.answer_html import question_html


@dataclass(frozen=True)
class Turn:
    question: str
    reply_html: str  # the rendered reply: answer, refusal or error
    answer_text: str | None = None  # the engine's answer; None for errors, which follow-ups must not read


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
