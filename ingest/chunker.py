"""Sentence-aware chunking for Chinese articles, as a llama-index NodeParser.

Chunks are llama-index TextNodes whose text is exactly `document.text[start:end]`, so a citation
can point at the span. Chunks never cross a section and never start or end inside a sentence,
unless one sentence alone is longer than the chunk size.
"""

from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from llama_index.core.bridge.pydantic import Field
from llama_index.core.node_parser import NodeParser
from llama_index.core.schema import BaseNode, Document, NodeRelationship, TextNode
from llama_index.core.utils import get_tqdm_iterable

from ingest.budget import Deadline
from ingest.records import CleanDocument, FootnoteRef, Section
from ingest.sentences import Span, split_sentences

LAYOUT_KEY = "kzqa_layout"  # document-only metadata: sections and footnotes, never copied to chunks
# Metadata a chunk's embedding sees: where it sits, not bookkeeping (ids, offsets, URLs).
EMBED_METADATA_KEYS = ("title", "section")
LLM_METADATA_KEYS = ("title", "section", "source", "published", "publisher")
_CLAUSE_BREAKS = "，、：,:；; "


@dataclass(frozen=True)
class ChunkSpan:
    start: int
    end: int
    section: str


def to_llama_document(document: CleanDocument) -> Document:
    """A llama-index Document carrying the layout the chunker needs (sections, footnotes)."""
    layout = {
        "sections": [[s.start, s.heading] for s in document.sections],
        "footnote_refs": [[r.offset, r.number] for r in document.footnote_refs],
        "footnotes": {str(n): text for n, text in document.footnotes.items()},
    }
    metadata = {**document.metadata(), LAYOUT_KEY: layout}
    return Document(
        id_=document.source,
        text=document.text,
        metadata=metadata,
        excluded_embed_metadata_keys=[LAYOUT_KEY],
        excluded_llm_metadata_keys=[LAYOUT_KEY],
    )


class ChineseSentenceChunker(NodeParser):
    """Packs whole sentences into chunks of at most `chunk_size` characters.

    Consecutive chunks of a section share up to `chunk_overlap` characters of whole sentences,
    so an answer that straddles a boundary is still found in one chunk.
    """

    chunk_size: int = Field(default=300, gt=20, description="Maximum characters per chunk.")
    chunk_overlap: int = Field(default=0, ge=0, description="Characters of whole sentences repeated.")
    # Chunk metadata is set explicitly below; the base class must not copy document metadata
    # (it would carry the layout dict, which vector stores reject).
    include_metadata: bool = Field(default=False)

    @classmethod
    def class_name(cls) -> str:
        return "ChineseSentenceChunker"

    def _parse_nodes(
        self, nodes: Sequence[BaseNode], show_progress: bool = False, deadline: Deadline | None = None, **kwargs: Any
    ) -> list[BaseNode]:
        """`deadline` (passed through `get_nodes_from_documents(..., deadline=…)`) is checked per chunk."""
        check = (deadline or Deadline.unlimited()).check
        chunks: list[BaseNode] = []
        for document in get_tqdm_iterable(nodes, show_progress, "Chunking"):
            chunks.extend(self._chunk_document(document, check))
        return chunks

    def _postprocess_parsed_nodes(self, nodes: list[BaseNode], parent_doc_map: dict[str, Document]) -> list[BaseNode]:
        # llama-index re-finds each chunk's text in its document to set the offsets, which lands on an
        # earlier copy when a paragraph repeats; the spans planned here are the true ones.
        spans = [(node.start_char_idx, node.end_char_idx) for node in nodes]
        nodes = super()._postprocess_parsed_nodes(nodes, parent_doc_map)
        for node, (start, end) in zip(nodes, spans, strict=True):
            node.start_char_idx, node.end_char_idx = start, end
        return nodes

    def _chunk_document(self, document: BaseNode, check: Callable[[str], None]) -> list[TextNode]:
        text = document.get_content()
        layout = document.metadata.get(LAYOUT_KEY, {})
        sections = [Section(start, heading) for start, heading in layout.get("sections", [])]
        refs = [FootnoteRef(offset, number) for offset, number in sorted(layout.get("footnote_refs", []))]
        footnotes = layout.get("footnotes", {})
        base_metadata = {k: v for k, v in document.metadata.items() if k != LAYOUT_KEY}
        source = str(base_metadata.get("source", document.node_id))
        # Hashes the whole document: computed once, not per chunk (quadratic on a 10 MB file).
        source_info = document.as_related_node_info()
        ref_offsets = [r.offset for r in refs]  # footnote markers in text order

        nodes = []
        spans = plan_chunks(text, sections, self.chunk_size, self.chunk_overlap)
        for index, span in enumerate(spans):
            check("chunking")
            metadata = {**base_metadata, "section": span.section, "chunk_index": index}
            inside = refs[bisect_right(ref_offsets, span.start) : bisect_right(ref_offsets, span.end)]
            cited = sorted({r.number for r in inside})
            if cited:
                metadata["footnotes"] = json.dumps(
                    {str(n): footnotes.get(str(n), "") for n in cited}, ensure_ascii=False
                )
            chunk_text = text[span.start : span.end]
            node = TextNode(
                id_=chunk_id(source, span.start, span.end, chunk_text),
                text=chunk_text,
                start_char_idx=span.start,
                end_char_idx=span.end,
                metadata=metadata,
                excluded_embed_metadata_keys=[k for k in metadata if k not in EMBED_METADATA_KEYS],
                excluded_llm_metadata_keys=[k for k in metadata if k not in LLM_METADATA_KEYS],
            )
            node.relationships[NodeRelationship.SOURCE] = source_info
            nodes.append(node)
        return nodes


