"""The loaded embedding model: the SentenceTransformer behind it is reachable without private attributes,
and a question is embedded with the configured number of torch threads."""

from dataclasses import replace

import numpy as np
from sentence_transformers import SentenceTransformer

from index.embedder import Embedder


def test_the_sentence_transformer_is_the_model_that_embeds(embedder):
    model = embedder.sentence_transformer
    assert isinstance(model, SentenceTransformer)
    vector = model.encode(["边境线"])[0]
    assert len(vector) == len(embedder.embed_query("边境线")) == model.get_embedding_dimension()


class _ThreadsSeenByFakeModel:
    """A fake llama-index model that records torch's thread count while it embeds a question."""

    def __init__(self):
        self.seen: list[int] = []

    def get_query_embedding(self, text: str) -> list[float]:
        import torch

        self.seen.append(torch.get_num_threads())
        return [float(len(text))]


class TestQueryThreads:
    def test_a_question_is_embedded_with_the_query_threads_then_the_thread_goes_back_fake_model(self, embedder):
        import torch

        before = torch.get_num_threads()
        model = _ThreadsSeenByFakeModel()
        plain = Embedder(spec=embedder.spec, model=model, query_threads=1, batch_threads=before)
        assert plain.embed_query("边境线") == [3.0]
        assert model.seen == [1]
        assert torch.get_num_threads() == before

    def test_without_query_threads_the_thread_count_is_left_alone_fake_model(self, embedder):
        import torch

        model = _ThreadsSeenByFakeModel()
        Embedder(spec=embedder.spec, model=model).embed_query("边境线")
        assert model.seen == [torch.get_num_threads()]

    def test_one_thread_gives_the_vectors_the_default_threads_give(self, embedder):
        import torch

        # the real model: single-threaded reductions may round differently, but not by more than this
        one = Embedder(spec=embedder.spec, model=embedder.model, query_threads=1, batch_threads=torch.get_num_threads())
        default = Embedder(spec=embedder.spec, model=embedder.model)
        for question in ("俄哈边境线有多长？", "How long is the Russia-Kazakhstan border?", "托卡耶夫为什么不承认顿巴斯"):
            assert np.allclose(one.embed_query(question), default.embed_query(question), atol=1e-6)

    def test_the_setting_reaches_the_loaded_embedder(self, base_index_settings, monkeypatch):
        import index.embedder as module

        monkeypatch.setattr(module, "resolve_model_path", lambda *args, **kwargs: "unused")
        monkeypatch.setattr(module, "resolve_compact_tokenizer", lambda *args, **kwargs: None)
        monkeypatch.setattr(module, "load_embedder", lambda spec, path, **kwargs: _ThreadsSeenByFakeModel())
        loaded = Embedder.load(replace(base_index_settings, query_threads=1))
        loaded.embed_query("边境线")
        assert (loaded.query_threads, loaded.model.seen) == (1, [1])


def test_the_default_model_embeds_exactly_as_huggingface_embedding_did(embedder, reference_embedding):
    """Loaded with its compact tokenizer and kzqa's own llama-index wrapper: the same vectors, bit for bit,
    for questions and for passages in padded batches (what indexes stored and what answers are retrieved by)."""
    questions = ["俄哈边境线有多长？", "Why did Kazakhstan stay neutral?", "", "哈萨克斯坦" * 200]
    passages = ["哈萨克斯坦是中亚面积最大的国家。", "Kazakhstan pledged to comply with sanctions.", "边境" * 400] * 7
    model = embedder.model  # not embedder.embed_passages: the session's embedder remembers vectors
    assert [model.get_query_embedding(q) for q in questions] == [
        reference_embedding.get_query_embedding(q) for q in questions
    ]
    assert model.get_text_embedding_batch(passages) == reference_embedding.get_text_embedding_batch(passages)


def test_the_default_model_does_not_load_tokenizer_json(embedder):
    from index.compact_tokenizer import CompactTokenizer
    from index.sentence_transformer_embedding import SentenceTransformerEmbedding

    assert isinstance(embedder.model, SentenceTransformerEmbedding)
    assert isinstance(embedder.sentence_transformer[0].tokenizer, CompactTokenizer)
