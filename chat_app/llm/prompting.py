"""Chat messages for the LLM, built from the editable templates in `prompts/`."""

from __future__ import annotations

from collections.abc import Sequence

from chat_app.answer_wording import REFUSAL_LINES
from index.passage import Passage
from ingest.errors import SetupError
from prompts import load_prompt

LANGUAGES = ("zh", "en")

# Only the latest turns: follow-ups refer to what was just said, and older turns cost context.
_CONDENSE_HISTORY_MESSAGES = 6

_SPEAKERS = {
    "zh": {"user": "用户", "assistant": "助手"},
    "en": {"user": "User", "assistant": "Assistant"},
}


class PromptTemplateError(SetupError, ValueError):
    """A user-edited template uses a placeholder the code does not fill."""


def answer_messages(question: str, passages: Sequence[Passage], *, language: str) -> list[dict[str, str]]:
    """System + user messages asking for a cited answer from `passages`, numbered from 1."""
    _check_language(language)
    return [
        {"role": "system", "content": _fill(f"answer_system_{language}", refusal=REFUSAL_LINES[language].text)},
        {
            "role": "user",
            "content": _fill(f"answer_user_{language}", passages=format_passages(passages), question=question.strip()),
        },
    ]


def condense_messages(question: str, history: Sequence[dict[str, str]], *, language: str) -> list[dict[str, str]]:
    """One user message asking to rewrite a follow-up plus chat history into a standalone question."""
    _check_language(language)
    speakers = _SPEAKERS[language]
    lines = [
        f"{speakers.get(turn['role'], turn['role'])}: {turn['content'].strip()}"
        for turn in history[-_CONDENSE_HISTORY_MESSAGES:]
    ]
    return [
        {
            "role": "user",
            "content": _fill(f"condense_{language}", history="\n".join(lines), question=question.strip()),
        }
    ]


def format_passages(passages: Sequence[Passage]) -> str:
    """`[n] (source · title · section)` then the text, one block per passage, numbered from 1."""
    blocks = []
    for number, passage in enumerate(passages, start=1):
        origin = " · ".join(part for part in (passage.source, passage.title, passage.section) if part)
        blocks.append(f"[{number}] ({origin})\n{passage.text.strip()}")
    return "\n\n".join(blocks)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of: {', '.join(LANGUAGES)}")


def _fill(name: str, **values: str) -> str:
    template = load_prompt(name)
    try:
        return template.format(**values).strip()
    except (KeyError, IndexError, ValueError) as exc:
        filled = ", ".join(f"{{{key}}}" for key in values) or "none"
        raise PromptTemplateError(
            f"prompt template {name!r} cannot be filled ({type(exc).__name__}: {exc}); "
            f"placeholders it may use: {filled}; write literal braces doubled: {{{{ }}}}"
        ) from exc
