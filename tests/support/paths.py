"""Where the repository, its corpus and the tests' model cache are, and the corpus files by name."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "corpus"
SHARED_CORPUS_DIR = ROOT.parent / "shared" / "corpus"
# The embedding model is rebuilt once into here and reused by every test run.
TEST_MODEL_CACHE = ROOT / ".kzqa" / "test-model-cache"
DEV_SET = ROOT / "tests" / "data" / "qa.jsonl"

WSJ = "000_336fa4486c18f44b.txt"
BBC_SEPT = "001_76ad565146bc8bd5.txt"
PAPER = "002_14648caa620776ea.txt"
VOA = "003_0851d2a3dc01581b.txt"
BBC_JAN = "004_ea46ad2de5bf25f4.txt"
ALL_SOURCES = (WSJ, BBC_SEPT, PAPER, VOA, BBC_JAN)
SMALL_CORPUS = (BBC_JAN, VOA)  # two real articles: a build of them takes seconds, not minutes


def small_corpus_copy(folder: Path) -> Path:
    """`folder`, created, holding copies of the SMALL_CORPUS articles (free to change or extend)."""
    folder.mkdir(parents=True)
    for name in SMALL_CORPUS:
        shutil.copyfile(CORPUS_DIR / name, folder / name)
    return folder
