"""Sentence vectors made at index time: complete, equal to fresh embeddings, and reused by content."""

from dataclasses import replace

import numpy as np
import pytest

from index.chunk_records import ChunkRecord
from index.embedder import Embedder
from index.hybrid_retriever import HybridRetriever
from index.indexer import build_index
from index.manifest import read_manifest
from index.sentence_store import SentenceStore
from tests.support.paths import BBC_JAN


def chunk(chunk_id: str, text: str) -> ChunkRecord:
    return ChunkRecord(chunk_id=chunk_id, source="a.txt", title="t", section="", text=text, start=0,
                       end=len(text), content_hash=chunk_id)  # fmt: skip


class CountingEmbedderFake:
    """Deterministic fake: a unit vector from the text's hash, and a log of what it was asked to embed."""

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.seen.extend(texts)
        vectors = []
        for text in texts:
            rng = np.random.default_rng(abs(hash(text)) % 2**32)
            vector = rng.normal(size=8)
            vectors.append(list(vector / np.linalg.norm(vector)))
        return vectors


class TestSentenceStoreWithFakeEmbedder:
    def test_every_sentence_of_every_chunk_is_a_row_with_offsets_into_its_chunk(self):
        chunks = [chunk("c1", "第一句话在这里。第二句话也在！"), chunk("c2", "另一段只有一句")]
        records = SentenceStore.plan(chunks, model_fingerprint="m")
        store = SentenceStore.build(records, embed=CountingEmbedderFake())
        assert [r.text for r in store.records] == ["第一句话在这里。", "第二句话也在！", "另一段只有一句"]
        for record in store.records:
            text = next(c.text for c in chunks if c.chunk_id == record.chunk_id)
            assert text[record.start : record.end] == record.text
        assert store.vectors.shape == (3, 8) and store.by_chunk == {"c1": [0, 1], "c2": [2]}

    def test_a_repeated_sentence_is_embedded_once(self):
        embed = CountingEmbedderFake()
        records = SentenceStore.plan([chunk("c1", "同一句话。"), chunk("c2", "同一句话。")], model_fingerprint="m")
        SentenceStore.build(records, embed=embed)
        assert embed.seen == ["同一句话。"]

    def test_only_changed_sentences_are_embedded_again(self):
        first = SentenceStore.build(
            SentenceStore.plan([chunk("c1", "旧的一句。不变的一句。")], model_fingerprint="m"),
            embed=CountingEmbedderFake(),
        )
        embed = CountingEmbedderFake()
        records = SentenceStore.plan([chunk("c1", "新的一句。不变的一句。")], model_fingerprint="m")
        second = SentenceStore.build(records, embed=embed, reuse=first.vectors_by_hash())
        assert embed.seen == ["新的一句。"]
        assert np.array_equal(second.vectors[1], first.vectors[1])

    def test_another_model_never_reuses_a_vector(self):
        first = SentenceStore.build(SentenceStore.plan([chunk("c1", "一句。")], model_fingerprint="m1"),
                                    embed=CountingEmbedderFake())  # fmt: skip
        embed = CountingEmbedderFake()
        records = SentenceStore.plan([chunk("c1", "一句。")], model_fingerprint="m2")
        SentenceStore.build(records, embed=embed, reuse=first.vectors_by_hash())
        assert embed.seen == ["一句。"]

    def test_keyword_scores_rank_the_sentence_holding_the_words(self):
        records = SentenceStore.plan([chunk("c1", "管道运输石油。天气很好。")], model_fingerprint="m")
        store = SentenceStore.build(records, embed=CountingEmbedderFake())
        scores = store.keyword_scores(store.keywords.tokenize("石油管道"))
        assert scores[0] > 0 and scores[1] == 0

    def test_save_and_load_round_trip(self, tmp_path):
        records = SentenceStore.plan([chunk("c1", "第一句。第二句。")], model_fingerprint="m")
        store = SentenceStore.build(records, embed=CountingEmbedderFake())
        store.save(tmp_path)
        loaded = SentenceStore.load(tmp_path)
        assert loaded.records == store.records and np.array_equal(loaded.vectors, store.vectors)


@pytest.fixture
def one_article_settings(base_index_settings, tmp_path, corpus_dir):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / BBC_JAN).write_bytes((corpus_dir / BBC_JAN).read_bytes())
    return replace(base_index_settings, data_dir=tmp_path / "data", corpus_dirs=(folder,))


def test_stored_sentence_vectors_equal_fresh_embeddings_of_the_same_sentences(one_article_settings, embedder):
    build_index(one_article_settings, embedder=embedder)
    store = HybridRetriever(one_article_settings, embedder=embedder).sentences
    assert len(store) > 20
    sample = [0, len(store) // 2, len(store) - 1]
    model = Embedder(spec=embedder.spec, model=embedder.model)  # fresh: not the session's remembered vectors
    fresh = np.asarray(model.embed_passages([store.records[i].text for i in sample]), dtype=np.float32)
    assert np.allclose(store.vectors[sample], fresh, atol=1e-4)


def test_a_changed_article_re_embeds_only_its_new_sentences(one_article_settings, embedder):
    build_index(one_article_settings, embedder=embedder)
    article = one_article_settings.corpus_dirs[0] / BBC_JAN
    article.write_text(article.read_text(encoding="utf-8") + "\n\n这是新加的一句测试文字。\n", encoding="utf-8")
    calls: list[int] = []

    class RecordingEmbedderFake:
        """The real embedder, recording how many texts each call embeds."""

        spec = embedder.spec

        def embed_passages(self, texts):
            calls.append(len(texts))
            return embedder.embed_passages(texts)

    build_index(one_article_settings, embedder=RecordingEmbedderFake())
    manifest = read_manifest(one_article_settings.data_dir)
    store = SentenceStore.load(manifest.build_dir(one_article_settings.data_dir))
    assert any(r.text == "这是新加的一句测试文字。" for r in store.records)
    assert sum(calls) <= 3  # the last chunk (re-embedded whole) and its one new sentence, not the article
