"""One index build's answer pipelines: the public one, and one per owner of private documents.

Each pipeline reads its own view of the same build (HybridRetriever.visible_to), so everything the
engine reads — retrieved chunks, candidate sentences, the vocabulary it judges questions by — is
limited to what that reader may see, without a per-user index. A view costs milliseconds to make;
the most recently used few are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from chat_app.engine.pipeline import AnswerPipeline
from chat_app.search_scope import SearchScope
from index.hybrid_retriever import HybridRetriever
from index.visibility import Visibility

KEEP = 16  # owners' pipelines kept per build; more active owners than this only cost a few ms each


class ReaderPipelines:
    def __init__(
        self, retriever: HybridRetriever, make: Callable[[HybridRetriever], AnswerPipeline], *, keep: int = KEEP
    ):
        self._retriever = retriever
        self._make = make
        self._keep = keep
        self.public = make(retriever)
        self._owners: OrderedDict[str, AnswerPipeline] = OrderedDict()
        self._lock = threading.Lock()

    def for_reader(self, visibility: Visibility) -> AnswerPipeline:
        """The pipeline over what `visibility` may read: the public one for anyone without documents here."""
        owner = visibility.owner
        if owner is None or owner not in self._retriever.owners:
            return self.public
        with self._lock:
            pipeline = self._owners.pop(owner, None)
            if pipeline is None:
                pipeline = self._make(self._retriever.visible_to(visibility))
            self._owners[owner] = pipeline
            while len(self._owners) > self._keep:
                self._owners.popitem(last=False)
            return pipeline

    def scope(self, visibility: Visibility, corpus: frozenset[str]) -> SearchScope:
        """What `visibility` searches in this build, counted by kind; `corpus`: the articles' file names."""
        public = self._retriever.sources_of(None)
        own = self._retriever.sources_of(visibility.owner) if visibility.owner else set()
        return SearchScope(articles=len(public & corpus), shared_documents=len(public - corpus), own_documents=len(own))
