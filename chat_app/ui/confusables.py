"""A file name's skeleton: two names with the same skeleton look the same to a reader.

NFKC folds full-width and other compatibility forms ("ｆｕｌｌ" → "full"), the look-alike table
(resources/confusables.toml) maps Cyrillic and Greek letters that pass for Latin ones, and case
is folded last. Used to keep uploads from posing as a corpus article or as another user's file.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("resources") / "confusables.toml"


def skeleton(name: str) -> str:
    return unicodedata.normalize("NFKC", name).translate(_table()).casefold()


@cache
def _table() -> dict[int, str]:
    with TABLE_FILE.open("rb") as handle:
        look_alikes = tomllib.load(handle)["look_alikes"]
    return {ord(char): seen for seen, chars in look_alikes.items() for char in chars if char != seen}
