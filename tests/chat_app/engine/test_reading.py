"""The reading stages over the real index of the five articles: candidates, features and ranking."""

import numpy as np
import pytest

from chat_app.engine.features import FEATURES
from chat_app.engine.ranker import EvidenceRanker
from chat_app.engine.reading import Reader
from tests.support.paths import WSJ


@pytest.fixture(scope="module")
def reader(retriever):
    return Reader.over(retriever)


@pytest.fixture(scope="module")
def troops(reader):
    question = reader.question("一月份俄罗斯往哈萨克斯坦派了多少兵？")
    return question, reader.pool(question)


def test_the_pool_holds_every_sentence_of_the_best_chunks_and_the_best_sentences_of_the_index(retriever, troops):
    question, pool = troops
    rows = {c.row for c in pool.candidates}
    store = retriever.sentences
    for chunk_id in pool.hybrid_order:
        assert set(store.by_chunk[chunk_id]) <= rows
    best_by_cosine = int(np.argmax(store.cosines(retriever.embedder.embed_query(question.standalone))))
    assert best_by_cosine in rows
    assert all(c.chunk_id in pool.passages for c in pool.candidates)


def test_candidate_offsets_point_into_their_chunk(troops):
    _, pool = troops
    for candidate in pool.candidates:
        assert pool.passages[candidate.chunk_id].text[candidate.start : candidate.end] == candidate.text


def test_features_describe_what_each_sentence_holds(reader, troops):
    question, pool = troops
    matrix = reader.extractor.run(question, pool)
    assert matrix.shape == (len(pool.candidates), len(FEATURES)) and np.isfinite(matrix).all()
    column = {name: FEATURES.index(name) for name in FEATURES}
    for candidate, row in zip(pool.candidates, matrix, strict=True):
        if "2,000多名士兵" in candidate.text:
            assert row[column["type_hit"]] == 1.0 and row[column["type_miss"]] == 0.0
        assert 0.0 <= row[column["cover"]] <= row[column["cover_window"]] + 1e-9 <= 1.0 + 1e-9
        assert row[column["cosine_gap"]] >= -1e-6


def test_the_ranker_puts_the_sentence_that_answers_first(reader, troops):
    question, pool = troops
    ranked = EvidenceRanker(reader.extractor).run(question, pool)
    assert "2,000多名士兵" in ranked.sentences[0].candidate.text
    assert ranked.passage(ranked.sentences[0]).source == WSJ
    probabilities = [s.probability for s in ranked.sentences]
    assert probabilities == sorted(probabilities, reverse=True)
    assert ranked.top_passages(3)[0].chunk_id == ranked.sentences[0].candidate.chunk_id
