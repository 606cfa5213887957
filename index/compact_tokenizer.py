"""The e5 model's tokenizer in ~40 MB instead of ~300 MB: the same ids as its tokenizer.json.

`tokenizers` holds the 250,002-piece Unigram vocabulary in a byte trie that costs ~300 MB of RSS in
every process that embeds (measured in benchmarks/results/serving_latency.md). Here the pieces are a
dict and each word is segmented by the same best-path search as `tokenizers`' Unigram model: float64
sums in the same order, the first of equal paths kept, an unknown character scored as the lowest
piece score minus 10, and a run of unknown characters fused into one <unk>. Everything around the
model (special tokens matched in the raw text, the normalizer, the Metaspace pre-tokenizer) is
`tokenizers`' own code, built from the same JSON, so only the search is ours.

The folder is written once from tokenizer.json by index.compact_tokenizer_build, which checks these
ids against the fast tokenizer's before installing it; tests/index/test_compact_tokenizer.py checks
them on the whole corpus, the question set and edge cases.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer

PIECES_FILE = "pieces.tsv"  # line i: piece i, a tab, its score as Python's repr (a float64, read back exactly)
PIPELINE_FILE = "pipeline.json"
FORMAT_VERSION = 1
UNK_PENALTY = 10.0  # what `tokenizers` (and sentencepiece) subtract from the lowest score for an unknown character


@dataclass(frozen=True)
class SpecialIds:
    bos: int
    eos: int
    pad: int
    unk: int


class CompactTokenizer:
    """Tokenizes as the rebuilt e5 folder's fast tokenizer does when sentence-transformers calls it
    (padding to the longest text, truncating to max_length, <s> … </s> around each text)."""

    def __init__(self, *, pieces: dict[str, int], scores: array, pipeline: dict):
        self._pieces = pieces
        self._scores = scores
        # The longest piece starting with each character: the search tries no longer substring.
        self._longest: dict[str, int] = {}
        for piece in pieces:
            if len(piece) > self._longest.get(piece[0], 0):
                self._longest[piece[0]] = len(piece)
        self.special_ids = SpecialIds(**pipeline["special_ids"])
        self._unk_score = min(scores) - UNK_PENALTY
        self._specials: dict[str, int] = pipeline["special_tokens"]
        # Longest first: a regex alternation then matches leftmost-longest, as `tokenizers` does.
        by_length = sorted(self._specials, key=len, reverse=True)
        self._special_split = re.compile("(" + "|".join(map(re.escape, by_length)) + ")")
        # A tokenizer with no vocabulary holds `tokenizers`' normalizer and pre-tokenizer for us.
        holder = {
            "version": "1.0",
            "normalizer": pipeline["normalizer"],
            "pre_tokenizer": pipeline["pre_tokenizer"],
            "model": {"type": "WordLevel", "vocab": {}, "unk_token": "<unk>"},
        }
        pipes = Tokenizer.from_str(json.dumps(holder))
        self._normalizer = pipes.normalizer
        self._pre_tokenizer = pipes.pre_tokenizer

    @classmethod
    def load(cls, folder: Path) -> CompactTokenizer:
        pipeline = json.loads((folder / PIPELINE_FILE).read_text(encoding="utf-8"))
        if pipeline.get("format") != FORMAT_VERSION:
            raise ValueError(f"{folder / PIPELINE_FILE} has format {pipeline.get('format')!r}, not {FORMAT_VERSION}")
        pieces: dict[str, int] = {}
        scores = array("d")
        with (folder / PIECES_FILE).open(encoding="utf-8", newline="\n") as lines:
            for index, line in enumerate(lines):
                piece, score = line.rstrip("\n").rsplit("\t", 1)
                pieces[piece] = index
                scores.append(float(score))
        return cls(pieces=pieces, scores=scores, pipeline=pipeline)

    def __len__(self) -> int:
        return len(self._pieces)

    def ids(self, text: str) -> list[int]:
        """The ids of `text` without <s> and </s>: the fast tokenizer's encode(text, add_special_tokens=False)."""
        out: list[int] = []
        for index, part in enumerate(self._special_split.split(text)):
            if index % 2:  # split() puts the matched special tokens at odd indexes
                out.append(self._specials[part])
            elif part:
                for word, _span in self._pre_tokenizer.pre_tokenize_str(self._normalizer.normalize_str(part)):
                    out += self._segment(word)
        return out

    def batch(self, texts: Sequence[str], *, max_length: int) -> dict[str, list[list[int]]]:
        """What the fast tokenizer returns for padding=True, truncation="longest_first", max_length=max_length."""
        special = self.special_ids
        rows = [[special.bos, *self.ids(text)[: max_length - 2], special.eos] for text in texts]
        width = max(map(len, rows), default=0)
        return {
            "input_ids": [row + [special.pad] * (width - len(row)) for row in rows],
            "attention_mask": [[1] * len(row) + [0] * (width - len(row)) for row in rows],
        }

    def _segment(self, word: str) -> list[int]:
        """The highest-scoring split of `word` into pieces (Viterbi over its characters)."""
        size = len(word)
        best = [0.0] * (size + 1)  # score of the best path ending at each position
        starts = [-1] * (size + 1)  # where that path's last piece starts; -1: no path yet
        last = [0] * (size + 1)  # that last piece's id
        pieces, scores, unk = self._pieces, self._scores, self.special_ids.unk
        for start in range(size):
            so_far = best[start]
            has_single = False
            for end in range(start + 1, min(size, start + self._longest.get(word[start], 0)) + 1):
                piece = pieces.get(word[start:end])
                if piece is None:
                    continue
                score = scores[piece] + so_far
                if starts[end] < 0 or score > best[end]:
                    best[end], starts[end], last[end] = score, start, piece
                has_single = has_single or end == start + 1
            if not has_single:
                score = self._unk_score + so_far
                if starts[start + 1] < 0 or score > best[start + 1]:
                    best[start + 1], starts[start + 1], last[start + 1] = score, start, unk
        out: list[int] = []
        end = size
        while end > 0:
            if not (last[end] == unk and out and out[-1] == unk):  # adjacent unknowns fuse into one <unk>
                out.append(last[end])
            end = starts[end]
        out.reverse()
        return out
