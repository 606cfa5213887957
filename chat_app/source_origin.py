"""Which sources of an answer are corpus articles and which are documents a user added.

Only corpus articles are trusted for provenance: an uploaded file can copy a corpus title or
carry any `og:url`, so its citations are marked as uploaded and lose their URL before any view
(UI, CLI, JSON) sees them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from chat_app.answer import Answer, Citation
from ingest import corpus_files


class SourceOrigins:
    def __init__(self, corpus_dir: Path):
        self._corpus_dir = corpus_dir

    def corpus_names(self) -> frozenset[str]:
        """Read on every answer: listing five files costs microseconds and is never stale."""
        if not self._corpus_dir.is_dir():
            return frozenset()
        return frozenset(path.name for path in corpus_files(self._corpus_dir))

    def mark(self, answer: Answer) -> Answer:
        """`answer` with its uploaded sources named and their citations stripped of URLs."""
        corpus = self.corpus_names()
        sources = {c.source for c in (*answer.citations, *answer.related)} | {p.source for p in answer.passages}
        answer.uploaded_sources = frozenset(source for source in sources if source not in corpus)
        answer.citations = [_trusted(c, answer) for c in answer.citations]
        answer.related = [_trusted(c, answer) for c in answer.related]
        return answer


def _trusted(citation: Citation, answer: Answer) -> Citation:
    return dataclasses.replace(citation, url=None) if answer.is_uploaded(citation.source) else citation
