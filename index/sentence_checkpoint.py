"""Sentence vectors a run has embedded but not yet written into a build, saved batch by batch.

Chunk vectors are saved as they are made (in Chroma), so a killed run loses none of them; sentence
vectors only reach disk with the finished build. Without this, a run killed in its sentence phase
would lose all of that phase's work; with it the next run reuses every batch already saved. The
folder is named after the collection the run fills, and is removed once a build holds the vectors.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

import numpy as np

PENDING_DIR = "pending"


class SentenceCheckpoint:
    def __init__(self, data_dir: Path, collection: str):
        self.folder = data_dir / PENDING_DIR / collection

    def load(self) -> dict[str, np.ndarray]:
        """content hash → vector for every batch saved; a batch cut short by a kill is skipped."""
        vectors: dict[str, np.ndarray] = {}
        for path in sorted(self.folder.glob("batch-*.npz")):
            try:
                with np.load(path, allow_pickle=False) as batch:
                    hashes, matrix = batch["hashes"], batch["vectors"]
                    if matrix.ndim != 2 or len(hashes) != len(matrix) or not np.isfinite(matrix).all():
                        continue
                    vectors.update(zip((str(h) for h in hashes), matrix.astype(np.float32), strict=True))
            except (OSError, ValueError, KeyError):
                continue
        return vectors

    def save(self, hashes: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(list(self.folder.glob("batch-*.npz")))
        final = self.folder / f"batch-{number:05d}.npz"
        temp = self.folder / f".batch-{number:05d}.tmp.npz"
        try:
            np.savez(temp, hashes=np.asarray(list(hashes), dtype=str), vectors=np.asarray(vectors, dtype=np.float32))
            os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        with suppress(OSError):  # other runs' checkpoints may still be there
            self.folder.parent.rmdir()
