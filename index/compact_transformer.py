"""The rebuilt fp32 e5 folder run by sentence-transformers with the compact tokenizer (index.compact_tokenizer).

sentence-transformers' Transformer module always loads the folder's tokenizer.json (~300 MB of RSS).
This input module runs the same transformers model, loaded as that module loads it, on the compact
tokenizer's ids (the fast tokenizer's ids), and is followed by sentence-transformers' own mean Pooling
and Normalize, as index.onnx_backend does for int8; tests/index/test_compact_transformer.py checks that
the vectors are the ones the Transformer module gives, bit for bit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from index.compact_tokenizer import CompactTokenizer
from index.mapped_table import mapped_table
from index.sentence_transformers_lean import InputModule, Normalize, Pooling, SentenceTransformer

_MODEL_INPUTS = ("input_ids", "attention_mask")  # what the fast tokenizer gives the model: no token_type_ids


class CompactTransformer(InputModule):
    """Tokenizes with the compact tokenizer and returns the transformers model's token embeddings."""

    def __init__(self, model_dir: Path, tokenizer: CompactTokenizer, *, max_seq_length: int):
        super().__init__()
        from transformers import AutoConfig, AutoModel

        self.tokenizer = tokenizer
        self.max_seq_length = max_seq_length
        # As sentence-transformers' Transformer module loads a feature-extraction model: AutoModel over its
        # config, with the key/value cache off (an encoder never uses it; the configs are then the same).
        config = AutoConfig.from_pretrained(str(model_dir), use_cache=False)
        self.auto_model = AutoModel.from_pretrained(str(model_dir), config=config)
        # Read in place from the model file: its pages are given back after each pass (index.mapped_table).
        self.word_table = mapped_table(self.auto_model.get_input_embeddings().weight)

    def preprocess(self, inputs: Sequence[str], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [(prompt or "") + text for text in inputs]
        batch = self.tokenizer.batch(texts, max_length=self.max_seq_length)
        return {name: torch.tensor(batch[name], dtype=torch.long) for name in _MODEL_INPUTS}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        output = self.auto_model(**{name: features[name] for name in _MODEL_INPUTS}, return_dict=True)
        features["token_embeddings"] = output.last_hidden_state
        if self.word_table is not None:
            self.word_table.release()
        return features

    def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("the compact tokenizer folder is written by index.compact_tokenizer_build, not saved")


def load_compact_sentence_transformer(
    model_dir: Path, tokenizer_dir: Path, *, prompts: dict[str, str]
) -> SentenceTransformer:
    """A SentenceTransformer over the fp32 folder `model_dir` that reads text with the compact tokenizer."""
    model_dir = Path(model_dir)
    st_config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    modules = [
        CompactTransformer(
            model_dir, CompactTokenizer.load(Path(tokenizer_dir)), max_seq_length=st_config["max_seq_length"]
        ),
        Pooling(pooling["word_embedding_dimension"], pooling_mode="mean"),
        Normalize(),
    ]
    return SentenceTransformer(modules=modules, device="cpu", prompts=prompts)
