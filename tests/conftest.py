"""Shared fixtures: the project's real corpus and its ingest, computed once per run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.paths import CORPUS_DIR, TEST_MODEL_CACHE

# `make test` runs two workers on two cores, so each does its math on one thread. With torch's and
# OpenBLAS's default of a thread per core, four spinning threads fought over the two cores: the two
# evaluation modules took 225 s side by side, 92 s with one thread each. (Set before torch or numpy
# is imported, which read these once; kzqa subprocesses the tests start inherit them.)
if os.environ.get("PYTEST_XDIST_WORKER"):
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


@pytest.fixture(autouse=True)
def fresh_parse_cache():
    """Each test parses for itself: a result remembered from an earlier test would hide a parser that
    this test patches, slows or breaks (the cache is per process; pytest is one process)."""
    from ingest.parse_cache import PARSE_CACHE

    PARSE_CACHE.clear()


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
    """The real model; a text it has embedded once in this session is not run through it again."""
    from index.embedder import Embedder
    from tests.support.remembering_embedder import RememberingEmbedder

    loaded = Embedder.load(base_index_settings)
    return RememberingEmbedder(spec=loaded.spec, model=loaded.model)


@pytest.fixture(scope="session")
def reference_embedding(embedder, base_index_settings):
    """The default model as kzqa loaded it before its compact tokenizer: llama-index's HuggingFaceEmbedding over
    sentence-transformers' own Transformer module, which reads text with the folder's tokenizer.json. What the
    session's `embedder` must equal, token for token and bit for bit."""
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from index.embedding import EMBED_BATCH_SIZE
    from index.model_rebuild import default_model_dir

    return HuggingFaceEmbedding(
        model_name=str(default_model_dir(base_index_settings.model_cache_dir)),  # `embedder` made sure it is built
        query_instruction=embedder.spec.query_prefix,
        text_instruction=embedder.spec.passage_prefix,
        normalize=True,
        device="cpu",
        embed_batch_size=EMBED_BATCH_SIZE,
    )


@pytest.fixture
def commands_share_the_session_embedder(embedder, monkeypatch):
    """In-process `kzqa` commands (`cli.main`) get the session's loaded model instead of loading their
    own (seconds per command) and embedding again the articles earlier builds embedded. Only for the
    model the session loaded; the commands' own code paths are unchanged."""
    from index.embedder import Embedder

    load_own = Embedder.load.__func__

    def load(cls, settings, progress=None):
        if settings.embedding == embedder.spec and settings.model_cache_dir == TEST_MODEL_CACHE:
            return embedder
        return load_own(cls, settings, progress)

    monkeypatch.setattr(Embedder, "load", classmethod(load))


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory) -> Path:
    """A folder all test workers of this run share (pytest-xdist gives each worker its own basetemp
    inside the run's); a run without workers has only its own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def corpus_index(base_index_settings, embedder, run_folder):
    """(settings, summary) of a full index of the five articles.

    Workers take turns: the first embeds the articles and keeps the vectors for the run; the next
    builds its own index from those (the same model outputs) instead of embedding every article a
    second time on the same two cores. (A text a kept vector does not match is simply embedded.)"""
    from index.file_lock import file_lock
    from index.indexer import build_index

    kept = run_folder / "corpus-vectors.npz"
    with file_lock(run_folder / "corpus-vectors.lock"):
        recalled = embedder.recall(kept)
        summary = build_index(base_index_settings, embedder=embedder)
        if not recalled:
            embedder.keep(kept)
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
