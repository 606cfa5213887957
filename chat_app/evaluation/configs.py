"""The configurations `kzqa eval` compares side by side.

hybrid is the product. vector and bm25 are the same Assistant with retrieval held to one retriever,
so their rows isolate what fusion adds. baseline is LlamaIndex's starter pipeline, so its row shows
what kzqa as a whole adds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from chat_app.answer import Answer
from chat_app.assistant import Assistant, History
from chat_app.config import KzqaConfig
from chat_app.evaluation.baseline import StarterBaseline
from chat_app.index_settings import index_settings
from index.embedder import Embedder
from index.hybrid_retriever import RetrievalMode
from ingest.choices import parse_choice

Ask = Callable[[str, History], Answer]


class ConfigName(StrEnum):
    HYBRID = "hybrid"
    VECTOR = "vector"
    BM25 = "bm25"
    BASELINE = "baseline"

    @classmethod
    def from_str(cls, value: str) -> ConfigName:
        return parse_choice(cls, value, what="eval configuration", valid_label="valid configurations")


DESCRIPTIONS: dict[ConfigName, str] = {
    ConfigName.HYBRID: "kzqa as shipped: vector + BM25 fused (RRF), extractive answer with refusal",
    ConfigName.VECTOR: "kzqa with vector retrieval only",
    ConfigName.BM25: "kzqa with BM25 (jieba) retrieval only",
    ConfigName.BASELINE: "LlamaIndex starter: SimpleDirectoryReader + SentenceSplitter, vector top-2, top passage",
}


@dataclass(frozen=True)
class EvalConfig:
    name: ConfigName
    description: str
    ask: Ask  # ask(question, history) -> Answer


@dataclass(frozen=True)
class Loaded:
    configs: list[EvalConfig]
    setup_seconds: dict[str, float]  # what was loaded or built before the first question → seconds


def _kzqa(config: KzqaConfig, embedder: Embedder, mode: RetrievalMode, status: Callable[[str], None] | None) -> Ask:
    # One Assistant per configuration, so each starts with a cold sentence-embedding cache and its
    # latencies do not depend on which configuration ran first.
    # Only retrieval changes: the product's own chat path (condenser, answerer, refusal) runs as is.
    assistant = Assistant(config.with_overrides(retrieval_mode=mode.value), embedder=embedder, status=status)
    return assistant.chat


def build_configs(
    names: Sequence[ConfigName],
    *,
    config: KzqaConfig,
    embedder: Embedder,
    status: Callable[[str], None] | None = None,
) -> Loaded:
    """The named configurations, sharing one loaded embedding model.

    kzqa's open the index (the first builds it if there is none); the baseline embeds the raw files
    of `config.corpus_dir` into its own in-memory index.
    """
    builders: dict[ConfigName, Callable[[], Ask]] = {
        ConfigName.HYBRID: lambda: _kzqa(config, embedder, RetrievalMode.HYBRID, status),
        ConfigName.VECTOR: lambda: _kzqa(config, embedder, RetrievalMode.VECTOR, status),
        ConfigName.BM25: lambda: _kzqa(config, embedder, RetrievalMode.BM25, status),
        ConfigName.BASELINE: lambda: StarterBaseline(config.corpus_dir, embed_model=embedder.model).chat,
    }
    configs, setup = [], {}
    for name in names:
        if status and name == ConfigName.BASELINE:
            status("building the baseline's in-memory index (LlamaIndex starter pipeline)")
        started = time.perf_counter()
        configs.append(EvalConfig(name=name, description=DESCRIPTIONS[name], ask=builders[name]()))
        setup[name.value] = time.perf_counter() - started
    return Loaded(configs=configs, setup_seconds=setup)


def load_configs(
    names: Sequence[ConfigName], config: KzqaConfig, *, status: Callable[[str], None] | None = None
) -> Loaded:
    """Load the embedding model once, then the configurations."""
    started = time.perf_counter()
    embedder = Embedder.load(index_settings(config), progress=status)
    model_seconds = time.perf_counter() - started
    loaded = build_configs(names, config=config, embedder=embedder, status=status)
    return Loaded(configs=loaded.configs, setup_seconds={"embedding model": model_seconds, **loaded.setup_seconds})
