"""Write the compact tokenizer (index.compact_tokenizer) once, beside the rebuilt fp32 e5 folder.

It is made from that folder's tokenizer.json. Like the int8 conversion: offline, locked, written to a
temp folder, checked against the fast tokenizer, and renamed into place; a marker written last says the
folder is complete and which fp32 build it was made from, so a rebuilt fp32 folder gets a new one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.compact_tokenizer import FORMAT_VERSION, PIECES_FILE, PIPELINE_FILE, CompactTokenizer
from index.errors import EmbeddingModelUnavailable
from index.file_lock import file_lock
from index.model_folder import check_replaceable, install_build, remove_stale_temps, temp_folder_for
from index.model_rebuild import MARKER_FILE as FP32_MARKER_FILE

MARKER_FILE = "kzqa_compact_tokenizer.json"
_BUILD_ENTRIES = frozenset({PIECES_FILE, PIPELINE_FILE, MARKER_FILE})

# Build-time probes, one or more per path through the tokenizer; the tests check the whole corpus.
VERIFY_TEXTS: tuple[str, ...] = (
    "query: 俄哈边境线有多长？",
    "passage: 哈萨克斯坦是中亚面积最大的国家，与俄罗斯有着世界第二长的陆地边境线。",
    "Kazakhstan pledged to comply with Western sanctions against Russia.",
    "Казахстан и Россия: Токаев, ОДКБ — 2022 г.",
    "Қазақстан Республикасы",
    "<s>special</s> tokens <pad> in <mask> the <unk> text",  # matched before normalization
    "＜unk＞ ＜s＞ ～ ＡＢＣ１２３ ﬁ ① ㍿",  # full-width and compatibility forms (NFKC, and the kept "～")
    "tab\tnew\nline\r\x00\x01\x1f\x7f\u200b\u2028 \u3000end",  # control characters and exotic spaces
    "  leading, double  spaces and trailing  ",
    "x" * 40 + " " + "哈" * 12 + " ......",  # equal-scoring splits: the first best path must win
    "😀🇰🇿👍🏽 \U0001d11e \U000e0041",  # unknown characters, fused into one <unk>
    "",
    " ",
)


class CompactTokenizerError(EmbeddingModelUnavailable):
    """The compact tokenizer could not be written; the message says what failed."""


@dataclass(frozen=True)
class CompactTokenizerFolder:
    path: Path
    built: bool  # False when an existing verified folder was reused


def compact_tokenizer_dir_for(fp32_dir: Path) -> Path:
    return fp32_dir.parent / f"{fp32_dir.name}-compact-tokenizer"


def ensure_compact_tokenizer(
    fp32_dir: Path, target_dir: Path, *, progress: Callable[[str], None] | None = None
) -> CompactTokenizerFolder:
    """A ready compact tokenizer folder at `target_dir`, written from the complete fp32 folder `fp32_dir`."""
    report = progress or (lambda _message: None)
    fp32_dir, target_dir = Path(fp32_dir).absolute(), Path(target_dir).absolute()
    source = _source_id(fp32_dir)
    if _is_complete(target_dir, source):
        return CompactTokenizerFolder(target_dir, built=False)
    try:
        target_dir.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(target_dir.parent / f".{target_dir.name}.lock"):
            if _is_complete(target_dir, source):
                return CompactTokenizerFolder(target_dir, built=False)
            _check_replaceable(target_dir)
            remove_stale_temps(target_dir)
            tmp = temp_folder_for(target_dir)
            try:
                report("writing the embedding model's compact tokenizer (once, a few seconds)")
                _write(fp32_dir, tmp)
                _verify(fp32_dir, tmp)
                _write_marker(tmp, source)
                _install(tmp, target_dir)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        raise CompactTokenizerError(f"could not write the compact tokenizer to {target_dir}: {exc}") from exc
    return CompactTokenizerFolder(target_dir, built=True)


# ---------------------------------------------------------------- identity and marker


def _source_id(fp32_dir: Path) -> str:
    """What the folder is made from: the fp32 folder's completion marker and this format."""
    try:
        marker = (fp32_dir / FP32_MARKER_FILE).read_bytes()
    except OSError as exc:
        raise CompactTokenizerError(f"{fp32_dir} is not a complete fp32 model build ({exc})") from None
    return hashlib.sha256(marker + f"|compact-tokenizer={FORMAT_VERSION}".encode()).hexdigest()


