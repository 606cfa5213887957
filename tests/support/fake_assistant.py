"""A deterministic stand-in for the Assistant, for UI logic where the model is not under test."""

from __future__ import annotations

import threading
import time

from chat_app.answer import Answer, Citation
from chat_app.search_scope import SearchScope
from index.indexer import IndexSummary

SOURCE = "000_336fa4486c18f44b.txt"
ARTICLE = "开头的一段。\n\n边境线长达7,644公里。后面的内容。"  # the fake index's text of SOURCE


class FakeAssistant:
    llm_available = False

    def __init__(self, *, fail_with: Exception | None = None, reindex_fails_with: Exception | None = None):
        self.fail_with = fail_with
        self.reindex_fails_with = reindex_fails_with
        self.questions: list[tuple[str, list[dict[str, str]]]] = []
        self.owners: list = []  # the owner each question was asked for
        self.reindexed = 0
        self.active = 0  # requests inside the assistant right now
        self.most_active = 0
        self._count_lock = threading.Lock()

    def stream(self, question, history=(), *, k=None, generator=None, owner=None):
        with self._count_lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            self.questions.append((question, list(history)))
            self.owners.append(owner)
            if self.fail_with is not None:
                raise self.fail_with
            time.sleep(0.05)  # long enough for a second request to overlap, if nothing serialized them
            yield "边境线长达7,644公里。"
            yield "[1]"
            yield Answer(
                question=question,
                text="边境线长达7,644公里。[1]",
                refused=False,
                citations=[Citation(1, SOURCE, "普丁意想不到的挑战", "边境线长达7,644公里。", 0, 11)],
            )
        finally:
            with self._count_lock:
                self.active -= 1

    def article_text(self, source, *, owner=None):
        return ARTICLE if source == SOURCE else None

    def ask(self, question, *, k=None, generator=None, owner=None):
        return list(self.stream(question, k=k, generator=generator, owner=owner))[-1]

    def scope(self, *, owner=None):
        return SearchScope(articles=5)

    def reindex(self, *, rebuild=False):
        if self.reindex_fails_with is not None:
            raise self.reindex_fails_with
        self.reindexed += 1
        return IndexSummary(chunks=119, documents=6)


class FakeAssistantBuildingItsIndex(FakeAssistant):
    """Starts like an Assistant with no index: reports two of four chunks embedded, then waits for
    the test to `finish` the build (or fail it)."""

    release = threading.Event()
    failure: Exception | None = None

    def __init__(self, config, *, status, progress, embedder=None):
        super().__init__()
        status("embedding 4 new chunks")
        progress(2, 4)
        assert self.release.wait(10), "the test never finished the build"
        if self.failure is not None:
            raise self.failure
        progress(4, 4)
