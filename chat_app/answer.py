"""What the answer engine returns: the answer text with [n] markers, and what each marker cites."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from index.passage import Passage
from ingest.choices import parse_choice


class GeneratorKind(StrEnum):
    EXTRACTIVE = "extractive"
    LLM = "llm"

    @classmethod
    def from_str(cls, value: str) -> GeneratorKind:
        return parse_choice(cls, value, what="generator", valid_label="valid generators")


@dataclass(frozen=True)
class Citation:
    """Marker [id] in the answer points at `quote`, found at [start, end) of the cleaned `source`."""

    id: int
    source: str
    title: str
    quote: str
    start: int
    end: int
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    chunk_id: str | None = None

    @classmethod
    def from_span(cls, id: int, passage: Passage, start: int, end: int) -> Citation:
        """Citation `id` quoting passage.text[start:end] (offsets within the passage)."""
        return cls(
            id=id,
            source=passage.source,
            title=passage.title,
            quote=passage.text[start:end],
            start=passage.start + start,
            end=passage.start + end,
            url=passage.url,
            published=passage.published,
            publisher=passage.publisher,
            chunk_id=passage.chunk_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "url": self.url,
        }


@dataclass
class Answer:
    question: str
    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    generator: GeneratorKind = GeneratorKind.EXTRACTIVE
    notes: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str | None = None  # the question as retrieved, after follow-up condensing
    # A refusal's related quotes: what the articles do say when it does not answer the question.
    # Its [n] markers point here; `citations` stay empty, since nothing backs an answer.
    related: list[Citation] = field(default_factory=list)
    # Sources that are documents a user added, not corpus articles: every view marks them as
    # uploaded, and their citations carry no URL (a document can claim any address).
    uploaded_sources: frozenset[str] = frozenset()

    def is_uploaded(self, source: str) -> bool:
        return source in self.uploaded_sources

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the shape `kzqa ask --json` prints."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [{**c.to_dict(), "uploaded": self.is_uploaded(c.source)} for c in self.citations],
            "related": [{**c.to_dict(), "uploaded": self.is_uploaded(c.source)} for c in self.related],
            "passages": [self._passage_dict(p) for p in self.passages],
            "generator": self.generator.value,
            "notes": list(self.notes),
            "timings_ms": {name: round(ms, 1) for name, ms in self.timings_ms.items()},
        }

    def _passage_dict(self, passage: Passage) -> dict[str, Any]:
        return {
            "source": passage.source,
            "text": passage.text,
            "score": passage.score,
            "chunk_id": passage.chunk_id,
            "uploaded": self.is_uploaded(passage.source),
        }
