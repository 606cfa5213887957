"""The engine's reading stages, which need no fitted model: resolve a message in its conversation,
analyse it, gather candidate sentences and describe them by features.

Shared by the answer pipeline and by the script that fits the models, so both see the same inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chat_app.engine.candidates import CandidateRetriever
from chat_app.engine.entities import EntityMatcher
from chat_app.engine.features import FeatureExtractor
from chat_app.engine.followup import FollowUpResolver
from chat_app.engine.question import QuestionAnalyzer
from chat_app.engine.records import CandidatePool, Question
from chat_app.engine.source_scope import SourceScope
from chat_app.engine.vocabulary import Vocabulary
from index.hybrid_retriever import HybridRetriever, RetrievalMode


def vocabulary_of(retriever: HybridRetriever) -> Vocabulary:
    """The indexed chunks' texts (with their section headings) as a Vocabulary."""
    return Vocabulary(f"{r.section}\n{r.text}" for r in retriever.records.values())


@dataclass(frozen=True)
class Reader:
    resolver: FollowUpResolver
    analyzer: QuestionAnalyzer
    gatherer: CandidateRetriever
    extractor: FeatureExtractor
    vocabulary: Vocabulary

    @classmethod
    def over(cls, retriever: HybridRetriever, *, mode: RetrievalMode = RetrievalMode.HYBRID) -> Reader:
        entities = EntityMatcher()
        vocabulary = vocabulary_of(retriever)
        return cls(
            vocabulary=vocabulary,
            resolver=FollowUpResolver(entities=entities, vocabulary=vocabulary),
            analyzer=QuestionAnalyzer(
                vocabulary=vocabulary,
                lexicon=retriever.lexicon,
                entities=entities,
                scope=SourceScope(record.publisher for record in retriever.records.values()),
            ),
            gatherer=CandidateRetriever(retriever, mode=mode),
            extractor=FeatureExtractor(retriever, entities=entities),
        )

    def question(self, message: str, history: Sequence[Mapping[str, str]] = ()) -> Question:
        return self.analyzer.run(self.resolver.run(message, history))

    def pool(self, question: Question) -> CandidatePool:
        return SourceScope.restrict(self.gatherer.run(question), question.sources)
