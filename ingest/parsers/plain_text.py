"""Ordinary text: one paragraph per line, or blocks separated by blank lines (user uploads)."""

from __future__ import annotations

import re

from ingest.chinese_text import clean_inline, ends_sentence, join_wrapped
from ingest.document_builder import DocumentBuilder
from ingest.records import CleanDocument, DocumentFormat

_MAX_TITLE_CHARS = 60


def parse_plain_text(text: str, *, source: str) -> CleanDocument:
    has_blank_lines = bool(re.search(r"\n\s*\n", text.strip()))
    blocks = re.split(r"\n\s*\n", text) if has_blank_lines else text.split("\n")
    paragraphs = []
    for block in blocks:
        joined = ""
        for line in block.split("\n"):
            joined = join_wrapped(joined, line) if joined else line.strip()
        if cleaned := clean_inline(joined):
            paragraphs.append(cleaned)

    title = ""  # the pipeline falls back to the file name, with a warning
    if paragraphs and len(paragraphs[0]) <= _MAX_TITLE_CHARS and not ends_sentence(paragraphs[0]):
        title = paragraphs.pop(0)
    builder = DocumentBuilder()
    for paragraph in paragraphs:
        builder.paragraph(paragraph)
    return builder.build(source=source, format=DocumentFormat.PLAIN_TEXT, title=title)
