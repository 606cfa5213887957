"""Incremental indexing with the real model, real Chroma and real jieba.

Small corpora (copies of one or two real articles) keep each build to a few seconds.
"""

import shutil
from dataclasses import replace

import pytest

from index.hybrid_retriever import HybridRetriever
from index.indexer import IndexModelMismatch, build_index
from index.manifest import IndexMissing, read_manifest
from index.vector_store import VectorStore, open_client
from tests.support.paths import BBC_JAN, BBC_SEPT, VOA, small_corpus_copy


@pytest.fixture
def small_corpus(tmp_path):
    return small_corpus_copy(tmp_path / "corpus")


@pytest.fixture
def settings(base_index_settings, tmp_path, small_corpus):
    return replace(base_index_settings, data_dir=tmp_path / "data", corpus_dirs=(small_corpus,))


def vector_ids(settings):
    manifest = read_manifest(settings.data_dir)
    return VectorStore.open(open_client(settings.data_dir), manifest.collection).ids()


class InterruptingEmbedderFake:
    """Deterministic fake around the real embedder: embeds `batches` batches, then acts like Ctrl-C."""

    def __init__(self, real, batches):
        self.spec, self._real, self._left = real.spec, real, batches

    def embed_passages(self, texts):
        if self._left == 0:
            raise KeyboardInterrupt
        self._left -= 1
        return self._real.embed_passages(texts)


def test_first_build_embeds_every_chunk_and_second_embeds_nothing(settings, embedder):
    first = build_index(settings, embedder=embedder)
    assert first.added == first.chunks == first.embedded > 0
    assert first.documents == 2 and first.removed == 0

    second = build_index(settings, embedder=embedder)
    assert second.unchanged and second.embedded == 0 and second.added == 0
    assert second.kept == first.chunks
    assert second.build_id == first.build_id


def test_an_edited_glossary_rebuilds_the_keyword_tables_without_embedding_again(settings, embedder, monkeypatch):
    """The English lexicon is built with the keyword index: a changed glossary must reach it on the next run."""
    import index.settings

    first = build_index(settings, embedder=embedder)
    monkeypatch.setattr(index.settings, "_glossary_digest", lambda: "edited")
    second = build_index(settings, embedder=embedder)
    assert not second.unchanged and second.embedded == 0
    assert second.build_id != first.build_id
    assert read_manifest(settings.data_dir).tokenizer.endswith("glossary:edited")


def test_a_new_lexicon_format_rebuilds_the_keyword_tables_without_embedding_again(settings, embedder, monkeypatch):
    """A build's lexicon.json written by older code lacks what newer code reads: `kzqa index` replaces it."""
    import index.settings

    first = build_index(settings, embedder=embedder)
    monkeypatch.setattr(index.settings, "LEXICON_FORMAT", index.settings.LEXICON_FORMAT + 1)
    second = build_index(settings, embedder=embedder)
    assert not second.unchanged and second.embedded == 0
    assert second.build_id != first.build_id


def test_changed_and_vanished_sources_are_reindexed_without_leftovers(settings, embedder, small_corpus, corpus_dir):
    first = build_index(settings, embedder=embedder)
    (small_corpus / VOA).unlink()
    shutil.copyfile(corpus_dir / BBC_SEPT, small_corpus / BBC_SEPT)

    second = build_index(settings, embedder=embedder)

    manifest = read_manifest(settings.data_dir)
    assert set(manifest.sources) == {BBC_JAN, BBC_SEPT}
    assert second.removed == first.chunks - manifest.sources[BBC_JAN]
    assert second.embedded == manifest.sources[BBC_SEPT]  # the unchanged article is not embedded again
    assert len(vector_ids(settings)) == manifest.chunk_count


def test_an_edit_reuses_vectors_of_unchanged_chunks(settings, embedder, small_corpus):
    build_index(settings, embedder=embedder)
    article = small_corpus / BBC_JAN
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("装甲车被部署到阿拉木图街头", "装甲车开上了阿拉木图街头"), encoding="utf-8")

    summary = build_index(settings, embedder=embedder)

    assert 1 <= summary.embedded <= 3  # only the chunk(s) holding the edited sentence
    assert summary.reused > 0  # shifted offsets, same content: vectors taken from the store
    assert len(vector_ids(settings)) == read_manifest(settings.data_dir).chunk_count


def test_an_interrupted_run_leaves_the_previous_index_usable_and_the_next_run_finishes(
    settings, embedder, small_corpus, corpus_dir
):
    build_index(settings, embedder=embedder)
    before = read_manifest(settings.data_dir)
    shutil.copyfile(corpus_dir / BBC_SEPT, small_corpus / BBC_SEPT)

    with pytest.raises(KeyboardInterrupt):
        build_index(settings, embedder=InterruptingEmbedderFake(embedder, batches=0))

    assert read_manifest(settings.data_dir) == before  # still the previous build
    passages = HybridRetriever(settings, embedder=embedder).retrieve("集安组织有哪些成员国？", k=3)
    assert passages and all(p.source in before.sources for p in passages)

    finished = build_index(settings, embedder=embedder)
    after = read_manifest(settings.data_dir)
    assert BBC_SEPT in after.sources
    assert finished.embedded == after.sources[BBC_SEPT]
    assert len(vector_ids(settings)) == after.chunk_count  # no duplicates, nothing stale


def test_a_run_interrupted_after_some_batches_keeps_them(settings, embedder, small_corpus, corpus_dir, monkeypatch):
    monkeypatch.setattr("index.indexer.BATCH_SIZE", 4)  # several batches for one new article
    build_index(settings, embedder=embedder)
    shutil.copyfile(corpus_dir / BBC_SEPT, small_corpus / BBC_SEPT)
    with pytest.raises(KeyboardInterrupt):
        build_index(settings, embedder=InterruptingEmbedderFake(embedder, batches=1))

    finished = build_index(settings, embedder=embedder)

    new_chunks = read_manifest(settings.data_dir).sources[BBC_SEPT]
    assert finished.embedded < new_chunks  # the first batch survived the interruption
    assert len(vector_ids(settings)) == read_manifest(settings.data_dir).chunk_count


def test_an_index_from_another_model_is_refused_until_rebuilt(settings, embedder):
    build_index(settings, embedder=embedder)
    other = replace(settings, embed_model=str(settings.model_cache_dir), passage_prefix="passage: ")
    with pytest.raises(IndexModelMismatch, match="kzqa index --rebuild"):
        build_index(other, embedder=embedder)
    with pytest.raises(IndexModelMismatch, match="kzqa index --rebuild"):
        HybridRetriever(other, embedder=embedder)


def test_rebuild_starts_a_fresh_collection_and_drops_the_old_one(settings, embedder):
    first = build_index(settings, embedder=embedder)
    old_collection = read_manifest(settings.data_dir).collection

    rebuilt = build_index(settings, embedder=embedder, rebuild=True)

    manifest = read_manifest(settings.data_dir)
    assert rebuilt.embedded == first.chunks and manifest.collection != old_collection
    names = {c.name for c in open_client(settings.data_dir).list_collections()}
    assert names == {manifest.collection}


def test_reading_an_index_that_was_never_built_says_how_to_build_it(tmp_path, base_index_settings, embedder):
    settings = replace(base_index_settings, data_dir=tmp_path / "empty")
    with pytest.raises(IndexMissing, match="kzqa index"):
        HybridRetriever(settings, embedder=embedder)


def test_progress_is_reported_up_to_the_total(settings, embedder):
    seen = []
    build_index(settings, embedder=embedder, progress=lambda done, total: seen.append((done, total)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] > 0
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
