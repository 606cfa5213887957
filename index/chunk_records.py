"""Chunks as the index stores them locally: a JSON-lines file beside the BM25 index.

It lets keyword search and result display work without asking the vector store for texts, and
it is the record of exactly which chunks the current index build contains.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from llama_index.core.schema import BaseNode, MetadataMode

from index.typed_json import records_from_jsonl
from index.visibility import OWNER_KEY


@dataclass(frozen=True)
class ChunkRecord:
    chunk_id: str
    source: str
    title: str
    section: str
    text: str
    start: int
    end: int
    content_hash: str  # of what the embedder sees, so unchanged content is never embedded twice
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    footnotes: str | None = None
    owner: str | None = None  # the key of the user whose private document this is; None: everyone's

    @property
    def source_key(self) -> str:
        """The source, told apart from another owner's file of the same name."""
        return self.source if self.owner is None else f"private/{self.owner}/{self.source}"

    @classmethod
    def from_node(cls, node: BaseNode, *, model_fingerprint: str) -> ChunkRecord:
        metadata = node.metadata
        return cls(
            chunk_id=node.node_id,
            source=metadata["source"],
            title=metadata.get("title", ""),
            section=metadata.get("section", ""),
            text=node.get_content(metadata_mode=MetadataMode.NONE),
            start=node.start_char_idx or 0,
            end=node.end_char_idx or 0,
            content_hash=content_hash(node, model_fingerprint),
            url=metadata.get("url"),
            published=metadata.get("published"),
            publisher=metadata.get("publisher"),
            footnotes=metadata.get("footnotes"),
            owner=metadata.get(OWNER_KEY),
        )


def content_hash(node: BaseNode, model_fingerprint: str) -> str:
    embed_text = node.get_content(metadata_mode=MetadataMode.EMBED)
    return hashlib.sha256(f"{model_fingerprint}\x00{embed_text}".encode()).hexdigest()


def save_records(records: list[ChunkRecord], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")


def load_records(path: Path) -> list[ChunkRecord]:
    """The records of `path`; ShapeError names the first line that is not a well-formed record."""
    return records_from_jsonl(ChunkRecord, path, problem=_chunk_problem)


def _chunk_problem(record: ChunkRecord) -> str | None:
    if not record.chunk_id or not 0 <= record.start <= record.end:
        return f"empty chunk id or offsets {record.start}-{record.end} out of order"
    return None
