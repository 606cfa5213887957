"""The test session's shared vectors: what one worker keeps, another recalls exactly, without the model."""

from tests.support.remembering_embedder import RememberingEmbedder


def test_recalled_vectors_are_the_kept_ones_bit_for_bit_and_need_no_model(corpus_index, embedder, tmp_path):
    kept = tmp_path / "vectors.npz"
    embedder.keep(kept)
    other = RememberingEmbedder(spec=embedder.spec, model=None)  # would fail if it had to embed
    assert other.recall(kept) == len(embedder.remembered) > 100
    texts = list(embedder.remembered)[:50]
    assert other.embed_passages(texts) == embedder.embed_passages(texts)
    assert other.recall(kept) == 0  # nothing new the second time


def test_nothing_is_recalled_before_another_worker_kept_anything(embedder, tmp_path):
    other = RememberingEmbedder(spec=embedder.spec, model=None)
    assert other.recall(tmp_path / "not-written-yet.npz") == 0
    assert other.remembered == {}
