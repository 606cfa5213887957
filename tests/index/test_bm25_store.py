"""BM25 over jieba tokens: ranking, persistence and edge cases (real bm25s, real jieba)."""

from index.bm25_store import BM25Store
from index.chinese_tokenizer import ChineseTokenizer

CHUNKS = [
    ("border", "俄哈两国边境线长达4,750英里（约合7,644公里）。"),
    ("gdp", "2017-2021：俄罗斯GDP（平均值）1637.8，哈萨克斯坦GDP（平均值）177.9，比值9.2:1。"),
    ("csto", "集安组织派遣维和部队前往哈萨克斯坦。"),
    ("punctuation", "……！！"),
]


def test_the_chunk_sharing_the_rare_terms_ranks_first():
    store = BM25Store.build(CHUNKS, ChineseTokenizer())
    hits = store.search("俄哈边境线有多长", k=3)
    assert hits[0].chunk_id == "border"
    assert all(hit.score > 0 for hit in hits)


def test_chunks_without_any_shared_term_are_not_returned():
    store = BM25Store.build(CHUNKS, ChineseTokenizer())
    assert [hit.chunk_id for hit in store.search("集安组织", k=4)] == ["csto"]


def test_a_query_of_only_stopwords_returns_nothing():
    store = BM25Store.build(CHUNKS, ChineseTokenizer())
    assert store.search("是什么？", k=3) == []


def test_saved_store_loads_and_ranks_the_same(tmp_path):
    store = BM25Store.build(CHUNKS, ChineseTokenizer())
    store.save(tmp_path / "bm25")
    loaded = BM25Store.load(tmp_path / "bm25")
    assert loaded.search("比值9.2:1", k=2) == store.search("比值9.2:1", k=2)
    assert loaded.tokenizer_mode == store.tokenizer_mode


def test_a_chunk_with_no_tokens_keeps_later_ids_aligned():
    store = BM25Store.build([("empty", "。。。"), *CHUNKS], ChineseTokenizer())
    assert store.search("集安组织", k=1)[0].chunk_id == "csto"
