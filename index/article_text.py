"""One source's cleaned text, put back together from the chunks an index build stores.

Chunks are exact slices of the cleaned text (`ChunkRecord.start`/`end`), and what lies between
two of them is the whitespace the chunker dropped at a paragraph break. So placing each chunk at
its offset and filling the gaps with line breaks gives a text in which every citation's offsets
point at its quote, for corpus articles and uploaded documents alike, without re-reading the file.
"""

from __future__ import annotations

from collections.abc import Iterable

from index.chunk_records import ChunkRecord

GAP = "\n"  # what stands in for each dropped character between two chunks: a paragraph break


def article_text(records: Iterable[ChunkRecord], source: str) -> str | None:
    """The cleaned text of `source` as far as its last chunk; None if the build holds no chunk of it."""
    chunks = sorted((record for record in records if record.source == source), key=lambda record: record.start)
    if not chunks:
        return None
    pieces: list[str] = []
    end = 0
    for chunk in chunks:
        if chunk.start < end:  # overlapping chunks (chunk_overlap > 0): keep only what is new
            pieces.append(chunk.text[end - chunk.start :])
        else:
            pieces.append(GAP * (chunk.start - end) + chunk.text)
        end = max(end, chunk.end)
    return "".join(pieces)
