"""Chunks of the real corpus: within the limit, whole sentences, exact offsets, stable ids."""

import itertools

import pytest
from llama_index.core.schema import TextNode

from ingest import ChineseSentenceChunker, ingest_corpus, plan_chunks
from ingest.records import Section
from ingest.sentences import split_sentences
from tests.support.paths import ALL_SOURCES, PAPER

SIZES = [(150, 0), (300, 60), (400, 100)]


@pytest.fixture(scope="module", params=SIZES, ids=lambda p: f"size{p[0]}-overlap{p[1]}")
def chunked(request, corpus_dir):
    size, overlap = request.param
    report = ingest_corpus(corpus_dir, ChineseSentenceChunker(chunk_size=size, chunk_overlap=overlap))
    return size, overlap, {item.document.source: item for item in report.documents}


def _sentence_starts(text):
    return {span.start for span in split_sentences(text)}


def _sentence_ends(text):
    return {span.end for span in split_sentences(text)}


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_no_chunk_exceeds_the_limit(chunked, source):
    size, _, items = chunked
    lengths = [len(chunk.text) for chunk in items[source].chunks]
    assert max(lengths) <= size


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_chunks_start_and_end_on_sentence_boundaries(chunked, source):
    size, _, items = chunked
    text = items[source].document.text
    starts, ends = _sentence_starts(text), _sentence_ends(text)
    long_sentences = [s for s in split_sentences(text) if len(s) > size]
    for chunk in items[source].chunks:
        inside_long = any(s.start <= chunk.start_char_idx < s.end for s in long_sentences)
        if not inside_long:  # only a sentence longer than the limit may be cut
            assert chunk.start_char_idx in starts, chunk.text[:30]
            assert chunk.end_char_idx in ends, chunk.text[-30:]


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_offsets_map_back_to_the_exact_text(chunked, source):
    _, _, items = chunked
    text = items[source].document.text
    for chunk in items[source].chunks:
        assert isinstance(chunk, TextNode)
        assert text[chunk.start_char_idx : chunk.end_char_idx] == chunk.text


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_chunks_cover_the_whole_body(chunked, source):
    _, _, items = chunked
    text = items[source].document.text
    covered = [False] * len(text)
    for chunk in items[source].chunks:
        covered[chunk.start_char_idx : chunk.end_char_idx] = [True] * len(chunk.text)
    uncovered = "".join(c for c, hit in zip(text, covered, strict=True) if not hit)
    assert uncovered.strip() == ""


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_overlap_between_neighbours_stays_within_the_setting(chunked, source):
    _, overlap, items = chunked
    chunks = items[source].chunks
    for before, after in itertools.pairwise(chunks):
        shared = max(0, before.end_char_idx - after.start_char_idx)
        assert shared <= overlap


def test_ids_are_stable_across_runs_and_unique(corpus_dir):
    first = ingest_corpus(corpus_dir)
    second = ingest_corpus(corpus_dir)
    ids_first = [c.node_id for d in first.documents for c in d.chunks]
    ids_second = [c.node_id for d in second.documents for c in d.chunks]
    assert ids_first == ids_second
    assert len(set(ids_first)) == len(ids_first)


def test_chunks_carry_source_section_and_flat_metadata(documents):
    chunks = documents[PAPER].chunks
    table_chunk = next(c for c in chunks if "比值9.2:1" in c.text)
    assert table_chunk.metadata["source"] == PAPER
    assert table_chunk.metadata["section"] == "（二）地区格局：俄哈实力差距缩小"
    for chunk in chunks:  # vector stores accept only flat scalar metadata
        assert all(isinstance(v, str | int | float) for v in chunk.metadata.values())


def test_chunks_list_the_footnotes_their_text_cites(documents):
    chunk = next(c for c in documents[PAPER].chunks if "国家可能会追随强者。" in c.text)
    assert "斯蒂芬·沃尔特：《联盟的起源》" in chunk.metadata["footnotes"]


def test_embedding_text_includes_title_and_section_but_not_bookkeeping(documents):
    from llama_index.core.schema import MetadataMode

    chunk = documents[PAPER].chunks[5]
    embed_text = chunk.get_content(metadata_mode=MetadataMode.EMBED)
    assert chunk.metadata["title"] in embed_text
    assert chunk.metadata["section"] in embed_text
    assert "chunk_index" not in embed_text and "format" not in embed_text


def test_a_sentence_longer_than_the_limit_is_cut_at_clause_punctuation():
    text = "，".join(["这是一个相当长的分句"] * 20) + "。"
    spans = plan_chunks(text, [], size=50, overlap=0)
    assert all(span.end - span.start <= 50 for span in spans)
    assert all(text[span.end - 1] in "，。" for span in spans)
    assert "".join(text[s.start : s.end] for s in spans) == text


def test_chunks_never_cross_a_section_boundary():
    text = "第一节第一句。第一节第二句。\n\n第二节第一句。第二节第二句。"
    second = text.index("第二节第一句")
    spans = plan_chunks(text, [Section(0, "一"), Section(second, "二")], size=200, overlap=0)
    assert [(s.section, text[s.start : s.end]) for s in spans] == [
        ("一", "第一节第一句。第一节第二句。"),
        ("二", "第二节第一句。第二节第二句。"),
    ]
