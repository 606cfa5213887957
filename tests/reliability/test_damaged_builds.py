"""Damaged build files are reported as damaged, naming the file and `kzqa index --rebuild`, and
`kzqa index` notices them and writes the build again instead of calling it up to date.

Each damage is done to a real build on disk and met by the real `kzqa` commands, run in-process
(`cli.main`, what the console script calls); one test runs the installed script in its own process.
Before, each of these ended in a TypeError or IndexError traceback, and `kzqa index` said "up to date".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from index.hybrid_retriever import HybridRetriever
from index.indexer import build_index
from index.manifest import read_manifest
from index.settings import IndexSettings
from tests.support.kzqa_process import SmallIndex, run_kzqa, run_kzqa_in_process
from tests.support.paths import TEST_MODEL_CACHE

pytestmark = pytest.mark.usefixtures("commands_share_the_session_embedder")

QUESTION = "集安组织有哪些成员国？"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _replace_line(path: Path, number: int, text: str) -> None:
    lines = _lines(path)
    lines[number - 1] = text
    _write_lines(path, lines)


def _edit_record(path: Path, number: int, **fields) -> None:
    lines = _lines(path)
    lines[number - 1] = json.dumps({**json.loads(lines[number - 1]), **fields}, ensure_ascii=False)
    _write_lines(path, lines)


def _edit_json(path: Path, edit: Callable[[dict], object]) -> None:
    path.write_text(json.dumps(edit(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")


def _shorten_ids(folder: Path) -> None:
    _edit_json(folder / "chunk_ids.json", lambda ids: {**ids, "chunk_ids": ids["chunk_ids"][:5]})


def _cut_vectors(build: Path) -> None:
    vectors = np.load(build / "sentence_vectors.npy")
    np.save(build / "sentence_vectors.npy", vectors[:-7])


@dataclass(frozen=True)
class Damage:
    do: Callable[[Path], None]  # given the build folder
    named: str  # what the message must name
    vectors_survive: bool = True  # the repair needs no embedding


DAMAGES = {
    "a line of chunks.jsonl that is not JSON": Damage(
        lambda b: _replace_line(b / "chunks.jsonl", 4, "{not json"), "chunks.jsonl line 4: not JSON"
    ),
    "a chunk line missing its fields": Damage(
        lambda b: _replace_line(b / "chunks.jsonl", 4, '{"chunk_id": 1}'), "chunks.jsonl line 4: field 'chunk_id'"
    ),
    "a chunk whose offset is text": Damage(
        lambda b: _edit_record(b / "chunks.jsonl", 4, start="x"), "chunks.jsonl line 4: field 'start'"
    ),
    "a lexicon whose entries are a list": Damage(
        lambda b: _edit_json(b / "lexicon.json", lambda _: {"entries": [1, 2, 3]}), "lexicon.json"
    ),
    "term statistics of the wrong type": Damage(
        lambda b: _edit_json(b / "term_stats.json", lambda _: {"chunk_count": "many", "document_frequency": []}),
        "term_stats.json: field 'chunk_count'",
    ),
    "a shortened bm25/chunk_ids.json": Damage(lambda b: _shorten_ids(b / "bm25"), "bm25/chunk_ids.json names 5"),
    "a line of sentences.jsonl that is a list": Damage(
        lambda b: _replace_line(b / "sentences.jsonl", 2, "[]"), "sentences.jsonl line 2", vectors_survive=False
    ),
    "sentence vectors cut short": Damage(_cut_vectors, "sentence_vectors.npy holds", vectors_survive=False),
    "a shortened sentence_bm25/chunk_ids.json": Damage(
        lambda b: _shorten_ids(b / "sentence_bm25"), "sentence_bm25/chunk_ids.json names 5"
    ),
    # Well-formed and consistent: only the checksum recorded at build time can tell.
    "a changed article title": Damage(
        lambda b: _edit_record(b / "chunks.jsonl", 1, title="伪造的标题"), "chunks.jsonl has changed"
    ),
}


def _unwrapped(text: str) -> str:
    """Rich wraps long status lines at the console width; the tests read them as one line."""
    return " ".join(text.split())


def _build_dir(index: SmallIndex) -> Path:
    return read_manifest(index.data_dir).build_dir(index.data_dir)


def _settings(index: SmallIndex) -> IndexSettings:
    return IndexSettings(data_dir=index.data_dir, model_cache_dir=TEST_MODEL_CACHE, corpus_dirs=(index.corpus_dir,))


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_build_is_reported_with_the_fix_and_repaired_by_kzqa_index(kind, small_index_copy, embedder):
    damage = DAMAGES[kind]
    damage.do(_build_dir(small_index_copy))

    refused = run_kzqa_in_process(small_index_copy, "retrieve", QUESTION)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    assert "damaged" in refused.stderr and damage.named in refused.stderr
    assert "kzqa index --rebuild" in refused.stderr

    repaired = run_kzqa_in_process(small_index_copy, "index")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    said = _unwrapped(repaired.stdout)
    assert "up to date" not in said
    assert "the current index build is damaged" in said and damage.named in said
    assert "embedded 0," in said  # the chunk vectors live in Chroma: never lost with the build files
    assert ("new sentences" in said) != damage.vectors_survive

    retriever = HybridRetriever(_settings(small_index_copy), embedder=embedder)
    assert retriever.retrieve(QUESTION, k=3)
    # The repaired build is complete: the next run has nothing to do (in-process, with the loaded
    # model: the CLI's own words for this were checked above and in tests/chat_app/test_cli_index.py).
    again = build_index(_settings(small_index_copy), embedder=embedder)
    assert again.unchanged and again.repaired is None and again.embedded == 0


def test_kzqa_ask_on_a_damaged_build_repairs_it_and_answers(small_index_copy):
    DAMAGES["a chunk whose offset is text"].do(_build_dir(small_index_copy))
    result = run_kzqa(small_index_copy, "ask", QUESTION, "--json")  # the installed script, its own process
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["citations"]
    # Which article answers best is the engine's business (measured by `kzqa eval`); what the
    # repair must give back is records whose quotes are really in the files they name.
    for citation in answer["citations"]:
        source = (small_index_copy.corpus_dir / citation["source"]).read_text(encoding="utf-8")
        assert citation["quote"].rstrip("…") in source, citation


def test_a_manifest_with_a_null_build_id_is_refused_with_the_fix(small_index_copy):
    _edit_json(small_index_copy.data_dir / "manifest.json", lambda m: {**m, "build_id": None})
    for command in (("index",), ("retrieve", QUESTION)):
        result = run_kzqa_in_process(small_index_copy, *command)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert "manifest.json: field 'build_id' should be text, not null" in result.stderr
        assert "kzqa index --rebuild" in result.stderr


def test_a_manifest_naming_a_folder_outside_builds_is_refused(small_index_copy):
    _edit_json(small_index_copy.data_dir / "manifest.json", lambda m: {**m, "build_id": "../chroma"})
    result = run_kzqa_in_process(small_index_copy, "retrieve", QUESTION)
    assert result.returncode == 2 and "build_id '../chroma' is not a build name" in result.stderr


def test_a_manifest_that_is_a_folder_is_named_as_such_and_rebuild_sets_it_aside(small_index_copy, embedder):
    manifest = small_index_copy.data_dir / "manifest.json"
    manifest.unlink()
    manifest.mkdir()

    result = run_kzqa_in_process(small_index_copy, "index")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "manifest.json is a folder" in result.stderr and "kzqa index --rebuild" in result.stderr
    assert "disk space" not in result.stderr  # it used to blame the disk, after embedding everything

    rebuilt = run_kzqa_in_process(small_index_copy, "index", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert manifest.is_file() and list(small_index_copy.data_dir.glob("manifest.json.damaged-*"))
    assert HybridRetriever(_settings(small_index_copy), embedder=embedder).retrieve(QUESTION, k=3)
