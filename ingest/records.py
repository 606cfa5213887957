"""Typed records that leave the ingest stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from ingest.choices import parse_choice


class DocumentFormat(StrEnum):
    """The shapes of input kzqa recognises, detected from content (never from the file name)."""

    WRAPPED_TEXT = "wrapped_text"  # plain text hard-wrapped at a fixed width
    MARKDOWN = "markdown"
    WORD_EXPORT = "word_export"  # Word → text export with footnote markup and tab tables
    FEED_HTML = "feed_html"  # RSS feed item: epoch comment, [title](url), rule, HTML body
    HTML = "html"  # an ordinary HTML page (uploads)
    PLAIN_TEXT = "plain_text"  # one paragraph per line or per blank-line block

    @classmethod
    def from_str(cls, value: str) -> DocumentFormat:
        return parse_choice(cls, value, what="document format", valid_label="valid formats")


@dataclass(frozen=True)
class Section:
    """A heading that applies to the cleaned text from `start` until the next section."""

    start: int
    heading: str


@dataclass(frozen=True)
class FootnoteRef:
    """Where a footnote marker stood in the cleaned text (the marker itself is removed)."""

    offset: int
    number: int


@dataclass
class CleanDocument:
    """One article after cleaning: body text plus what was learnt about it.

    `text` is the cleaned body: paragraphs separated by a blank line. Every offset kzqa reports
    (sections, footnote markers, chunk spans, citations) points into this string.
    """

    source: str
    format: DocumentFormat
    text: str
    title: str
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    publisher: str | None = None
    author: str | None = None
    title_en: str | None = None
    encoding: str = "utf-8"
    sections: list[Section] = field(default_factory=list)
    footnotes: dict[int, str] = field(default_factory=dict)
    footnote_refs: list[FootnoteRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cleaning_notes: list[str] = field(default_factory=list)

    def section_at(self, offset: int) -> str:
        """The heading in force at `offset` ("" before the first heading)."""
        heading = ""
        for section in self.sections:
            if section.start > offset:
                break
            heading = section.heading
        return heading

    def metadata(self) -> dict[str, Any]:
        """Flat, JSON-ready document metadata (None values dropped: vector stores reject them)."""
        values = {
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "publisher": self.publisher,
            "author": self.author,
            "title_en": self.title_en,
            "format": self.format.value,
        }
        return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True)
class SkippedFile:
    """An input that could not be ingested, and why (shown to the user as is)."""

    source: str
    reason: str


@dataclass
class IngestedDocument:
    """A cleaned document and the chunks cut from it."""

    document: CleanDocument
    chunks: list[Any]  # llama_index TextNode; typed loosely to keep this module import-light

    def summary(self) -> dict[str, Any]:
        doc = self.document
        return {
            "source": doc.source,
            "format": doc.format.value,
            "title": doc.title,
            "published": doc.published,
            "characters": len(doc.text),
            "chunks": len(self.chunks),
            "warnings": list(doc.warnings),
        }


@dataclass
class IngestReport:
    documents: list[IngestedDocument] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [d.summary() for d in self.documents],
            "skipped": [asdict(s) for s in self.skipped],
        }
