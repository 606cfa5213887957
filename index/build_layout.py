"""Where each file of an index build lives: the one place these names are written.

The writer (index.indexer) and the reader (index.build) both go through it, so neither can look
for a file where the other did not put it. The names are also the keys of the build's checksums
in the manifest: renaming one makes every existing build read as damaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILDS_DIR = "builds"  # under the data dir: one folder per build id
RECORDS_FILE = "chunks.jsonl"
BM25_DIR = "bm25"
LEXICON_FILE = "lexicon.json"  # English → Chinese keywords limited to this corpus's words
TERM_STATS_FILE = "term_stats.json"
SENTENCES_FILE = "sentences.jsonl"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
SENTENCE_BM25_DIR = "sentence_bm25"
SENTENCE_FILES = (SENTENCES_FILE, SENTENCE_VECTORS_FILE, SENTENCE_BM25_DIR)


def build_folder(data_dir: Path, build_id: str) -> Path:
    return data_dir / BUILDS_DIR / build_id


@dataclass(frozen=True)
class BuildLayout:
    """The paths of one build's files, in `folder` (a build folder, or the temporary one it is written in)."""

    folder: Path

    @property
    def records(self) -> Path:
        return self.folder / RECORDS_FILE

    @property
    def bm25(self) -> Path:
        return self.folder / BM25_DIR

    @property
    def lexicon(self) -> Path:
        return self.folder / LEXICON_FILE

    @property
    def term_stats(self) -> Path:
        return self.folder / TERM_STATS_FILE

    @property
    def sentences(self) -> Path:
        return self.folder / SENTENCES_FILE

    @property
    def sentence_vectors(self) -> Path:
        return self.folder / SENTENCE_VECTORS_FILE

    @property
    def sentence_bm25(self) -> Path:
        return self.folder / SENTENCE_BM25_DIR
