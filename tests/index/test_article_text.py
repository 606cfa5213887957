"""Putting a source's cleaned text back together from the chunks an index build stores."""

from __future__ import annotations

import pytest

from index.article_text import article_text
from index.chunk_records import ChunkRecord
from tests.support.paths import ALL_SOURCES


def record(source: str, text: str, start: int) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=f"{source}-{start}", source=source, title="t", section="", text=text,
        start=start, end=start + len(text), content_hash="h",
    )  # fmt: skip


class TestArticleText:
    @pytest.mark.parametrize("source", ALL_SOURCES)
    def test_every_article_of_the_real_index_comes_back_as_ingest_cleaned_it(self, retriever, documents, source):
        text = article_text(retriever.records.values(), source)
        assert text is not None
        cleaned = documents[source].document.text
        assert text.strip() == cleaned.strip()
        for chunk in documents[source].chunks:  # every citation offset points at the same characters
            assert text[chunk.start_char_idx : chunk.end_char_idx] == cleaned[chunk.start_char_idx : chunk.end_char_idx]

    def test_chunks_are_placed_at_their_offsets_whatever_order_they_come_in(self):
        records = [record("a.txt", "第二段。", 6), record("a.txt", "第一段。", 0), record("b.txt", "别的。", 0)]
        text = article_text(records, "a.txt")
        assert text == "第一段。\n\n第二段。"
        assert text[6:10] == "第二段。"

    def test_overlapping_chunks_are_not_repeated(self):
        records = [record("a.txt", "abcdef", 0), record("a.txt", "defghi", 3)]
        assert article_text(records, "a.txt") == "abcdefghi"

    def test_a_source_the_build_does_not_hold_has_no_text(self):
        assert article_text([record("a.txt", "x", 0)], "missing.txt") is None
