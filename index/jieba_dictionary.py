"""jieba's dictionary as one compact table, memory-mapped and shared by both of its tokenizers.

jieba reads its dictionary file into Python dicts, twice: the word frequencies of `jieba.dt` (FREQ,
every word and each of its prefixes, 498,113 keys) and, when `jieba.posseg` is imported, the
part-of-speech table of `jieba.posseg.dt` (349,045 words). That is 1.3 s of reading in every process
and ~78 MB of strings and dict slots even with the word objects shared. Here both tables are one
MARISA trie (every word and prefix gets a number) with a count and a tag code per number: built once
from jieba's own file into the user cache (index/table_cache.py), then memory-mapped by every
process (~4 MB, in a few milliseconds). The contents are exactly jieba's own
(tests/index/test_jieba_dictionary.py compares them with jieba's loaders), so words are cut and
tagged as before. jieba has no option for any of this: it looks words up with `in`, `[]` and
`.get()`, which the two mappings below answer from the trie.

Import `posseg` from here rather than `jieba.posseg`: posseg reads its table at import time, and
here that read is skipped because the shared table replaces it. jieba's lazy start-up (on the first
cut) then installs both tables through `_initialize`.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jieba
import marisa_trie

from index.table_cache import cached_table, mapped_trie, stream_digest

jieba.setLogLevel(logging.WARNING)

TABLE_FORMAT = 1  # part of the cache folder's key: bump it when the files below change
_WORDS, _COUNTS, _TAGS, _META = "words.marisa", "counts.u32", "tags.u8", "meta.json"
_ABSENT = object()

_lock = threading.Lock()
_jieba_initialize = jieba.dt.initialize  # jieba's own, for a dictionary other than the default


@contextmanager
def _no_dictionary_file() -> Iterator[None]:
    """While posseg is imported, its tokenizer reads an empty dictionary (its table is filled later)."""
    original = jieba.Tokenizer.get_dict_file
    jieba.Tokenizer.get_dict_file = lambda self: io.BytesIO(b"")
    try:
        yield
    finally:
        jieba.Tokenizer.get_dict_file = original


with _no_dictionary_file():
    import jieba.posseg as posseg


class _TrieMapping(Mapping):
    """A read-mostly mapping keyed by the trie's words. Words jieba adds at run time (`jieba.add_word`)
    go to a small dict that is looked at first."""

    def __init__(self, words: marisa_trie.Trie):
        self._words = words
        self._added: dict[str, object] = {}

    def _stored(self, word_id: int) -> object:
        raise NotImplementedError

    def get(self, word: str, default: object = None) -> object:
        if self._added:
            value = self._added.get(word, _ABSENT)
            if value is not _ABSENT:
                return value
        word_id = self._words.get(word)
        if word_id is None:
            return default
        value = self._stored(word_id)
        return default if value is _ABSENT else value

    def __getitem__(self, word: str) -> object:
        value = self.get(word, _ABSENT)
        if value is _ABSENT:
            raise KeyError(word)
        return value

    def __contains__(self, word: object) -> bool:
        return self.get(word, _ABSENT) is not _ABSENT if isinstance(word, str) else False

    def __setitem__(self, word: str, value: object) -> None:
        self._added[word] = value

    def update(self, other: Mapping[str, object]) -> None:
        self._added.update(other)

    def __iter__(self) -> Iterator[str]:
        for word in self._words.iterkeys():
            if word not in self._added and self.get(word, _ABSENT) is not _ABSENT:
                yield word
        yield from self._added

    def __len__(self) -> int:
        return sum(1 for _ in self)


class WordCounts(_TrieMapping):
    """jieba's FREQ: each dictionary word's count, and 0 for a prefix of a word that isn't one itself."""

    def __init__(self, words: marisa_trie.Trie, counts: array):
        super().__init__(words)
        self._counts = counts

    def _stored(self, word_id: int) -> object:
        return self._counts[word_id]

    # jieba's hottest calls (every substring of a sentence), answered without the general path's detour.
    def get(self, word: str, default: object = None) -> object:
        if self._added and word in self._added:
            return self._added[word]
        word_id = self._words.get(word)
        return default if word_id is None else self._counts[word_id]

    def __getitem__(self, word: str) -> object:
        if self._added and word in self._added:
            return self._added[word]
        return self._counts[self._words[word]]  # KeyError from the trie for a word it lacks

    def __contains__(self, word: object) -> bool:
        return word in self._words or word in self._added

    def __len__(self) -> int:
        return len(self._words) + sum(1 for word in self._added if word not in self._words)


