"""Plain text hard-wrapped at a fixed width (e.g. a web article saved through a text dump).

Line breaks fall inside words, so lines are re-joined; a paragraph ends only where a line ends
a sentence and the layout shows a break (a short line, extra blank lines, or an indented next line).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.budget import Deadline
from ingest.chinese_text import clean_inline, display_width, ends_sentence, join_lines
from ingest.document_builder import DocumentBuilder
from ingest.publishers import publisher_from_url, publishers_named_in
from ingest.records import CleanDocument, DocumentFormat
from ingest.sentences import split_sentences

_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$")
_ENGLISH_TITLE = re.compile(r"^\s*英文原文[:：]\s*(?P<title>.+?)\s*(?:\]\s*\d*)?\s*$")
# A line this much narrower than the widest line cannot have been filled by the wrapper.
_FULL_LINE_SHARE = 0.8

# A paragraph asking readers to pay or subscribe is a promotion, not part of the article.
_PROMOTION_MARKERS = ("会员", "订阅", "付费", "购买", "升级", "优惠", "原价")
# The text dump repeats the tail of a wrapped line a sentence or two later; looking this many
# sentences back finds it while keeping a paragraph of 10^5 sentences linear.
_ECHO_LOOKBACK = 8


def parse_wrapped_text(text: str, *, source: str, deadline: Deadline | None = None) -> CleanDocument:
    check = (deadline or Deadline.unlimited()).check
    lines = text.split("\n")
    title_index = next((i for i, line in enumerate(lines) if line.strip()), 0)
    title = lines[title_index].strip()
    body = lines[title_index + 1 :]

    url, title_en, body = _take_trailer(body)
    paragraphs = _rejoin_paragraphs(body, check)

    builder = DocumentBuilder()
    notes: list[str] = []
    publisher = None
    for paragraph in paragraphs:
        check()
        if _is_promotion(paragraph):
            publisher = publisher or publishers_named_in(paragraph)
            paragraph, promotion = _without_promotion(paragraph)
            notes.append(f"dropped promotion: {promotion[:30]}…")
        paragraph, dropped = _drop_repeated_fragments(paragraph)
        notes.extend(f"dropped repeated fragment: {fragment}" for fragment in dropped)
        builder.paragraph(paragraph)

    document = builder.build(
        source=source,
        format=DocumentFormat.WRAPPED_TEXT,
        title=title,
        url=url,
        title_en=title_en,
        publisher=publisher or publisher_from_url(url),
    )
    document.cleaning_notes.extend(notes)
    return document


def _take_trailer(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Remove the trailing source link and "英文原文：…" line, returning them."""
    url = title_en = None
    kept = list(lines)
    for i in range(len(kept) - 1, -1, -1):
        line = kept[i]
        if not line.strip():
            continue
        if url is None and (match := _URL_LINE.match(line)):
            url = match.group(1)
            kept[i] = ""
            continue
        if title_en is None and (match := _ENGLISH_TITLE.match(line)):
            title_en = match.group("title").strip()
            kept[i] = ""
            continue
        break
    return url, title_en, kept


def _rejoin_paragraphs(lines: list[str], check: Callable[[], None]) -> list[str]:
    widest = max((display_width(line.strip()) for line in lines), default=0)
    paragraphs: list[str] = []
    current: list[str] = []
    blank_run = 0
    previous_line = ""
    for line in lines:
        check()
        if not line.strip():
            blank_run += 1
            continue
        if current and _paragraph_ends(previous_line, line, blank_run, widest):
            paragraphs.append(clean_inline(join_lines(current)))
            current = []
        current.append(line)
        previous_line = line
        blank_run = 0
    if current:
        paragraphs.append(clean_inline(join_lines(current)))
    return [p for p in paragraphs if p]


def _paragraph_ends(previous: str, line: str, blank_run: int, widest: int) -> bool:
    if not ends_sentence(previous):
        return False  # the wrapper broke mid-sentence
    short = display_width(previous.strip()) < widest * _FULL_LINE_SHARE
    indented = line[:1].isspace()
    return short or indented or blank_run >= 2


def _is_promotion(text: str) -> bool:
    return sum(marker in text for marker in _PROMOTION_MARKERS) >= 2


def _without_promotion(paragraph: str) -> tuple[str, str]:
    """Split a promotion paragraph into what stays (the attribution: "本文原刊于《华尔街日报》，
    端传媒获授权转载。" says where the article comes from) and the sales pitch that goes."""
    kept, dropped = [], []
    for span in split_sentences(paragraph):
        sentence = paragraph[span.start : span.end]
        (dropped if any(marker in sentence for marker in _PROMOTION_MARKERS) else kept).append(sentence)
    return "".join(kept), "".join(dropped)


def _drop_repeated_fragments(paragraph: str) -> tuple[str, list[str]]:
    """Drop a sentence that merely repeats the tail of an earlier sentence in the paragraph.

    The text dump duplicated a wrapped line's tail ("…报答恩情。助镇压当地的反政府暴力骚乱。");
    such a fragment is a copy artifact, not content.
    """
    kept: list[str] = []
    pieces: list[str] = []  # the paragraph without its echoes
    dropped: list[str] = []
    position = 0
    for span in split_sentences(paragraph):
        sentence = paragraph[span.start : span.end]
        recent = kept[-_ECHO_LOOKBACK:]
        if len(sentence) >= 8 and any(s.endswith(sentence) and len(s) > len(sentence) for s in recent):
            pieces.append(paragraph[position : span.start])
            position = span.end
            dropped.append(sentence)
        else:
            kept.append(sentence)
    pieces.append(paragraph[position:])
    return clean_inline("".join(pieces)), dropped
