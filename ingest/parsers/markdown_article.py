"""A news article saved as Markdown: `#` title (sometimes twice), image lines, `>` caption and
credit blocks, `##` section headings, paragraphs separated by blank lines."""

from __future__ import annotations

import re

from ingest.budget import Deadline
from ingest.chinese_text import clean_inline, ends_sentence, join_lines
from ingest.document_builder import DocumentBuilder
from ingest.parsers.captions import caption_text, is_credit
from ingest.publishers import publisher_from_caption_style
from ingest.records import CleanDocument, DocumentFormat

# Every pattern here fails within the span up to its next delimiter, so one giant line costs
# linear time: the text of a link stops at the next bracket, its URL at the next unpaired
# parenthesis, emphasis at the next marker. (Unbounded `.*?` runs made a 6 KB heading line hang.)
_HEADING = re.compile(r"^(#{1,6})\s*(\S.*)$")
_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_EMPHASIS = re.compile(r"(\*\*|__)((?:(?!\1).)+)\1|(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?!\w)")
_BOLD_ONLY = re.compile(r"^\s*(\*\*|__)(.+)\1\s*$")
_CODE = re.compile(r"`([^`]*)`")


def parse_markdown(text: str, *, source: str, deadline: Deadline | None = None) -> CleanDocument:
    check = (deadline or Deadline.unlimited()).check
    builder = DocumentBuilder()
    title: str | None = None
    paragraph: list[str] = []
    quote: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            _add_paragraph(builder, paragraph)
            paragraph.clear()

    def flush_quote() -> None:
        for line in quote:
            if line and not is_credit(line):
                builder.paragraph(clean_inline(_strip_inline(caption_text(line))))
        quote.clear()

    for line in text.split("\n"):
        check()
        if line.lstrip().startswith(">"):
            flush_paragraph()
            quote.append(line.lstrip()[1:].strip())
            continue
        flush_quote()
        if not line.strip():
            flush_paragraph()
        elif heading := _HEADING.match(line):
            flush_paragraph()
            heading_text = clean_inline(_strip_inline(_without_closing_hashes(heading.group(2))))
            if title is None:
                title = heading_text
            elif heading_text != title:
                builder.heading(heading_text)
        elif not _IMAGE_LINE.match(line):
            paragraph.append(line)
    flush_paragraph()
    flush_quote()

    return builder.build(
        source=source,
        format=DocumentFormat.MARKDOWN,
        title=title or "",
        publisher=publisher_from_caption_style(text),
    )


def _without_closing_hashes(heading: str) -> str:
    """The heading without its optional closing #s ("标题 ##" → "标题"); one made only of #s keeps one."""
    return heading.rstrip().rstrip("#").rstrip() or heading[0]


def _add_paragraph(builder: DocumentBuilder, lines: list[str]) -> None:
    joined = join_lines(lines)
    bold = _BOLD_ONLY.match(joined)
    if bold and len(bold.group(2)) <= 40 and not ends_sentence(bold.group(2)):
        builder.heading(_strip_inline(bold.group(2)))  # a bold line standing alone is a subheading
        return
    builder.paragraph(clean_inline(_strip_inline(joined)))


def _strip_inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), text)
