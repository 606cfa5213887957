"""How many chunks use each keyword: lets the answer engine tell rare, telling words in a question
from ones that appear everywhere, and notice words the corpus never uses. Saved with each build."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.typed_json import ShapeError, check_type


@dataclass(frozen=True)
class TermStats:
    chunk_count: int
    document_frequency: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_token_lists(cls, token_lists: Iterable[Iterable[str]]) -> TermStats:
        counts: Counter[str] = Counter()
        total = 0
        for tokens in token_lists:
            counts.update(set(tokens))
            total += 1
        return cls(chunk_count=total, document_frequency=dict(counts))

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; a term the corpus never uses gets the maximum."""
        df = self.document_frequency.get(term, 0)
        return math.log((self.chunk_count + 1) / (df + 0.5))

    def known(self, term: str) -> bool:
        return term in self.document_frequency

    def save(self, path: Path) -> None:
        payload = {"chunk_count": self.chunk_count, "document_frequency": self.document_frequency}
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> TermStats:
        payload = json.loads(path.read_text(encoding="utf-8"))
        check_type(payload, dict, where=str(path))
        for name, expected in (("chunk_count", int), ("document_frequency", dict[str, int])):
            if name not in payload:
                raise ShapeError(f"{path}: field {name!r} is missing")
            check_type(payload[name], expected, where=f"{path}: field {name!r}")
        return cls(chunk_count=payload["chunk_count"], document_frequency=payload["document_frequency"])
