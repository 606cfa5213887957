"""Ordinary text: one paragraph per line, or blocks separated by blank lines (user uploads)."""

from __future__ import annotations

import re

from ingest.budget import Deadline
from ingest.chinese_text import clean_inline, ends_sentence, join_lines
from ingest.document_builder import DocumentBuilder
from ingest.records import CleanDocument, DocumentFormat

_MAX_TITLE_CHARS = 60
_BLANK_LINE = re.compile(r"\n\s*\n")


def parse_plain_text(text: str, *, source: str, deadline: Deadline | None = None) -> CleanDocument:
    check = (deadline or Deadline.unlimited()).check
    has_blank_lines = bool(_BLANK_LINE.search(text.strip()))
    blocks = _BLANK_LINE.split(text) if has_blank_lines else text.split("\n")
    paragraphs = []
    for block in blocks:
        check()
        if cleaned := clean_inline(join_lines(block.split("\n"))):
            paragraphs.append(cleaned)

    title = ""  # the pipeline falls back to the file name, with a warning
    if paragraphs and len(paragraphs[0]) <= _MAX_TITLE_CHARS and not ends_sentence(paragraphs[0]):
        title = paragraphs.pop(0)
    builder = DocumentBuilder()
    for paragraph in paragraphs:
        builder.paragraph(paragraph)
    return builder.build(source=source, format=DocumentFormat.PLAIN_TEXT, title=title)
