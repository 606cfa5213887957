"""The test session's embedder: the real model, run once per distinct text."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.embedder import Embedder


@dataclass(frozen=True)
class RememberingEmbedder(Embedder):
    """The same vectors as the model gives (they are its own outputs), without re-running it on the
    texts the many test builds of the same articles share. A test that compares stored vectors with
    fresh ones, or watches a real build, must embed through a plain Embedder."""

    remembered: dict[str, list[float]] = field(default_factory=dict, compare=False, repr=False)

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self.remembered))
        if missing:
            self.remembered.update(zip(missing, super().embed_passages(missing), strict=True))
        return [list(self.remembered[t]) for t in texts]

    # -- sharing with the other test workers of the same run (pytest-xdist: one process per core) ---
    def keep(self, path: Path) -> None:
        """Write every remembered vector to `path` (atomically), for `recall` in another worker."""
        texts = list(self.remembered)
        partial = path.with_name(f".{path.name}.{os.getpid()}.npz")
        # float64 holds the model's float32 outputs exactly: a recalled vector is the model's own.
        np.savez(partial, texts=np.array(texts, dtype=str), vectors=np.array([self.remembered[t] for t in texts]))
        os.replace(partial, path)

    def recall(self, path: Path) -> int:
        """Remember the vectors another worker kept in `path` (none if it has not written it yet);
        returns how many were new."""
        if not path.exists():
            return 0
        with np.load(path, allow_pickle=False) as kept:
            new = {t: v.tolist() for t, v in zip(kept["texts"].tolist(), kept["vectors"], strict=True)
                   if t not in self.remembered}  # fmt: skip
        self.remembered.update(new)
        return len(new)