def _is_complete(folder: Path, source: str) -> bool:
    try:
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
        return marker["source"] == source and all(
            (folder / name).stat().st_size == size for name, size in marker["files"].items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _write_marker(folder: Path, source: str) -> None:
    files = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    marker = {"source": source, "format": FORMAT_VERSION, "verified_texts": len(VERIFY_TEXTS), "files": files}
    (folder / MARKER_FILE).write_text(json.dumps(marker, indent=2), encoding="utf-8")


# ---------------------------------------------------------------- atomic install


def _refuse(target: Path) -> Callable[[str], Exception]:
    return lambda reason: CompactTokenizerError(
        f"{target} exists but is not a complete compact tokenizer ({reason}). "
        "Remove it or choose another model cache directory."
    )


def _check_replaceable(target: Path) -> None:
    """Raise unless `target` is absent or holds nothing but this build's outputs (never wipe a user's folder)."""
    check_replaceable(target, _BUILD_ENTRIES, _refuse(target))


def _install(tmp: Path, target: Path) -> None:
    install_build(tmp, target, entries=_BUILD_ENTRIES, marker_file=MARKER_FILE, refuse=_refuse(target))


# ---------------------------------------------------------------- writing and checking


def _write(fp32_dir: Path, tmp: Path) -> None:
    try:
        spec = json.loads((fp32_dir / "tokenizer.json").read_text(encoding="utf-8"))
        config = json.loads((fp32_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
        vocab, pipeline = _pipeline(spec, config)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CompactTokenizerError(f"cannot read the tokenizer in {fp32_dir} ({exc})") from None
    tmp.mkdir()
    with (tmp / PIECES_FILE).open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(f"{piece}\t{score!r}\n" for piece, score in vocab)
    (tmp / PIPELINE_FILE).write_text(json.dumps(pipeline, ensure_ascii=False, indent=1), encoding="utf-8")


def _pipeline(spec: dict, config: dict) -> tuple[list[tuple[str, float]], dict]:
    """The vocabulary and what CompactTokenizer needs besides; raise ValueError for a tokenizer.json of
    another shape than the rebuild writes (index.model_rebuild._write_tokenizer): it would not match."""
    model, added = spec["model"], spec["added_tokens"]
    if model["type"] != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        raise ValueError("not a Unigram model with an unknown piece and no byte fallback")
    vocab = [(piece, float(score)) for piece, score in model["vocab"]]
    if any(not piece or "\n" in piece for piece, _ in vocab) or len({p for p, _ in vocab}) != len(vocab):
        raise ValueError("an empty, repeated or multi-line piece")
    if any(t["normalized"] or t["lstrip"] or t["rstrip"] or t["single_word"] or not t["special"] for t in added):
        raise ValueError("added tokens other than plain special tokens")
    specials = {t["content"]: t["id"] for t in added}
    single = spec["post_processor"]["single"]
    shape = [next(iter(item)) for item in single]
    if spec["post_processor"]["type"] != "TemplateProcessing" or shape != ["SpecialToken", "Sequence", "SpecialToken"]:
        raise ValueError("a post-processor other than <bos> $A <eos>")
    if any(next(iter(item.values()))["type_id"] != 0 for item in single):
        raise ValueError("token type ids other than 0")
    bos, eos = (specials[single[i]["SpecialToken"]["id"]] for i in (0, 2))
    special_ids = {"bos": bos, "eos": eos, "pad": specials[config["pad_token"]], "unk": model["unk_id"]}
    pipeline = {
        "format": FORMAT_VERSION,
        "special_ids": special_ids,
        "special_tokens": specials,
        "normalizer": spec["normalizer"],
        "pre_tokenizer": spec["pre_tokenizer"],
    }
    return vocab, pipeline


def _verify(fp32_dir: Path, folder: Path) -> None:
    """The compact tokenizer must give the fast tokenizer's ids on every probe; nothing is installed otherwise."""
    from tokenizers import Tokenizer

    fast = Tokenizer.from_file(str(fp32_dir / "tokenizer.json"))
    compact = CompactTokenizer.load(folder)
    if len(compact) != fast.get_vocab_size():
        raise CompactTokenizerError(
            f"the compact tokenizer has {len(compact)} pieces, tokenizer.json {fast.get_vocab_size()}; "
            "nothing was installed"
        )
    for text in VERIFY_TEXTS:
        if compact.ids(text) != fast.encode(text, add_special_tokens=False).ids:
            raise CompactTokenizerError(
                f"the compact tokenizer differs from {fp32_dir / 'tokenizer.json'} on {text!r}; nothing was installed"
            )