def chunk_id(source: str, start: int, end: int, text: str) -> str:
    """Stable across runs: the same text at the same place in the same file keeps its id."""
    return hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{text}".encode()).hexdigest()[:32]


def plan_chunks(text: str, sections: list[Section], size: int, overlap: int) -> list[ChunkSpan]:
    """Where chunks start and end; the pure core of the chunker."""
    spans = [piece for s in split_sentences(text) for piece in _fit(text, s, size)]
    chunks: list[ChunkSpan] = []
    for heading, group in _group_by_section(spans, sections):
        chunks.extend(ChunkSpan(start, end, heading) for start, end in _pack(group, size, overlap))
    return chunks


def _fit(text: str, span: Span, size: int) -> list[Span]:
    """Cut a sentence longer than `size` at clause punctuation, or hard at `size` if it has none."""
    pieces = []
    start = span.start
    while span.end - start > size:
        window = text[start : start + size]
        cut = max(window.rfind(mark) for mark in _CLAUSE_BREAKS)
        end = start + cut + 1 if cut > size // 3 else start + size
        pieces.append(Span(start, end))
        start = end
        while start < span.end and text[start].isspace():
            start += 1
    pieces.append(Span(start, span.end))
    return pieces


def _group_by_section(spans: list[Span], sections: list[Section]) -> list[tuple[str, list[Span]]]:
    """Consecutive sentences under the same heading (a chunk never spans two sections)."""
    starts = [s.start for s in sections]
    groups: list[tuple[int, str, list[Span]]] = []
    for span in spans:
        position = bisect_right(starts, span.start)
        if groups and groups[-1][0] == position:
            groups[-1][2].append(span)
        else:
            heading = sections[position - 1].heading if position else ""
            groups.append((position, heading, [span]))
    return [(heading, group) for _, heading, group in groups]


def _pack(spans: list[Span], size: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy packing toward an even length per chunk, with whole-sentence overlap."""
    total = spans[-1].end - spans[0].start
    target = total / math.ceil(total / size)  # even lengths avoid a tiny last chunk
    chunks = []
    i = 0
    while i < len(spans):
        j = i
        while (
            j + 1 < len(spans)
            and spans[j + 1].end - spans[i].start <= size
            and (spans[j].end - spans[i].start < target)
        ):
            j += 1
        chunks.append((spans[i].start, spans[j].end))
        if j == len(spans) - 1:
            break
        k = j + 1
        while k - 1 > i and spans[j].end - spans[k - 1].start <= overlap:
            k -= 1
        i = k
    return chunks
