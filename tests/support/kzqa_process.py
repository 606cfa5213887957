"""Running the real `kzqa` console script in a subprocess, against a data dir and corpus of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.paths import CORPUS_DIR, TEST_MODEL_CACHE


@dataclass(frozen=True)
class SmallIndex:
    """A data dir holding a built index, and the corpus folder it was built from."""

    data_dir: Path
    corpus_dir: Path


def kzqa_command() -> str:
    """The console script installed beside this interpreter (the one `make test` installs)."""
    return str(Path(sys.executable).with_name("kzqa"))


def kzqa_env(data_dir: Path, corpus_dir: Path = CORPUS_DIR, model_cache: Path = TEST_MODEL_CACHE) -> dict[str, str]:
    return {
        **os.environ,
        "KZQA_DATA_DIR": str(data_dir),
        "KZQA_MODEL_CACHE_DIR": str(model_cache),
        "KZQA_CORPUS_DIR": str(corpus_dir),
        "HF_HUB_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def small_index_env(index: SmallIndex) -> dict[str, str]:
    return kzqa_env(index.data_dir, index.corpus_dir)


def run_kzqa(index: SmallIndex, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [kzqa_command(), *args], env=small_index_env(index), capture_output=True, text=True, timeout=timeout
    )
