"""A small real index (two articles) for attacks that rebuild or repair it: a full rebuild of the
five articles would take minutes; two keep a rebuild to about half a minute, with the real model."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from tests.support.kzqa_process import SmallIndex
from tests.support.paths import small_corpus_copy


@pytest.fixture(scope="session")
def small_index(base_index_settings, embedder, tmp_path_factory) -> SmallIndex:
    """BBC_JAN and VOA, indexed once per session; tests work on copies (`small_index_copy`)."""
    from index.indexer import build_index

    root = tmp_path_factory.mktemp("small-index")
    corpus = small_corpus_copy(root / "corpus")
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
