"""jieba's dictionary held once for both of its tokenizers.

jieba reads its dictionary file twice: into the word frequencies of `jieba.dt` (FREQ, every word
and each of its prefixes) and, when `jieba.posseg` is imported, into the part-of-speech table of
`jieba.posseg.dt`. Each table has its own 350,000 word strings, and every tag and large frequency is
an object of its own: ~116 MB in a process that answers questions. jieba has no option to share
them, so this module builds both tables from one reading of the same file: the tables hold the
same word objects, and tags and frequencies are shared values (~78 MB). The contents are exactly
jieba's own (tests/index/test_jieba_dictionary.py compares them with jieba's loaders), so words are
cut and tagged as before.

Import `posseg` from here rather than `jieba.posseg`: posseg reads its table at import time, and
here that read is skipped because the shared table replaces it. jieba's lazy start-up (on the first
cut) then builds both tables through `_initialize`.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import jieba

jieba.setLogLevel(logging.WARNING)

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


def read_dictionary(lines) -> tuple[dict[str, int], int, dict[str, str]]:
    """(FREQ, total, word → tag) from jieba dictionary lines ("word freq [tag]", UTF-8 bytes), as
    jieba's gen_pfdict and posseg's load_word_tag build them, but with shared objects."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    shared_tags: dict[str, str] = {}
    shared_counts: dict[int, int] = {}
    total = 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip().decode("utf-8")
        parts = line.split(" ")
        try:
            word, count = parts[0], int(parts[1])
        except (IndexError, ValueError):
            raise ValueError(f"invalid dictionary entry at line {number}: {line}") from None
        count = shared_counts.setdefault(count, count)
        freq[word] = count
        total += count
        if len(parts) > 2:
            tags[word] = shared_tags.setdefault(parts[2], parts[2])
        for end in range(1, len(word)):
            prefix = word[:end]
            if prefix not in freq:
                freq[prefix] = 0
    return freq, total, tags


def _initialize(dictionary=None) -> None:
    """jieba.dt.initialize, for the default dictionary: both tables from one reading."""
    if dictionary is not None:
        _jieba_initialize(dictionary)
        return
    with _lock:
        if jieba.dt.initialized:
            return
        with jieba.dt.get_dict_file() as lines:
            freq, total, tags = read_dictionary(lines)
        if not posseg.dt.word_tag_tab:  # else posseg was imported before this module, with its own table
            posseg.dt.word_tag_tab = tags
        jieba.dt.FREQ, jieba.dt.total = freq, total
        jieba.dt.initialized = True


jieba.dt.initialize = _initialize
jieba.initialize = _initialize  # jieba's module-level alias of dt.initialize, bound before this patch
