"""Sentence boundaries for Chinese text with embedded English and numbers.

Hand-written: llama-index's SentenceSplitter splits on English punctuation only, and splitters
that do know 。！？ break numbers such as "9.2:1" or "4.1%" at the ASCII period.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.chinese_text import CLOSERS

_STRONG_END = "。！？；!?"
_ELLIPSIS = "…"
_CLAUSE_MARKS = "，、,：:"


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end] as spans into `text`, whitespace trimmed.

    A line break always ends a sentence (paragraphs, headings and table rows are lines).
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    line_start = start
    while line_start < end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        spans.extend(_split_line(text, line_start, line_end))
        line_start = line_end + 1
    return spans


def _split_line(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    sentence_start = start
    i = start
    while i < end:
        if _is_boundary(text, i, end):
            after = _consume_trailing(text, i, end)
            if after < end and text[after] in _CLAUSE_MARKS:
                i = after  # "……，如果": an ellipsis inside a sentence, not its end
                continue
            i = after
            spans.extend(_trimmed(text, sentence_start, i))
            sentence_start = i
        else:
            i += 1
    spans.extend(_trimmed(text, sentence_start, end))
    return spans


def _is_boundary(text: str, i: int, end: int) -> bool:
    char = text[i]
    if char in _STRONG_END or char == _ELLIPSIS:
        return True
    if char != ".":
        return False
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < end else ""
    if nxt.isascii() and nxt.isalnum():  # 9.2:1, 4.1%, cn.wsj.com
        return False
    # "U.S. officials": a lone capital before the period is an initial, not a sentence end.
    before = text[i - 2] if i > 1 else " "
    return not (prev.isupper() and prev.isascii() and not before.isalpha())


def _consume_trailing(text: str, i: int, end: int) -> int:
    """Step past a run of end marks ("？！", "……", "...") and the closers that follow them."""
    i += 1
    while i < end and (text[i] in _STRONG_END or text[i] in (_ELLIPSIS, ".")):
        i += 1
    while i < end and text[i] in CLOSERS:
        i += 1
    return i


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Span(start, end)] if end > start else []
