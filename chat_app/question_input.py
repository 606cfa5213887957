"""What the Assistant accepts as a question, a history and a passage count; everything else is a
QuestionError whose message says what to ask instead.

The UI cuts questions with the same function before they enter its own history, so a 1 MB paste
is stored, shown and re-sent as the 500 characters the engine reads, not as 1 MB.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.errors import KzqaError

History = Sequence[Mapping[str, str]]
MAX_HISTORY_MESSAGES = 20  # a follow-up leans on the last few turns; older ones only cost time
MAX_PASSAGES = 50  # beyond this every chunk of the five articles is "retrieved": no ranking left
# Cleaning costs about a second per MB; text beyond this many times the limit is cut anyway.
_SCAN_FACTOR = 4
EXAMPLE_QUESTION = "俄哈边境线有多长？"


class QuestionError(KzqaError, ValueError):
    """The question cannot be answered as given (empty, …); the message says what to do."""


@dataclass(frozen=True)
class CleanQuestion:
    text: str  # one line, no control characters, at most the configured number of characters
    notes: tuple[str, ...] = ()  # e.g. that it was cut


def cut_question(question: object, *, limit: int) -> CleanQuestion:
    """The question on one line, cut to `limit` characters with a note saying so; may be empty."""
    raw = str(question or "")
    text = _squeeze(raw[: limit * _SCAN_FACTOR])
    if len(text) > limit or len(raw) > limit * _SCAN_FACTOR:
        note = f"the question was {len(raw)} characters; only the first {limit} were used"
        return CleanQuestion(text[:limit], (note,))
    return CleanQuestion(text)


def clean_question(question: object, *, limit: int) -> CleanQuestion:
    """The question as the engine reads it. Raises QuestionError when nothing is left to search for."""
    cut = cut_question(question, limit=limit)
    if not cut.text:
        raise QuestionError(f"the question is empty: type a question about Kazakhstan, Russia, China or the West, "
                            f"e.g. {EXAMPLE_QUESTION}")  # fmt: skip
    if not any(unicodedata.category(c)[0] in "LN" for c in cut.text):
        raise QuestionError(
            f"{cut.text[:40]!r} has no words to search for, only punctuation or symbols: please ask a question, "
            f"e.g. {EXAMPLE_QUESTION}"
        )
    return cut


def clean_history(history: object, *, limit: int) -> tuple[Mapping[str, str], ...]:
    """The last MAX_HISTORY_MESSAGES messages as {"role", "content"} pairs, each cut to `limit` characters.

    A turn may be written as callers write it: a {"role": "user"|"assistant", "content": …} message
    (OpenAI, gradio), an object with .role and .content (gradio's or llama-index's ChatMessage), a plain
    string (an earlier question), a (question, answer) pair (gradio's older format; the answer may be
    None) or {"question": …, "answer": …}. System messages, non-text content and anything else are
    skipped. A history that is not a list is a QuestionError."""
    if history is None:
        return ()
    if isinstance(history, (str, bytes)) or not isinstance(history, Sequence):
        raise QuestionError("history must be a list of {'role': 'user'|'assistant', 'content': text} messages, "
                            f"not {type(history).__name__}")  # fmt: skip
    messages = [message for turn in history[-MAX_HISTORY_MESSAGES:] for message in _messages(turn)]
    turns = []
    for role, content in messages[-MAX_HISTORY_MESSAGES:]:
        turns.append({"role": role, "content": _squeeze(content[: limit * _SCAN_FACTOR])[:limit]})
    return tuple(turns)


_ROLES = {"user": "user", "human": "user", "assistant": "assistant", "ai": "assistant", "bot": "assistant"}


def _messages(turn: object) -> list[tuple[str, str]]:
    """(role, text) messages of one history item, in order; [] for what is not a user or assistant turn."""
    if isinstance(turn, str):
        return [("user", turn)]
    if isinstance(turn, Mapping):
        if "role" in turn:
            return _message(turn.get("role"), turn.get("content"))
        return [*_message("user", turn.get("question")), *_message("assistant", turn.get("answer"))]
    if hasattr(turn, "role") and hasattr(turn, "content"):
        return _message(turn.role, turn.content)
    if isinstance(turn, (list, tuple)) and len(turn) == 2:
        return [*_message("user", turn[0]), *_message("assistant", turn[1])]
    return []


def _message(role: object, content: object) -> list[tuple[str, str]]:
    role = _ROLES.get(str(getattr(role, "value", role)).lower())  # an enum such as MessageRole.USER
    text = _text(content)
    return [(role, text)] if role and text else []


def _text(content: object) -> str:
    """The text of a message's content: a string, or the text parts of a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [block.get("text") for block in content if isinstance(block, Mapping)]
        return " ".join(part for part in parts if isinstance(part, str))
    return ""


def passage_count(k: object, default: int) -> int:
    value = default if k is None else k
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PASSAGES:
        raise QuestionError(f"k must be a whole number of passages from 1 to {MAX_PASSAGES}, not {k!r}")
    return value


def _squeeze(text: str) -> str:
    """One line: whitespace runs become one space; control and format characters (NUL, bell,
    zero-width …) are dropped; letters, emoji and punctuation stay."""
    printable = "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    return " ".join(printable.split())
