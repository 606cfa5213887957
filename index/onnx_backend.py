"""The int8 ONNX folder (index.int8_model) run by sentence-transformers: an input module whose
forward pass is an onnxruntime session, followed by sentence-transformers' own mean Pooling and
Normalize, so prompts, batching and pooling are exactly those of the fp32 model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from index.int8_files import ONNX_FILE
from index.model_rebuild import PROMPTS
from index.sentence_transformers_lean import InputModule, Normalize, Pooling, SentenceTransformer


class OnnxTransformer(InputModule):
    """Tokenizes like sentence-transformers' Transformer module and returns the ONNX encoder's token embeddings."""

    def __init__(self, folder: Path, *, max_seq_length: int):
        super().__init__()
        import onnxruntime
        from transformers import AutoTokenizer

        self.folder = Path(folder)
        self.max_seq_length = max_seq_length
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.folder))
        self._session = onnxruntime.InferenceSession(str(self.folder / ONNX_FILE), providers=["CPUExecutionProvider"])

    def preprocess(self, inputs: Sequence[str], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [(prompt or "") + text for text in inputs]
        return dict(
            self.tokenizer(
                texts, padding=True, truncation="longest_first", max_length=self.max_seq_length, return_tensors="pt"
            )
        )

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        feeds = {name: features[name].numpy().astype(np.int64) for name in ("input_ids", "attention_mask")}
        (token_embeddings,) = self._session.run(["token_embeddings"], feeds)
        features["token_embeddings"] = torch.from_numpy(token_embeddings)
        return features

    def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("the int8 folder is written by index.int8_model.ensure_int8_model, not saved")


def load_int8_sentence_transformer(folder: Path, *, prompts: dict[str, str] | None = None) -> SentenceTransformer:
    """A SentenceTransformer over the int8 folder; `prompts` maps prompt names to prefixes (e5's by default)."""
    folder = Path(folder)
    st_config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    modules = [
        OnnxTransformer(folder, max_seq_length=st_config["max_seq_length"]),
        Pooling(pooling["word_embedding_dimension"], pooling_mode="mean"),
        Normalize(),
    ]
    return SentenceTransformer(modules=modules, device="cpu", prompts=prompts or dict(PROMPTS))
