"""Order the candidate sentences by how likely each states the answer, with a fitted model.

The model is data (models/ranker.json: boosted trees over the features), fitted on the `tune`
split by benchmarks/fit_answer_models.py; this class only applies it.
"""

from __future__ import annotations

from chat_app.engine.features import FEATURES, FeatureExtractor
from chat_app.engine.records import CandidatePool, Question, RankedEvidence, ScoredSentence
from chat_app.engine.tree_model import TreeModel

RANKER_MODEL = "ranker"


class EvidenceRanker:
    def __init__(self, extractor: FeatureExtractor, model: TreeModel | None = None):
        self._extractor = extractor
        self._model = model or TreeModel.load(RANKER_MODEL, expected=FEATURES)

    def run(self, question: Question, pool: CandidatePool) -> RankedEvidence:
        matrix = self._extractor.run(question, pool)
        columns = [FEATURES.index(name) for name in self._model.features]
        probabilities = self._model.probabilities(matrix[:, columns]) if len(matrix) else []
        scored = [
            ScoredSentence(candidate, float(p), dict(zip(FEATURES, map(float, row), strict=True)))
            for candidate, p, row in zip(pool.candidates, probabilities, matrix, strict=True)
        ]
        scored.sort(key=lambda s: (-s.probability, s.candidate.row))
        return RankedEvidence(sentences=tuple(scored), pool=pool)
