"""The one class that talks to Chroma: add, read, delete and search chunk vectors, filtered by owner.

Hand-made three-dimensional vectors in a real embedded Chroma store for the behaviour; the real
model over one real article for the scores a search reports.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import numpy as np
import pytest

from index.indexer import build_index
from index.manifest import read_manifest
from index.vector_store import StoredVector, VectorStore, VectorStoreError, open_client
from index.visibility import PUBLIC
from tests.support.paths import BBC_JAN

ALICE = "a" * 32


def stored(chunk_id: str, vector: list[float], *, owner: str = PUBLIC) -> StoredVector:
    return StoredVector(chunk_id=chunk_id, vector=vector, content_hash=f"hash-{chunk_id}", owner=owner)


class TestVectorStore:
    @pytest.fixture
    def client(self, tmp_path):
        return open_client(tmp_path)

    @pytest.fixture
    def store(self, client):
        store = VectorStore.create(client, "kzqa_test", model_fingerprint="model")
        store.add([
            stored("east", [1.0, 0.0, 0.0]),
            stored("north-east", [0.6, 0.8, 0.0]),
            stored("north", [0.0, 1.0, 0.0], owner=ALICE),
        ])  # fmt: skip
        return store

    def test_a_search_ranks_by_cosine_and_reports_it(self, store):
        hits = store.query([0.6, 0.8, 0.0], k=3)
        assert [hit.chunk_id for hit in hits] == ["north-east", "north", "east"]
        assert [hit.cosine for hit in hits] == pytest.approx([1.0, 0.8, 0.6], abs=1e-6)

    def test_a_vector_of_any_length_gets_the_cosine_of_its_direction(self, store):
        hits = store.query([0.0, 5.0, 0.0], k=1)
        assert hits[0].chunk_id == "north" and hits[0].cosine == pytest.approx(1.0, abs=1e-6)

    def test_an_owner_filter_leaves_out_other_owners_vectors(self, store):
        assert [hit.chunk_id for hit in store.query([0.0, 1.0, 0.0], k=3, owners=[PUBLIC])] == ["north-east", "east"]
        assert store.ids(owners={ALICE}) == {"north"}
        assert store.ids() == {"east", "north-east", "north"}

    def test_stored_vectors_are_found_by_content_hash(self, store):
        found = store.vectors_by_hash({"hash-east", "hash-unknown"})
        assert list(found) == ["hash-east"] and found["hash-east"] == pytest.approx([1.0, 0.0, 0.0])
        assert store.vectors_by_hash(set()) == {}

    def test_owner_tags_can_be_set_afterwards(self, store):
        store.set_owners({"east": ALICE})
        assert store.ids(owners={ALICE}) == {"east", "north"}
        assert store.vectors_by_hash({"hash-east"})  # its content hash is kept

    def test_deleted_vectors_are_no_longer_found(self, store):
        store.delete(["east"])
        store.delete([])
        assert store.ids() == {"north-east", "north"} and store.count() == 2
        assert "east" not in {hit.chunk_id for hit in store.query([1.0, 0.0, 0.0], k=3)}

    def test_creating_again_opens_the_same_vectors(self, client, store):
        again = VectorStore.create(client, "kzqa_test", model_fingerprint="model")
        assert again.ids() == store.ids() and VectorStore.exists(client, "kzqa_test")

    def test_a_missing_collection_says_to_rebuild(self, client):
        assert not VectorStore.exists(client, "kzqa_missing")
        with pytest.raises(VectorStoreError, match=r"'kzqa_missing' is missing .* `kzqa index --rebuild`"):
            VectorStore.open(client, "kzqa_missing")

    def test_a_collection_measuring_another_distance_is_refused(self, client):
        client.create_collection("kzqa_l2", embedding_function=None, configuration={"hnsw": {"space": "l2"}})
        with pytest.raises(VectorStoreError, match=r"'kzqa_l2' measures 'l2' distance, not 'cosine'; rebuild"):
            VectorStore.open(client, "kzqa_l2")


@pytest.fixture(scope="module")
def one_article(base_index_settings, embedder, tmp_path_factory):
    root = tmp_path_factory.mktemp("vector_store")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copyfile(base_index_settings.corpus_dirs[0] / BBC_JAN, corpus / BBC_JAN)
    settings = replace(base_index_settings, data_dir=root / "data", corpus_dirs=(corpus,))
    build_index(settings, embedder=embedder)
    return settings


def test_real_search_scores_are_the_cosines_of_the_stored_vectors(one_article, embedder):
    name = read_manifest(one_article.data_dir).collection
    client = open_client(one_article.data_dir)
    everything = client.get_collection(name, embedding_function=None).get(include=["embeddings"])
    matrix = np.asarray(everything["embeddings"], dtype=np.float64)
    query = np.asarray(embedder.embed_query("哈萨克斯坦骚乱的起因是什么？"), dtype=np.float64)
    expected = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query))
    by_id = dict(zip(everything["ids"], expected, strict=True))

    hits = VectorStore.open(client, name).query(query.tolist(), k=10)
    assert len(hits) == 10
    assert [hit.cosine for hit in hits] == pytest.approx([by_id[hit.chunk_id] for hit in hits], abs=1e-6)
    assert [hit.chunk_id for hit in hits] == sorted(by_id, key=lambda chunk_id: -by_id[chunk_id])[:10]
