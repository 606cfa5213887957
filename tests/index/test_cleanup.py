"""Cleanup drops this data dir's builds and collections that neither the manifest nor a live reader
holds, and what killed runs left; never another data dir's collections. Real Chroma store, tiny
hand-made collections (no model needed)."""

from __future__ import annotations

import pytest

from index.cleanup import remove_unused
from index.collection_registry import CollectionRegistry, CollectionState
from index.manifest import write_manifest
from index.reader_leases import ReaderLease
from index.sentence_checkpoint import SentenceCheckpoint
from index.vector_store import StoredVector, VectorStore, open_client
from tests.support.manifests import manifest


def names(client) -> set[str]:
    return {collection.name for collection in client.list_collections()}


@pytest.fixture
def store(tmp_path):
    """A data dir whose current build is b2; b1 was current before; a killed run left b3.tmp."""
    client = open_client(tmp_path)
    for build in ("b1", "b2"):
        vectors = VectorStore.create(client, f"kzqa_{build}", model_fingerprint="model")
        vectors.add([StoredVector(chunk_id="c", vector=[1.0, 0.0, 0.0], content_hash="h", owner="public")])
        (tmp_path / "builds" / build).mkdir(parents=True)
    (tmp_path / "builds" / "b3.tmp").mkdir()
    (tmp_path / ".manifest-x.json").write_text("{}", encoding="utf-8")
    write_manifest(tmp_path, manifest("b2"))
    return tmp_path, client


def builds(data_dir) -> set[str]:
    return {path.name for path in (data_dir / "builds").iterdir()}


def test_what_nobody_holds_is_dropped(store):
    data_dir, client = store
    cleanup = remove_unused(data_dir, client, local_store=True, keep_unfinished=False)
    assert cleanup.collections == ("kzqa_b1",) and set(cleanup.builds) == {"b1", "b3.tmp"}
    assert names(client) == {"kzqa_b2"} and builds(data_dir) == {"b2"}
    assert not list(data_dir.glob(".manifest-*"))


def test_a_build_a_live_reader_holds_is_kept_until_it_lets_go(store):
    data_dir, client = store
    write_manifest(data_dir, manifest("b1"))
    reader = ReaderLease(data_dir)
    reader.hold_current()  # a server opened b1 ...
    write_manifest(data_dir, manifest("b2"))  # ... then a rebuild switched to b2

    remove_unused(data_dir, client, local_store=True, keep_unfinished=False)
    assert names(client) == {"kzqa_b1", "kzqa_b2"} and builds(data_dir) == {"b1", "b2"}

    reader.release()
    remove_unused(data_dir, client, local_store=True, keep_unfinished=False)
    assert names(client) == {"kzqa_b2"} and builds(data_dir) == {"b2"}


def test_a_killed_runs_unfinished_collection_is_kept_for_resuming_only_when_asked(store):
    data_dir, client = store
    VectorStore.create(client, "kzqa_b4", model_fingerprint="model")
    CollectionRegistry(data_dir).record("kzqa_b4", "model", CollectionState.BUILDING)
    SentenceCheckpoint(data_dir, "kzqa_b4").save(["h"], [[1.0, 0.0, 0.0]])

    remove_unused(data_dir, client, local_store=True, keep_unfinished=True)  # a reader's cleanup
    assert "kzqa_b4" in names(client) and SentenceCheckpoint(data_dir, "kzqa_b4").load()

    remove_unused(data_dir, client, local_store=True, keep_unfinished=False)  # a finished build's
    assert "kzqa_b4" not in names(client) and not SentenceCheckpoint(data_dir, "kzqa_b4").load()
    assert CollectionRegistry(data_dir).all() == []


def test_on_a_shared_store_only_the_collections_this_data_dir_made_are_dropped(store):
    data_dir, client = store
    VectorStore.create(client, "someone_elses", model_fingerprint="model")
    CollectionRegistry(data_dir).record("kzqa_b1", "model", CollectionState.BUILT)
    remove_unused(data_dir, client, local_store=False, keep_unfinished=False)
    assert names(client) == {"kzqa_b2", "someone_elses"}


def test_nothing_is_dropped_while_the_manifest_cannot_be_read(store):
    data_dir, client = store
    (data_dir / "manifest.json").write_text("{half", encoding="utf-8")
    remove_unused(data_dir, client, local_store=True, keep_unfinished=False)
    assert names(client) == {"kzqa_b1", "kzqa_b2"} and builds(data_dir) == {"b1", "b2", "b3.tmp"}
