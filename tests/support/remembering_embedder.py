"""The test session's embedder: the real model, run once per distinct text."""

from __future__ import annotations

from dataclasses import dataclass, field

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
