"""Hybrid retrieval over the real index of the five articles."""

import pytest

from index.hybrid_retriever import RetrievalMode
from tests.support.paths import PAPER, VOA, WSJ


def test_the_full_build_indexed_all_five_articles(corpus_index):
    _, summary = corpus_index
    assert summary.documents == 5 and summary.skipped == []
    assert summary.chunks == summary.embedded > 100


@pytest.mark.parametrize(("mode", "within"), [("hybrid", 1), ("bm25", 1), ("vector", 3)])
def test_a_chinese_fact_question_finds_its_article_at_the_top(retriever, mode, within):
    passages = retriever.retrieve("中国外交部发言人汪文斌1月7日对集安组织出兵说了什么？", k=5, mode=RetrievalMode(mode))
    top = passages[:within]
    assert any(p.source == VOA and "汪文斌" in p.text for p in top)


def test_a_table_question_finds_the_gdp_rows(retriever):
    passages = retriever.retrieve("2017到2021年俄罗斯和哈萨克斯坦GDP的比值是多少？", k=3)
    assert passages[0].source == PAPER
    assert any("2017-2021：俄罗斯GDP（平均值）1637.8" in p.text for p in passages)


def test_an_english_question_retrieves_chinese_passages_across_languages(retriever):
    passages = retriever.retrieve("How long is the border between Russia and Kazakhstan?", k=5)
    assert any("边境线" in p.text for p in passages)


def test_an_english_question_is_keyword_searched_through_its_chinese_translation(retriever):
    passages = retriever.retrieve("Who is Nazarbayev?", k=3, mode=RetrievalMode.BM25)
    assert passages and all("纳扎尔巴耶夫" in p.text for p in passages)


def test_passages_carry_exact_offsets_into_the_cleaned_article(retriever, documents):
    for passage in retriever.retrieve("俄哈边境线有多长？", k=5):
        document = documents[passage.source].document
        assert document.text[passage.start : passage.end] == passage.text
        assert passage.title == document.title


def test_hybrid_passages_report_both_component_ranks_and_fused_order(retriever):
    passages = retriever.retrieve("俄哈边境线有多长？", k=5)
    assert passages[0].source in (WSJ, PAPER)
    assert passages[0].vector_rank is not None and passages[0].bm25_rank is not None
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    assert passages[0].vector_similarity is not None and 0 < passages[0].vector_similarity <= 1


@pytest.mark.parametrize("k", [1, 3, 8])
def test_k_passages_are_returned(retriever, k):
    assert len(retriever.retrieve("哈萨克斯坦的外交政策", k=k)) == k


def test_single_mode_passages_have_only_their_own_rank(retriever):
    for passage in retriever.retrieve("集安组织", k=3, mode=RetrievalMode.BM25):
        assert passage.bm25_rank is not None and passage.vector_rank is None
    for passage in retriever.retrieve("集安组织", k=3, mode=RetrievalMode.VECTOR):
        assert passage.vector_rank is not None and passage.bm25_rank is None


def test_unknown_mode_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid modes: hybrid, vector, bm25"):
        RetrievalMode.from_str("dense")
