"""Shared fixtures: the project's real corpus and its ingest, computed once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

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
