"""Bytes → text, accepting what Chinese users actually save (UTF-8 with or without BOM,
GB18030/GBK, UTF-16 from Notepad) and refusing what is not text, with a reason a user can act on."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

# More than this share of control characters means the "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


class UnreadableInput(Exception):
    """The file cannot be used as an article; the message says why and what to do."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> DecodedText:
    if not data.strip():
        raise UnreadableInput("empty file: it holds no text")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="strict"), encoding, [])
    if b"\x00" in data:
        raise UnreadableInput("binary file (contains NUL bytes); save the article as UTF-8 text, Markdown or HTML")
    try:
        return _checked(data.decode("utf-8-sig"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableInput(
            "not readable as text: it is neither UTF-8 nor GB18030/GBK; re-save it as UTF-8"
        ) from None
    return _checked(text, "gb18030", ["decoded as GB18030/GBK, not UTF-8"])


def _checked(text: str, encoding: str, warnings: list[str]) -> DecodedText:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text if ord(c) < 32 and c not in _ALLOWED_CONTROLS)
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise UnreadableInput("binary file (full of control characters); save the article as UTF-8 text")
    if not text.strip():
        raise UnreadableInput("empty file: it holds only whitespace")
    return DecodedText(text=text, encoding=encoding, warnings=warnings)
