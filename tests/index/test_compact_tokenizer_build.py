"""The compact tokenizer folder: written once beside the fp32 folder from its tokenizer.json, checked against
the fast tokenizer before it is installed, written again for a new fp32 build, and never over a user's folder."""

from __future__ import annotations

import json
import shutil

import pytest

from index.compact_tokenizer import PIECES_FILE, PIPELINE_FILE, CompactTokenizer
from index.compact_tokenizer_build import (
    MARKER_FILE,
    CompactTokenizerError,
    compact_tokenizer_dir_for,
    ensure_compact_tokenizer,
)
from index.model_rebuild import MARKER_FILE as FP32_MARKER_FILE
from index.model_rebuild import default_model_dir

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


@pytest.fixture(scope="module")
def fp32_dir(base_index_settings, embedder):
    return default_model_dir(base_index_settings.model_cache_dir)  # `embedder` made sure both folders are built


@pytest.fixture
def fp32_copy(fp32_dir, tmp_path):
    """Another fp32 build: the tokenizer files and a marker of its own (no weights: none are read)."""
    folder = tmp_path / "models" / "e5"
    folder.mkdir(parents=True)
    for name in TOKENIZER_FILES:
        shutil.copyfile(fp32_dir / name, folder / name)
    marker = json.loads((fp32_dir / FP32_MARKER_FILE).read_text(encoding="utf-8"))
    (folder / FP32_MARKER_FILE).write_text(json.dumps(marker | {"source_version": "9.9.9"}), encoding="utf-8")
    return folder


class TestTheFolder:
    def test_sits_beside_the_fp32_folder_and_its_marker_lists_its_files(self, fp32_dir):
        folder = compact_tokenizer_dir_for(fp32_dir)
        assert folder.parent == fp32_dir.parent
        assert folder.name == f"{fp32_dir.name}-compact-tokenizer"
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
        assert set(marker["files"]) == {PIECES_FILE, PIPELINE_FILE}
        assert not list(folder.parent.glob(f".{folder.name}.tmp-*"))

    def test_is_far_smaller_than_the_tokenizer_json_it_is_made_from(self, fp32_dir):
        folder = compact_tokenizer_dir_for(fp32_dir)
        written = sum(path.stat().st_size for path in folder.iterdir())
        assert written < (fp32_dir / "tokenizer.json").stat().st_size / 2

    def test_a_second_call_reuses_it(self, fp32_dir):
        assert ensure_compact_tokenizer(fp32_dir, compact_tokenizer_dir_for(fp32_dir)).built is False


class TestWriting:
    def test_a_new_fp32_build_gets_a_new_one(self, fp32_dir, fp32_copy):
        target = compact_tokenizer_dir_for(fp32_copy)
        shutil.copytree(compact_tokenizer_dir_for(fp32_dir), target)  # made from the other build
        messages: list[str] = []
        assert ensure_compact_tokenizer(fp32_copy, target, progress=messages.append).built is True
        assert messages == ["writing the embedding model's compact tokenizer (once, a few seconds)"]
        assert len(CompactTokenizer.load(target)) == 250_002

    def test_refuses_to_replace_a_folder_that_is_not_a_build(self, fp32_dir, tmp_path):
        target = tmp_path / "models" / "e5-compact-tokenizer"
        target.mkdir(parents=True)
        (target / "notes.txt").write_text("mine", encoding="utf-8")
        with pytest.raises(CompactTokenizerError, match=r"not a complete compact tokenizer \(unexpected entries: notes"):
            ensure_compact_tokenizer(fp32_dir, target)
        assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"

    def test_a_tokenizer_of_another_kind_is_refused_and_nothing_is_installed(self, fp32_copy):
        spec = json.loads((fp32_copy / "tokenizer.json").read_text(encoding="utf-8"))
        spec["model"] = {"type": "BPE", "vocab": {"a": 0}, "merges": []}
        (fp32_copy / "tokenizer.json").write_text(json.dumps(spec), encoding="utf-8")
        target = compact_tokenizer_dir_for(fp32_copy)
        with pytest.raises(CompactTokenizerError, match=r"cannot read the tokenizer in .*not a Unigram model"):
            ensure_compact_tokenizer(fp32_copy, target)
        assert not target.exists()

    def test_one_that_would_tokenize_differently_is_not_installed(self, fp32_copy, monkeypatch):
        ids = CompactTokenizer.ids
        monkeypatch.setattr(CompactTokenizer, "ids", lambda self, text: ids(self, text)[:-1])
        target = compact_tokenizer_dir_for(fp32_copy)
        with pytest.raises(CompactTokenizerError, match=r"differs from .*tokenizer\.json on .*nothing was installed"):
            ensure_compact_tokenizer(fp32_copy, target)
        assert not target.exists()
        assert not list(target.parent.glob(f".{target.name}.tmp-*"))

    def test_without_a_complete_fp32_build_it_says_so(self, tmp_path):
        with pytest.raises(CompactTokenizerError, match=r"is not a complete fp32 model build"):
            ensure_compact_tokenizer(tmp_path, tmp_path / "compact")
