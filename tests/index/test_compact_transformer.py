"""The fp32 model reading text with the compact tokenizer embeds bit for bit as sentence-transformers' own
Transformer module with tokenizer.json does: questions and passages, one at a time and in padded batches,
short and cut to the model's 512 tokens."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from index.compact_transformer import CompactTransformer
from tests.support.paths import CORPUS_DIR, DEV_SET


@pytest.fixture(scope="module")
def reference(reference_embedding):
    return reference_embedding._model  # the SentenceTransformer HuggingFaceEmbedding loaded


@pytest.fixture(scope="module")
def compact(embedder):
    model = embedder.sentence_transformer
    assert isinstance(model[0], CompactTransformer)
    return model


def questions() -> list[str]:
    cases = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    return [case["question"] for case in cases[::10]]


def passages() -> list[str]:
    """Sentences of every article, two whole articles (far over 512 tokens) and a few odd texts."""
    texts: list[str] = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        article = path.read_text(encoding="utf-8")
        texts += [s for s in re.split(r"(?<=[。！？])", article) if s.strip()][:12]
    articles = sorted(CORPUS_DIR.glob("*.txt"))[:2]
    return texts + [path.read_text(encoding="utf-8") for path in articles] + ["", " ", "<s>哈</s>", "x" * 900]


def embed(model, texts: list[str], prompt_name: str, batch_size: int) -> np.ndarray:
    return model.encode(texts, prompt_name=prompt_name, batch_size=batch_size, normalize_embeddings=True)


@pytest.mark.parametrize("batch_size", [1, 16])
def test_questions_embed_bit_for_bit_as_with_tokenizer_json(reference, compact, batch_size):
    texts = questions()
    assert len(texts) >= 60
    assert np.array_equal(embed(compact, texts, "query", batch_size), embed(reference, texts, "query", batch_size))


def test_passages_embed_bit_for_bit_as_with_tokenizer_json(reference, compact):
    texts = passages()
    assert len(texts) >= 60
    assert np.array_equal(embed(compact, texts, "text", 16), embed(reference, texts, "text", 16))


def test_the_model_is_loaded_as_the_transformer_module_loads_it(reference, compact):
    ours, theirs = compact[0].auto_model, reference[0].auto_model
    assert type(ours) is type(theirs)
    assert ours.config.to_dict() == theirs.config.to_dict()
    assert compact.max_seq_length == reference.max_seq_length == 512
    assert [type(module) for module in compact][1:] == [type(module) for module in reference][1:]
