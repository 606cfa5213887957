"""The parts of an answer's text that code writes and must recognise again: the citation marker,
and the line the LLM is told to reply with when the passages lack the answer. Each is written here
once; the generators, the citation checks, the prompts and the UI all take it from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A citation as the answer shows it: "[n]", n the citation's number (1-based).
CITATION_MARKER = re.compile(r"\[(\d+)\]")
# A marker group as an LLM may write it: [1], [1, 2], [1-3], 【1】, 【1，2】 ([1][2] is two groups).
MARKER_PATTERN = re.compile(r"[\[【]\s*\d+(?:\s*[-–~]\s*\d+)?(?:\s*[,，、;；]\s*\d+(?:\s*[-–~]\s*\d+)?)*\s*[\]】]")


def format_marker(ids: Iterable[int]) -> str:
    """The markers put right after what they cite, one per citation: [1, 3] → "[1][3]"."""
    return "".join(f"[{i}]" for i in ids)


def strip_markers(text: str) -> str:
    """The text without marker groups: they are not part of what a sentence claims."""
    return MARKER_PATTERN.sub("", text).strip()


@dataclass(frozen=True)
class RefusalLine:
    """The one line the system prompt tells the LLM to reply with when the passages lack the answer.

    A reply that starts with `opening` is read as that refusal: models keep the opening and often
    reword the rest.
    """

    opening: str
    rest: str

    @property
    def text(self) -> str:
        return self.opening + self.rest


REFUSAL_LINES = {
    "zh": RefusalLine("资料中没有找到", "这个问题的答案。"),
    "en": RefusalLine("The articles do not contain", " the answer to this question."),
}
_REFUSAL_REPLY = re.compile(
    "^\\s*(" + "|".join(re.escape(line.opening) for line in REFUSAL_LINES.values()) + ")", re.IGNORECASE
)


def is_refusal_reply(text: str) -> bool:
    """Whether an LLM reply is the refusal line of either language (a model may answer in the other)."""
    return _REFUSAL_REPLY.match(text) is not None
