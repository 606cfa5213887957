"""Assembles cleaned paragraphs into a CleanDocument while tracking offsets.

Every parser emits paragraphs, headings and footnote markers through this builder, so offsets
into the cleaned text are computed in one place.
"""

from __future__ import annotations

from ingest.chinese_text import clean_inline
from ingest.records import CleanDocument, DocumentFormat, FootnoteRef, Section

PARAGRAPH_SEPARATOR = "\n\n"


class DocumentBuilder:
    def __init__(self) -> None:
        self._paragraphs: list[str] = []
        self._length = 0
        self._sections: list[Section] = []
        self._pending_heading: str | None = None
        self._footnote_refs: list[FootnoteRef] = []

    @property
    def paragraph_count(self) -> int:
        return len(self._paragraphs)

    def heading(self, text: str) -> None:
        """Start a section; it takes effect at the next paragraph."""
        heading = clean_inline(text)
        if heading:
            self._pending_heading = heading

    def paragraph(self, text: str, *, footnote_refs: list[tuple[int, int]] = ()) -> None:
        """Add a paragraph of already-cleaned text.

        `footnote_refs` are (offset within `text`, footnote number) pairs.
        """
        if not text.strip():
            return
        start = self._length + (len(PARAGRAPH_SEPARATOR) if self._paragraphs else 0)
        if self._pending_heading is not None:
            self._sections.append(Section(start=start, heading=self._pending_heading))
            self._pending_heading = None
        self._paragraphs.append(text)
        self._length = start + len(text)
        for offset, number in footnote_refs:
            self._footnote_refs.append(FootnoteRef(offset=start + offset, number=number))

    def build(self, *, source: str, format: DocumentFormat, title: str, **fields) -> CleanDocument:
        return CleanDocument(
            source=source,
            format=format,
            text=PARAGRAPH_SEPARATOR.join(self._paragraphs),
            title=clean_inline(title),
            sections=list(self._sections),
            footnote_refs=list(self._footnote_refs),
            **fields,
        )
