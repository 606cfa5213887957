"""Which tokenizer the embedding model reads text with: the compact one for the default fp32 model, the model's
own otherwise, and the model's own (saying so) when the compact one cannot be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.compact_tokenizer_build import CompactTokenizerError
from index.embedding import DEFAULT_MODEL, EmbedBackend, resolve_compact_tokenizer
from index.model_rebuild import default_model_dir


@pytest.fixture(scope="module")
def fp32_dir(base_index_settings, embedder) -> Path:
    return default_model_dir(base_index_settings.model_cache_dir)  # `embedder` made sure it is built


def test_the_default_fp32_model_reads_with_its_compact_tokenizer(fp32_dir):
    folder = resolve_compact_tokenizer(DEFAULT_MODEL, str(fp32_dir))
    assert folder == fp32_dir.parent / f"{fp32_dir.name}-compact-tokenizer"


@pytest.mark.parametrize(
    ("model", "backend"),
    [("BAAI/bge-small-zh-v1.5", EmbedBackend.TORCH), (DEFAULT_MODEL, EmbedBackend.ONNX_INT8)],
    ids=["another model", "the int8 backend"],
)
def test_other_models_and_backends_read_with_their_own_tokenizer(model, backend, fp32_dir):
    assert resolve_compact_tokenizer(model, str(fp32_dir), backend=backend) is None


def test_when_it_cannot_be_written_the_models_own_tokenizer_reads_and_the_user_is_told(fp32_dir, monkeypatch):
    def fail(*args, **kwargs):
        raise CompactTokenizerError("could not write the compact tokenizer to /x: disk full")

    monkeypatch.setattr("index.compact_tokenizer_build.ensure_compact_tokenizer", fail)
    messages: list[str] = []
    assert resolve_compact_tokenizer(DEFAULT_MODEL, str(fp32_dir), progress=messages.append) is None
    assert messages == [
        "could not write the compact tokenizer to /x: disk full; "
        "using the model's tokenizer.json instead (about 300 MB more memory)"
    ]
