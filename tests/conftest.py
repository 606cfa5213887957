"""Shared fixtures: the project's real corpus and its ingest, computed once per run."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpus"
SHARED_CORPUS_DIR = ROOT.parent / "shared" / "corpus"

WSJ = "000_336fa4486c18f44b.txt"
BBC_SEPT = "001_76ad565146bc8bd5.txt"
PAPER = "002_14648caa620776ea.txt"
VOA = "003_0851d2a3dc01581b.txt"
BBC_JAN = "004_ea46ad2de5bf25f4.txt"
ALL_SOURCES = (WSJ, BBC_SEPT, PAPER, VOA, BBC_JAN)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_report(corpus_dir):
    from ingest import ingest_corpus

    return ingest_corpus(corpus_dir)


@pytest.fixture(scope="session")
def documents(corpus_report):
    """source file name → IngestedDocument for the five articles."""
    return {item.document.source: item for item in corpus_report.documents}


# -- the real embedding model and a real index, built once per test session -----------------------
# The model folder lives under .kzqa/ (git-ignored) so local re-runs skip the ~8 s rebuild; a fresh
# clone (CI) builds it once.
TEST_MODEL_CACHE = ROOT / ".kzqa" / "test-model-cache"


@pytest.fixture(scope="session")
def base_index_settings(tmp_path_factory):
    from index.settings import IndexSettings

    return IndexSettings(
        data_dir=tmp_path_factory.mktemp("index"),
        model_cache_dir=TEST_MODEL_CACHE,
        corpus_dirs=(CORPUS_DIR,),
    )


@pytest.fixture(scope="session")
def embedder(base_index_settings):
    from index.embedder import Embedder

    return Embedder.load(base_index_settings)


def built_once(tmp_path_factory, name: str, data_dir: Path, build: Callable[[Path], T]) -> T:
    """Build into `data_dir` what `build` builds, once per test run.

    Under pytest-xdist every worker is a process with its own session fixtures; the first worker to
    ask builds into the run's shared temp folder (a file lock keeps the others waiting) and every
    worker copies that build, so a full index is embedded once per run, not once per worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(data_dir)
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    with FileLock(f"{shared}.lock"):
        if not (shared / "result.pickle").is_file():
            result = build(shared / "data")
            (shared / "result.pickle").write_bytes(pickle.dumps(result))
    shutil.copytree(shared / "data", data_dir, dirs_exist_ok=True)
    return pickle.loads((shared / "result.pickle").read_bytes())


@pytest.fixture(scope="session")
def corpus_index(base_index_settings, embedder, tmp_path_factory):
    """(settings, summary) of a full index of the five articles."""
    from dataclasses import replace

    from index.indexer import build_index

    def build(data_dir: Path):
        return build_index(replace(base_index_settings, data_dir=data_dir), embedder=embedder)

    summary = built_once(tmp_path_factory, "corpus-index", base_index_settings.data_dir, build)
    return base_index_settings, summary


@pytest.fixture(scope="session")
def retriever(corpus_index, embedder):
    from index.hybrid_retriever import HybridRetriever

    settings, _ = corpus_index
    return HybridRetriever(settings, embedder=embedder)


@pytest.fixture(scope="session")
def kzqa_config(corpus_index):
    from chat_app.config import KzqaConfig

    settings, _ = corpus_index
    return KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=settings.data_dir, model_cache_dir=TEST_MODEL_CACHE)


@pytest.fixture(scope="session")
def assistant(kzqa_config, embedder):
    """The real Assistant over the session's index of the five articles (extractive)."""
    from chat_app.assistant import Assistant

    return Assistant(kzqa_config, embedder=embedder)
