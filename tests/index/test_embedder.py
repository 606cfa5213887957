"""The loaded embedding model: the SentenceTransformer behind it is reachable without private attributes."""

from sentence_transformers import SentenceTransformer


def test_the_sentence_transformer_is_the_model_that_embeds(embedder):
    model = embedder.sentence_transformer
    assert isinstance(model, SentenceTransformer)
    vector = model.encode(["边境线"])[0]
    assert len(vector) == len(embedder.embed_query("边境线")) == model.get_embedding_dimension()
