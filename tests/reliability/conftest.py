"""A small real index (two articles) for attacks that rebuild or repair it: a full rebuild of the
five articles would take minutes; two keep a rebuild to about half a minute, with the real model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.conftest import BBC_JAN, CORPUS_DIR, TEST_MODEL_CACHE, VOA


@dataclass(frozen=True)
class SmallIndex:
    data_dir: Path
    corpus_dir: Path


@pytest.fixture(scope="session")
def small_index(base_index_settings, embedder, tmp_path_factory) -> SmallIndex:
    """BBC_JAN and VOA, indexed once per session; tests work on copies (`small_index_copy`)."""
    from index.indexer import build_index

    root = tmp_path_factory.mktemp("small-index")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (BBC_JAN, VOA):
        shutil.copyfile(CORPUS_DIR / name, corpus / name)
    settings = replace(base_index_settings, data_dir=root / "data", corpus_dirs=(corpus,))
    build_index(settings, embedder=embedder)
    return SmallIndex(settings.data_dir, corpus)


@pytest.fixture
def small_index_copy(small_index, tmp_path) -> SmallIndex:
    """A private copy of the small index and its corpus, free to damage, rebuild or kill."""
    copy = SmallIndex(tmp_path / "data", tmp_path / "corpus")
    shutil.copytree(small_index.data_dir, copy.data_dir)
    shutil.copytree(small_index.corpus_dir, copy.corpus_dir)
    return copy


def kzqa_env(index: SmallIndex) -> dict[str, str]:
    return {
        **os.environ,
        "KZQA_DATA_DIR": str(index.data_dir),
        "KZQA_MODEL_CACHE_DIR": str(TEST_MODEL_CACHE),
        "KZQA_CORPUS_DIR": str(index.corpus_dir),
        "HF_HUB_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def kzqa_command() -> str:
    return str(Path(sys.executable).with_name("kzqa"))


def run_kzqa(index: SmallIndex, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([kzqa_command(), *args], env=kzqa_env(index), capture_output=True, text=True, timeout=timeout)
