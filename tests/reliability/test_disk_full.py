"""A full disk or a read-only data dir is a clear error; the previous build stays and is served.

The disk is real: a small tmpfs (a read-only bind mount for the read-only case) mounted for the
test, so the failures come from the kernel (ENOSPC, EROFS) through SQLite, Chroma and our writers.
"""

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient

from chat_app.ui.documents import DocumentFolder, UploadRejected
from index.chinese_tokenizer import TokenizerMode
from index.hybrid_retriever import HybridRetriever
from index.indexer import IndexWriteError, build_index
from index.manifest import read_manifest
from index.vector_store import VectorStoreError
from tests.support.kzqa_process import kzqa_command, kzqa_env
from tests.support.paths import CORPUS_DIR, TEST_MODEL_CACHE

# What retrieval returns for these must be the same before and after a failed write.
QUESTIONS = ["俄哈边境线有多长？", "集安组织有哪些成员国？", "Why did Kazakhstan stay neutral?"]
DISK_SIZE = "48m"  # the five articles' index takes about 3 MB
NEW_ARTICLE = "# 新增文章\n\n" + "".join(
    f"第{i}段：哈萨克斯坦在二〇二二年继续推行多元平衡外交，同俄罗斯、中国和西方都保持往来。\n\n" for i in range(120)
)


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a test disk: {result.stderr.strip()}")


