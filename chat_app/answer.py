"""What the answer engine returns: the answer text with [n] markers, and what each marker cites."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
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
            "published": self.published,
            "publisher": self.publisher,
            "chunk_id": self.chunk_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Citation:
        return cls(**{f.name: data[f.name] for f in fields(cls)})


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
        """JSON-ready and complete (`from_dict` reads it back into an equal Answer); the shape `kzqa ask --json`
        prints. Each citation and passage also says whether its source is an uploaded document."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [self._citation_dict(c) for c in self.citations],
            "related": [self._citation_dict(c) for c in self.related],
            "passages": [{**p.to_dict(), "uploaded": self.is_uploaded(p.source)} for p in self.passages],
            "generator": self.generator.value,
            "notes": list(self.notes),
            "timings_ms": dict(self.timings_ms),
            "standalone_question": self.standalone_question,
            "uploaded_sources": sorted(self.uploaded_sources),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answer:
        """The Answer `to_dict` wrote, e.g. a line of `kzqa ask --json` read back."""
        return cls(
            question=data["question"],
            text=data["answer"],
            refused=data["refused"],
            citations=[Citation.from_dict(c) for c in data["citations"]],
            passages=[_passage_from_dict(p) for p in data["passages"]],
            generator=GeneratorKind.from_str(data["generator"]),
            notes=list(data["notes"]),
            timings_ms=dict(data["timings_ms"]),
            standalone_question=data["standalone_question"],
            related=[Citation.from_dict(c) for c in data["related"]],
            uploaded_sources=frozenset(data["uploaded_sources"]),
        )

    def _citation_dict(self, citation: Citation) -> dict[str, Any]:
        return {**citation.to_dict(), "uploaded": self.is_uploaded(citation.source)}


def _passage_from_dict(data: Mapping[str, Any]) -> Passage:
    return Passage(**{f.name: data[f.name] for f in fields(Passage)})