class WordTags(_TrieMapping):
    """posseg's word_tag_tab: each dictionary word's part-of-speech tag (prefixes have none)."""

    def __init__(self, words: marisa_trie.Trie, codes: bytes, names: tuple[str, ...]):
        super().__init__(words)
        self._codes = codes
        self._names = names  # code → tag; code 0 means "no tag"

    def _stored(self, word_id: int) -> object:
        code = self._codes[word_id]
        return self._names[code] if code else _ABSENT


@dataclass(frozen=True)
class DictionaryTables:
    counts: WordCounts
    total: int
    tags: WordTags


def build_tables(lines: Iterable[bytes], folder: Path) -> None:
    """Write the tables of jieba dictionary lines ("word count [tag]", UTF-8) into folder: as jieba's
    gen_pfdict and posseg's load_word_tag read them (a word listed twice keeps its last count and tag;
    the total counts both)."""
    entries: list[tuple[str, int, str]] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip().decode("utf-8")
        parts = line.split(" ")
        try:
            entries.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""))
        except (IndexError, ValueError):
            raise ValueError(f"invalid dictionary entry at line {number}: {line}") from None
    words = marisa_trie.Trie(word[:end] for word, _, _ in entries for end in range(1, len(word) + 1))
    counts = array("I", bytes(4 * len(words)))
    codes = bytearray(len(words))
    names: dict[str, int] = {}
    total = 0
    for word, count, tag in entries:
        word_id = words[word]
        counts[word_id] = count
        total += count
        if tag:
            codes[word_id] = names.setdefault(tag, len(names) + 1)
    if len(names) > 255:
        raise ValueError(f"{len(names)} part-of-speech tags: more than a byte's codes")
    words.save(str(folder / _WORDS))
    (folder / _COUNTS).write_bytes(counts.tobytes())
    (folder / _TAGS).write_bytes(bytes(codes))
    (folder / _META).write_text(json.dumps({"total": total, "tags": list(names)}), encoding="utf-8")


def load_tables(folder: Path) -> DictionaryTables:
    """The tables in folder; ValueError if its files don't agree with each other."""
    words = mapped_trie(marisa_trie.Trie(), folder / _WORDS)
    counts = array("I")
    if counts.itemsize != 4:
        raise ValueError("this platform's unsigned int is not 4 bytes")
    counts.frombytes((folder / _COUNTS).read_bytes())
    codes = (folder / _TAGS).read_bytes()
    meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    if not len(words) == len(counts) == len(codes):
        raise ValueError(f"{folder}: {len(words)} words, {len(counts)} counts and {len(codes)} tags")
    tags = WordTags(words, codes, (None, *meta["tags"]))
    return DictionaryTables(counts=WordCounts(words, counts), total=int(meta["total"]), tags=tags)


def default_tables(cache_root: Path | None = None) -> DictionaryTables:
    """The tables of jieba's own dictionary, from the cache (built there the first time)."""
    with jieba.dt.get_dict_file() as source:
        digest = stream_digest(source)

    def build(folder: Path) -> None:
        with jieba.dt.get_dict_file() as lines:
            build_tables(lines, folder)

    return cached_table(f"jieba-v{TABLE_FORMAT}", digest, build, load_tables, root=cache_root)


def _initialize(dictionary=None) -> None:
    """jieba.dt.initialize, for the default dictionary: both tables from the cached trie."""
    if dictionary is not None:
        _jieba_initialize(dictionary)
        return
    with _lock:
        if jieba.dt.initialized:
            return
        tables = default_tables()
        if not posseg.dt.word_tag_tab:  # else posseg was imported before this module, with its own table
            posseg.dt.word_tag_tab = tables.tags
        jieba.dt.FREQ, jieba.dt.total = tables.counts, tables.total
        jieba.dt.initialized = True


jieba.dt.initialize = _initialize
jieba.initialize = _initialize  # jieba's module-level alias of dt.initialize, bound before this patch
