"""CandidateRetriever over the real index of the five articles (real model, Chroma and jieba)."""

from dataclasses import replace

from chat_app.engine.candidates import CandidateRetriever
from tests.support.fake_evidence import question_about


def test_the_pool_carries_the_chunk_after_each_scored_one_as_text_only(retriever):
    question = replace(
        question_about(["经济"], answer_type="manner", text="俄乌冲突给哈萨克斯坦经济带来了哪些冲击？"),
        search_tokens=("经济", "冲击"),
    )
    pool = CandidateRetriever(retriever).run(question)
    scored = {c.chunk_id for c in pool.candidates}
    store = retriever.sentences
    following = {}
    for chunk_id in scored:
        row = max(store.by_chunk[chunk_id]) + 1
        if row < len(store.records):
            following[store.records[row].chunk_id] = pool.passages[chunk_id].source
    carried = set(pool.passages) - scored
    assert carried, "no following chunk was carried"
    for chunk_id, source in following.items():
        if retriever.passage(chunk_id).source == source:
            assert chunk_id in pool.passages  # the article's next chunk is there
        else:
            assert chunk_id not in carried  # the next article's first chunk is not


def test_a_question_not_asking_why_or_how_carries_no_chunk_it_does_not_score(retriever):
    question = replace(question_about(["经济"], text="哈萨克斯坦经济增长了多少？"), search_tokens=("经济", "增长"))
    pool = CandidateRetriever(retriever).run(question)
    assert set(pool.passages) == {c.chunk_id for c in pool.candidates} | set(pool.hybrid_order)
