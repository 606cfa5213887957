"""Embedders that remember the vectors they have computed, up to a bound.

Checking an answer's citations embeds the same retrieved passages and sentences again for every
sentence of the answer and every turn of a conversation; the model call is the slow part. A
question asked again (an example clicked, a retry, a follow-up resolved to the same question)
is embedded once; with sentence vectors precomputed, that one model call is most of an answer's time.
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import suppress
from typing import Protocol

DEFAULT_SIZE = 4096  # vectors kept: the passages of many turns, a few MB of floats
DEFAULT_QUERY_SIZE = 1024  # questions kept: a 384-float vector each, about 10 MB as Python floats


class PassageEmbedder(Protocol):
    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        """One unit-length vector per text (cosine is taken as the dot product)."""
        ...


class QueryEmbedder(Protocol):
    def embed_query(self, text: str) -> list[float]:
        """The question's vector (with the model's query prefix)."""
        ...


class CachingQueryEmbedder:
    """Wraps an `index.embedder.Embedder` for questions; the least recently asked go first. Each call
    returns a new list holding the very floats the model gave the first time."""

    def __init__(self, embedder: QueryEmbedder, *, size: int = DEFAULT_QUERY_SIZE) -> None:
        if size < 1:
            raise ValueError(f"a CachingQueryEmbedder keeps at least one vector, not {size}")
        self._embedder = embedder
        self._size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()

    def embed_query(self, text: str) -> list[float]:
        vector = self._vectors.get(text)
        if vector is None:
            vector = self._embedder.embed_query(text)
            self._vectors[text] = vector
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        else:
            # a server's other thread may have just pushed it out: the vector in hand is still right
            with suppress(KeyError):
                self._vectors.move_to_end(text)
        return list(vector)

    def __len__(self) -> int:
        return len(self._vectors)


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
