"""The caching embedders: each text (passage or question) is embedded once while it stays among the most
recently used. A fake model stands in: what is tested is the cache, not the vectors."""

from __future__ import annotations

import pytest

from index.caching_embedder import CachingEmbedder, CachingQueryEmbedder


class FakeEmbedder:
    """A deterministic stand-in for the model: a text's vector is [its length, its call number]."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return [[float(len(text)), float(len(self.batches))] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        self.batches.append([text])
        return [float(len(text)), float(len(self.batches))]


class TestCachingEmbedder:
    def test_vectors_come_back_in_the_order_asked_repeats_included(self):
        cache = CachingEmbedder(FakeEmbedder())
        assert cache.embed_passages(["ab", "c", "ab"]) == [[2.0, 1.0], [1.0, 1.0], [2.0, 1.0]]

    def test_only_unseen_texts_are_embedded_in_one_batch(self):
        fake = FakeEmbedder()
        cache = CachingEmbedder(fake)
        cache.embed_passages(["a", "b", "a"])
        assert cache.embed_passages(["b", "c", "d", "c"]) == [[1.0, 1.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]
        assert fake.batches == [["a", "b"], ["c", "d"]]

    def test_nothing_new_means_no_model_call(self):
        fake = FakeEmbedder()
        cache = CachingEmbedder(fake)
        cache.embed_passages(["a"])
        cache.embed_passages(["a", "a"])
        assert fake.batches == [["a"]]

    def test_the_least_recently_used_text_goes_first(self):
        fake = FakeEmbedder()
        cache = CachingEmbedder(fake, size=2)
        cache.embed_passages(["a", "b"])
        cache.embed_passages(["a"])  # b is now the least recently used
        cache.embed_passages(["c"])
        assert len(cache) == 2
        cache.embed_passages(["a", "b"])
        assert fake.batches == [["a", "b"], ["c"], ["b"]]

    def test_a_batch_larger_than_the_cache_is_still_answered_whole(self):
        cache = CachingEmbedder(FakeEmbedder(), size=1)
        assert cache.embed_passages(["a", "bb", "ccc"]) == [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]
        assert len(cache) == 1

    def test_an_empty_request_asks_the_model_nothing(self):
        fake = FakeEmbedder()
        assert CachingEmbedder(fake).embed_passages([]) == []
        assert fake.batches == []

    def test_a_size_below_one_is_refused(self):
        with pytest.raises(ValueError, match="at least one vector, not 0"):
            CachingEmbedder(FakeEmbedder(), size=0)


class TestCachingQueryEmbedderWithFakeModel:
    def test_a_question_asked_again_gets_the_first_vector_without_a_model_call(self):
        fake = FakeEmbedder()
        cache = CachingQueryEmbedder(fake)
        assert cache.embed_query("ab") == [2.0, 1.0]
        assert cache.embed_query("c") == [1.0, 2.0]
        assert cache.embed_query("ab") == [2.0, 1.0]
        assert fake.batches == [["ab"], ["c"]]

    def test_a_caller_changing_its_vector_does_not_change_the_remembered_one(self):
        cache = CachingQueryEmbedder(FakeEmbedder())
        cache.embed_query("ab").append(99.0)
        assert cache.embed_query("ab") == [2.0, 1.0]

    def test_the_least_recently_asked_question_goes_first(self):
        fake = FakeEmbedder()
        cache = CachingQueryEmbedder(fake, size=2)
        for question in ("a", "b", "a", "c", "a", "b"):  # c pushes out b, then b pushes out a
            cache.embed_query(question)
        assert len(cache) == 2
        assert fake.batches == [["a"], ["b"], ["c"], ["b"]]

    def test_a_size_below_one_is_refused(self):
        with pytest.raises(ValueError, match="at least one vector, not 0"):
            CachingQueryEmbedder(FakeEmbedder(), size=0)
