"""Traditional Chinese characters and their simplified forms, so that a question typed in traditional
characters (這個問題) searches articles written in simplified ones (这个问题).

No required package converts scripts; CC-CEDICT (already installed for English names) pairs every
headword's traditional and simplified spelling, so the table is read from it: each character that
only ever appears on the traditional side, with its most frequent simplified counterpart. A character
that is also written in simplified text (著, 乾, 台) is never changed, so simplified text passes
through untouched. Built once into the user cache (index/table_cache.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from index.cross_lingual import cedict_path
from index.table_cache import cached_table, stream_digest

_TABLE_FILE = "traditional.json"
_TABLE_VERSION = "1"  # a changed way of building makes a new table


@cache
def traditional_characters() -> Mapping[str, str]:
    """Traditional-only character → its simplified form."""
    with cedict_path().open("rb") as source:
        digest = hashlib.sha256(f"{stream_digest(source)}:{_TABLE_VERSION}".encode()).hexdigest()
    return cached_table("cedict-traditional", digest, _build, _load)


def to_simplified(text: str) -> str:
    """`text` with its traditional-only characters written the simplified way; anything else as it is."""
    return text.translate(_translation())


@cache
def _translation() -> dict[int, str]:
    return str.maketrans(dict(traditional_characters()))


def _pairs(lines: Iterable[str]) -> dict[str, str]:
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    simplified_characters: set[str] = set()
    for line in lines:
        if line.startswith("#"):
            continue
        traditional, simplified, _rest = line.split(" ", 2)
        simplified_characters.update(simplified)
        if len(traditional) == len(simplified):
            for old, new in zip(traditional, simplified, strict=True):
                if old != new:
                    counts[old][new] += 1
    return {old: new.most_common(1)[0][0] for old, new in counts.items() if old not in simplified_characters}


def _build(folder: Path) -> None:
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as lines:
        table = _pairs(lines)
    (folder / _TABLE_FILE).write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")


def _load(folder: Path) -> dict[str, str]:
    table = json.loads((folder / _TABLE_FILE).read_text(encoding="utf-8"))
    if not isinstance(table, dict) or not table:
        raise ValueError("an empty or damaged table")
    return table
