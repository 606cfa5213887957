"""An embedder that remembers the passage vectors it has computed, up to a bound.

Checking an answer's citations embeds the same retrieved passages and sentences again for every
sentence of the answer and every turn of a conversation; the model call is the slow part.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

DEFAULT_SIZE = 4096  # vectors kept: the passages of many turns, a few MB of floats


class PassageEmbedder(Protocol):
    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        """One unit-length vector per text (cosine is taken as the dot product)."""
        ...


class CachingEmbedder:
    """Wraps an `index.embedder.Embedder` (or any PassageEmbedder); the least recently used vectors go first."""

    def __init__(self, embedder: PassageEmbedder, *, size: int = DEFAULT_SIZE) -> None:
        if size < 1:
            raise ValueError(f"a CachingEmbedder keeps at least one vector, not {size}")
        self._embedder = embedder
        self._size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        """A vector per text, in order; the texts not seen before are embedded together, in one batch."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed_passages(missing), strict=True))
        found = []
        for text in texts:
            self._vectors.move_to_end(text)
            found.append(self._vectors[text])
        while len(self._vectors) > self._size:
            self._vectors.popitem(last=False)
        return found

    def __len__(self) -> int:
        return len(self._vectors)