def _unmount(path: Path) -> None:
    SharedSystemClient.clear_system_cache()  # Chroma keeps the store open per path
    subprocess.run(["umount", "--lazy", str(path)], check=True)


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    _mount("-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(mount_point))
    yield mount_point
    _unmount(mount_point)


class Disk:
    """A tmpfs that a test fills to the last byte, then frees."""

    def __init__(self, mount_point: Path) -> None:
        self.filler = mount_point / "filler"

    def fill(self) -> None:
        with self.filler.open("wb") as out, pytest.raises(OSError, match="No space left"):
            while True:
                out.write(b"\0" * 65536)

    def free(self) -> None:
        self.filler.unlink()
        SharedSystemClient.clear_system_cache()  # the next open is a fresh one, as after a restart


@pytest.fixture
def index_on_small_disk(corpus_index, small_disk, tmp_path):
    """The five articles' index on a small disk, and a corpus with one new article."""
    settings, _ = corpus_index
    data_dir = small_disk / "data"
    shutil.copytree(settings.data_dir, data_dir)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    (corpus / "new_article.md").write_text(NEW_ARTICLE, encoding="utf-8")
    return replace(settings, data_dir=data_dir, corpus_dirs=(corpus,)), Disk(small_disk)


def _served(settings, embedder) -> tuple[str, list[list[str]]]:
    retriever = HybridRetriever(settings, embedder=embedder)
    return read_manifest(settings.data_dir).build_id, [
        [p.chunk_id for p in retriever.retrieve(q, k=5)] for q in QUESTIONS
    ]


def _leftovers(data_dir: Path) -> list[str]:
    temporary = [*data_dir.glob(".manifest-*"), *data_dir.glob("builds/*.tmp")]
    return sorted(p.name for p in temporary)


def test_a_full_disk_while_adding_vectors_keeps_the_previous_build(index_on_small_disk, embedder):
    settings, disk = index_on_small_disk
    before = _served(settings, embedder)  # the running app has the store open
    disk.fill()

    with pytest.raises(IndexWriteError, match=r"disk is full|No space left") as error:
        build_index(settings, embedder=embedder)
    assert "Free some disk space" in str(error.value)
    assert _served(settings, embedder) == before  # same build, same answers: nothing half-written served
    assert _leftovers(settings.data_dir) == []

    disk.free()
    assert _served(settings, embedder) == before  # also after a restart
    summary = build_index(settings, embedder=embedder)
    assert summary.added > 0 and summary.removed == 0
    assert "new_article.md" in read_manifest(settings.data_dir).sources


def test_a_full_disk_while_writing_the_build_files_keeps_the_previous_build(index_on_small_disk, embedder):
    # A new keyword tokenizer needs no new vectors, so the first write to fail is the build folder.
    settings, disk = index_on_small_disk
    settings = replace(settings, corpus_dirs=(CORPUS_DIR,), bm25_tokenizer=TokenizerMode.WORDS)
    before = _served(replace(settings, bm25_tokenizer=TokenizerMode.SEARCH), embedder)
    disk.fill()

    with pytest.raises(IndexWriteError, match="No space left"):
        build_index(settings, embedder=embedder)
    assert _leftovers(settings.data_dir) == []
    assert [p.name for p in (settings.data_dir / "builds").iterdir()] == [before[0]]

    disk.free()
    assert _served(replace(settings, bm25_tokenizer=TokenizerMode.SEARCH), embedder) == before
    build_index(settings, embedder=embedder)
    assert read_manifest(settings.data_dir).tokenizer.startswith("words")


def test_opening_the_store_on_a_full_disk_says_so_instead_of_suggesting_a_rebuild(index_on_small_disk, embedder):
    settings, disk = index_on_small_disk
    SharedSystemClient.clear_system_cache()
    disk.fill()
    with pytest.raises(VectorStoreError, match=r"disk is full.*free some disk space") as error:
        HybridRetriever(settings, embedder=embedder)
    assert "--rebuild" not in str(error.value)


def test_kzqa_index_on_a_full_disk_prints_the_fix_not_a_traceback(index_on_small_disk):
    settings, disk = index_on_small_disk
    disk.fill()
    env = kzqa_env(settings.data_dir, settings.corpus_dirs[0], settings.model_cache_dir)
    result = subprocess.run([kzqa_command(), "index"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "Free some disk space" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def tiny_disk(tmp_path):
    """The attack's disk: room for Chroma to log the five articles' vectors but not to compact them
    (the store takes about 660 KB; with less than about 400 KB SQLite fails first, naming the disk).
    The attack used 5 MB, which holds the whole index now that Chroma stores only the vectors, not
    llama-index's node JSON and the chunk texts as well."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount_point))
    yield mount_point
    _unmount(mount_point)


def test_indexing_onto_a_tiny_disk_then_asking_gives_the_disk_advice_not_a_traceback(tiny_disk):
    # Chroma runs out of room applying its write-ahead log ("Error in compaction: Failed to apply
    # logs to the metadata segment"), an error that names no cause; it used to end in a traceback.
    env = kzqa_env(tiny_disk / "data", model_cache=TEST_MODEL_CACHE)
    for command in (["index"], ["ask", "俄哈边境线有多长？"]):
        result = subprocess.run([kzqa_command(), *command], env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert "the disk is full" in result.stderr and "Free some disk space" in result.stderr
    assert not (tiny_disk / "data" / "manifest.json").exists()  # nothing half-built is served


def test_an_upload_to_a_full_disk_is_refused_and_leaves_nothing_behind(small_disk, tmp_path):
    upload = tmp_path / "简报.md"
    upload.write_text(NEW_ARTICLE, encoding="utf-8")
    folder = DocumentFolder(small_disk / "documents", reserved_names=set())
    folder.folder.mkdir()
    Disk(small_disk).fill()
    with pytest.raises(UploadRejected, match=r"简报\.md: cannot be stored .*No space left on device.*free some disk"):
        folder.add(upload)
    assert list(folder.folder.iterdir()) == []


@pytest.fixture
def read_only_index(corpus_index, tmp_path):
    settings, _ = corpus_index
    source = tmp_path / "data"
    shutil.copytree(settings.data_dir, source)
    view = tmp_path / "read-only"
    view.mkdir()
    _mount("--bind", str(source), str(view))
    try:
        _mount("-o", "remount,bind,ro", str(view))
        yield replace(settings, data_dir=view)
    finally:
        _unmount(view)


def test_a_read_only_data_dir_is_named_with_what_to_do(read_only_index, embedder):
    with pytest.raises(IndexWriteError, match=r"Read-only file system.*KZQA_DATA_DIR"):
        build_index(replace(read_only_index, bm25_tokenizer=TokenizerMode.WORDS), embedder=embedder)
    # Chroma writes even to open a store, so serving needs a writable folder; the message says so
    # instead of suggesting a rebuild of a store that is fine.
    with pytest.raises(VectorStoreError, match="must be writable") as error:
        HybridRetriever(read_only_index, embedder=embedder)
    assert "--rebuild" not in str(error.value)
