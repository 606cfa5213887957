"""A Word document exported to text: one line per paragraph, `[footnoteRef:N]` markers in the
body, `[N:  …]` footnote bodies appended to the paragraph that cites them, tab-led table cells,
numbered headings ("1、", "（一）", "（3）") and `[bookmark: …]` artifacts.

Footnotes are kept as document data (number → text) and their marker positions as offsets, not
as separate chunks: they are bibliographic references (titles, dates, mostly Russian URLs) that
would crowd real passages out of retrieval, but a citation can still show them.
"""

from __future__ import annotations

import re

from ingest.budget import Deadline
from ingest.chinese_text import clean_inline, ends_sentence
from ingest.document_builder import DocumentBuilder
from ingest.records import CleanDocument, DocumentFormat

_MARKER = re.compile(r"\[footnoteRef:(\d+)\]")
_BOOKMARK = re.compile(r"\[bookmark:[^\[\]]*\]")  # stops at the next bracket: linear on a giant line
# A footnote body starts "[N:" and runs to the closing bracket before the next body or line end.
_FOOTNOTE_START = re.compile(r"\[(\d+):\s+")
_HEADING = re.compile(r"^(\d+、|（[一二三四五六七八九十\d]+）|第[一二三四五六七八九十]+[章节部分])\s*\S")
_MAX_HEADING_CHARS = 40
_MAX_AUTHOR_CHARS = 20
# Private-use characters stand in for markers while whitespace is cleaned, then become offsets.
_SENTINEL_BASE = 0xE000


def parse_word_export(text: str, *, source: str, deadline: Deadline | None = None) -> CleanDocument:
    check = (deadline or Deadline.unlimited()).check
    lines = [_BOOKMARK.sub("", line) for line in text.split("\n")]
    footnotes: dict[int, str] = {}
    body_lines = []
    for line in lines:
        check()
        body_lines.append(_split_off_footnotes(line, footnotes))

    content = [i for i, line in enumerate(body_lines) if line.strip()]
    if not content:
        return DocumentBuilder().build(source=source, format=DocumentFormat.WORD_EXPORT, title="")
    title = _MARKER.sub("", body_lines[content[0]])
    author = None
    first_body = 1
    if len(content) > 1:
        candidate = clean_inline(_MARKER.sub("", body_lines[content[1]]))
        if 0 < len(candidate) <= _MAX_AUTHOR_CHARS and not ends_sentence(candidate):
            author = candidate
            first_body = 2

    builder = DocumentBuilder()
    if author is not None:
        # The author line's own footnote is front matter (affiliation, occasion), not a citation:
        # kept as the opening paragraph so questions about the paper's author can be answered.
        for number in map(int, _MARKER.findall(body_lines[content[1]])):
            if number in footnotes:
                builder.paragraph(footnotes[number])
    remaining = body_lines[content[first_body] :] if len(content) > first_body else []
    i = 0
    while i < len(remaining):
        check()
        line = remaining[i]
        if line.startswith("\t"):
            table_lines, i = _take_table(remaining, i)
            builder.paragraph(_render_table(table_lines))
            continue
        i += 1
        if not line.strip():
            continue
        cleaned, refs = _clean_with_markers(line)
        if _is_heading(cleaned):
            builder.heading(cleaned)
        else:
            builder.paragraph(cleaned, footnote_refs=refs)

    document = builder.build(
        source=source,
        format=DocumentFormat.WORD_EXPORT,
        title=title,
        author=author,
        publisher=author,
    )
    document.footnotes = footnotes
    return document


def _split_off_footnotes(line: str, footnotes: dict[int, str]) -> str:
    """Move the `[N:  …]` bodies at the end of a paragraph into `footnotes`; return the body.

    A body ends at a "]" that only spaces separate from the next "[M:" or the line end; a "[M:"
    not preceded by such a "]" is part of the body before it. Found in one pass over the starts
    (a lazy regex for this rescans the rest of the line from every start: quadratic).
    """
    starts = list(_FOOTNOTE_START.finditer(line))
    if not starts:
        return line
    boundaries = [start.start() for start in starts[1:]] + [len(line)]
    # closing[k]: the "]" just before boundaries[k], or None; next_close[k]: the first k' >= k with one
    closing = [_bracket_before(line, boundary) for boundary in boundaries]
    next_close: list[int | None] = [None] * len(starts)
    following = None
    for k in range(len(starts) - 1, -1, -1):
        following = k if closing[k] is not None else following
        next_close[k] = following
    k = 0
    while k < len(starts) and (end := next_close[k]) is not None:
        footnotes[int(starts[k].group(1))] = clean_inline(line[starts[k].end() : closing[end]])
        k = end + 1
    return line[: starts[0].start()]


def _bracket_before(line: str, boundary: int) -> int | None:
    """Where the "]" is that ends the text before `boundary` (trailing spaces aside), if it does."""
    at = boundary - 1
    while at >= 0 and line[at].isspace():
        at -= 1
    return at if at >= 0 and line[at] == "]" else None


def _clean_with_markers(line: str) -> tuple[str, list[tuple[int, int]]]:
    numbers: list[int] = []

    def to_sentinel(match: re.Match[str]) -> str:
        numbers.append(int(match.group(1)))
        return chr(_SENTINEL_BASE + len(numbers) - 1)

    cleaned = clean_inline(_MARKER.sub(to_sentinel, line))
    text: list[str] = []
    refs: list[tuple[int, int]] = []
    for char in cleaned:
        index = ord(char) - _SENTINEL_BASE
        if 0 <= index < len(numbers):
            refs.append((len(text), numbers[index]))
        else:
            text.append(char)
    return "".join(text).strip(), refs


def _is_heading(text: str) -> bool:
    return bool(_HEADING.match(text)) and len(text) <= _MAX_HEADING_CHARS and not ends_sentence(text)


def _take_table(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Collect table rows from `i`: blank-line separated groups of tab-led cells.

    A line without a leading tab continues the cell above it ("俄罗斯GDP" + "（平均值）").
    The table ends at a group that does not start with a tab.
    """
    rows: list[list[str]] = []
    while i < len(lines) and lines[i].startswith("\t"):
        cells: list[list[str]] = []  # the pieces of each cell, joined once (a cell may run on for pages)
        while i < len(lines) and lines[i].strip():
            line = lines[i]
            if line.startswith("\t") or not cells:
                cells.append([line.strip()])
            else:
                separator = "，" if len(cells) == 1 else ""  # caption lines vs. a wrapped header cell
                cells[-1].append(separator + line.strip())
            i += 1
        rows.append([clean_inline("".join(cell)) for cell in cells])
        while i < len(lines) and not lines[i].strip():
            i += 1
    return rows, i


def _render_table(rows: list[list[str]]) -> str:
    """One readable line per row: "2017-2021：俄罗斯GDP（平均值）1637.8，…，比值9.2:1。"

    Each data row repeats the column names so a chunk holding one row still says what its
    numbers are. Rows with one cell (title, units, source note) are kept as they are.
    """
    header: list[str] | None = None
    out: list[str] = []
    for row in rows:
        if len(row) == 1:
            out.append(row[0])
        elif header is None:
            header = row
        else:
            named = "，".join(f"{name}{value}" for name, value in zip(header[1:], row[1:], strict=False))
            out.append(f"{row[0]}：{named}。")
    return "\n".join(out)
