"""Questions that name an outlet ("According to the WSJ piece, …", "BBC说哈萨克斯坦为什么…") read
that outlet's articles only.

The outlet's name says where to look, not what to look for: it is taken out of the question before
its terms are read, so "华尔街日报" does not pull in the line "本文原刊于《华尔街日报》". Hand-written
over the names in resources/publishers.toml: it matches them against the publisher ingest gives each
passage, which no retriever filter knows about.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from chat_app.engine.records import CandidatePool

PUBLISHERS_FILE = Path(__file__).resolve().parent / "resources" / "publishers.toml"
_WORD = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


@dataclass(frozen=True)
class Scope:
    sources: tuple[str, ...]  # the outlets named, as passages' publishers call them ("WSJ")
    text: str  # the question without their names


class SourceScope:
    def __init__(self, available: Iterable[str | None], names: dict[str, tuple[str, ...]] | None = None):
        """`available`: the publishers of the indexed passages ("WSJ/Initium" holds WSJ and Initium).
        Outlets no passage comes from are not scopes: their names stay in the question."""
        held = {part for publisher in available if publisher for part in publisher.split("/")}
        self._patterns = {
            outlet: _pattern(aliases) for outlet, aliases in (names or publisher_names()).items() if outlet in held
        }

    def read(self, text: str) -> Scope:
        sources, rest = [], text
        for outlet, pattern in self._patterns.items():
            stripped = pattern.sub(" ", rest)
            if stripped != rest:
                sources.append(outlet)
                rest = stripped
        if not sources or not _WORD.search(rest):
            return Scope((), text)  # "BBC" alone asks about the name itself: it stays the question
        return Scope(tuple(sources), " ".join(rest.split()))

    @staticmethod
    def restrict(pool: CandidatePool, sources: tuple[str, ...]) -> CandidatePool:
        """The pool's sentences from passages of `sources`; the whole pool when none are."""
        if not sources:
            return pool
        wanted = set(sources)

        def in_scope(chunk_id: str) -> bool:
            return bool(wanted & set((pool.passages[chunk_id].publisher or "").split("/")))

        kept = tuple(c for c in pool.candidates if in_scope(c.chunk_id))
        return replace(pool, candidates=kept) if kept else pool


@cache
def publisher_names(path: Path = PUBLISHERS_FILE) -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))["publishers"]
    return {outlet: tuple(names) for outlet, names in data.items()}


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Chinese names anywhere (with their 《》), English ones as whole words (with "the", "'s"), any case;
    longest first, so "华尔街日报" goes before "华尔街"."""
    parts = []
    for name in sorted(names, key=len, reverse=True):
        if name.isascii():
            parts.append(rf"(?<![a-z0-9])(?:the\s+)?{re.escape(name)}(?:['’]s)?(?![a-z0-9])")
        else:
            parts.append(rf"《?{re.escape(name)}》?")
    return re.compile("|".join(parts), re.IGNORECASE)
