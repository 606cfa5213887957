"""LiveIndex: a reader answers from the build it opened, moves to a newer build at the next request,
keeps a build a request is still using, and keeps answering when a newer build cannot be opened.

Real model, real Chroma; a corpus of three short made-up notes keeps each (re)build to seconds.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest

from index.hybrid_retriever import HybridRetriever, RetrievalMode
from index.indexer import build_index
from index.live_index import LiveIndex
from index.manifest import read_manifest
from index.vector_store import open_client
from tests.support.kzqa_process import kzqa_command, kzqa_env

NOTES = {
    "capital.md": "# 首都\n\n阿斯塔纳是哈萨克斯坦的首都，建在伊希姆河畔。\n\n这座城市在一九九七年成为首都。\n",
    "border.md": "# 边境\n\n哈萨克斯坦与俄罗斯的边境线很长，穿过草原和山地。\n\n两国在边境设有许多口岸。\n",
}
NEW_NOTE = ("caspian.md", "# 里海\n\n阿克套是里海东岸的港口城市，附近出产石油和天然气。\n\n渔民在里海捕捞鲟鱼。\n")
NEW_QUESTION = "里海东岸的港口城市阿克套出产什么？"


@pytest.fixture
def settings(base_index_settings, tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in NOTES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = replace(base_index_settings, data_dir=tmp_path / "data", corpus_dirs=(corpus,))
    build_index(settings, embedder=embedder)
    return settings


@pytest.fixture
def live(settings, embedder):
    said: list[str] = []
    index = LiveIndex(settings, embedder=embedder, derive=lambda retriever: retriever, say=said.append)
    index.said = said  # what it reported, for the tests to read
    return index


def add_new_note(settings) -> None:
    name, text = NEW_NOTE
    (settings.corpus_dirs[0] / name).write_text(text, encoding="utf-8")


def sources(retriever: HybridRetriever, mode: RetrievalMode = RetrievalMode.HYBRID) -> list[str]:
    return [passage.source for passage in retriever.retrieve(NEW_QUESTION, k=3, mode=mode)]


def collections(settings) -> set[str]:
    return {collection.name for collection in open_client(settings.data_dir).list_collections()}


def builds(settings) -> set[str]:
    return {path.name for path in (settings.data_dir / "builds").iterdir()}


def test_nothing_is_reopened_while_the_manifest_is_unchanged(live):
    with live.use() as first, live.use() as second:
        assert first is second
    assert live.refresh() is False


def test_a_build_written_by_another_process_is_answered_from_at_the_next_request(live, settings):
    with live.use() as before:
        assert "caspian.md" not in sources(before)
    add_new_note(settings)
    env = kzqa_env(settings.data_dir, settings.corpus_dirs[0], settings.model_cache_dir)
    result = subprocess.run([kzqa_command(), "index"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr

    with live.use() as after:
        assert after.build_id == read_manifest(settings.data_dir).build_id != before.build_id
        # Vector search too: Chroma's per-process cache would not show vectors another process added.
        assert sources(after, RetrievalMode.VECTOR)[0] == "caspian.md"
    assert any("now answering from index build" in message for message in live.said)


def test_a_rebuild_keeps_the_build_a_request_still_uses_and_drops_it_after(live, settings, embedder):
    old_build, old_collection = live.retriever.build_id, live.retriever.manifest.collection
    with live.use() as in_flight:
        build_index(settings, embedder=embedder, rebuild=True)
        new = read_manifest(settings.data_dir)
        assert {old_collection, new.collection} <= collections(settings)  # the reader still holds the old one
        assert live.refresh() is True  # another request moves to the new build meanwhile
        with live.use() as newer:
            assert newer.build_id == new.build_id
        assert in_flight.retrieve("阿斯塔纳", k=1)  # the request in flight still reads the old build
        assert old_build in builds(settings)
    assert collections(settings) == {new.collection}  # dropped as soon as its last request ended
    assert builds(settings) == {new.build_id}


def test_a_newer_build_that_cannot_be_opened_is_reported_and_the_current_one_kept(live, settings, embedder):
    current = live.retriever.build_id
    add_new_note(settings)
    build_index(settings, embedder=embedder)
    broken = read_manifest(settings.data_dir)
    (broken.build_dir(settings.data_dir) / "chunks.jsonl").write_text("{not json\n", encoding="utf-8")

    with live.use() as retriever:
        assert retriever.build_id == current and retriever.retrieve("阿斯塔纳", k=1)
    assert any("cannot be opened" in message and "chunks.jsonl" in message for message in live.said)

    build_index(settings, embedder=embedder)  # `kzqa index` writes the damaged build again
    with live.use() as retriever:
        assert "caspian.md" in sources(retriever)
