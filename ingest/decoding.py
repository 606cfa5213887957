"""Bytes → text, accepting what Chinese users actually save (UTF-8 with or without BOM,
GB18030/GBK, UTF-16 from Notepad) and refusing what is not text, with a reason a user can act on.

Every failure is an UnreadableInput naming what is wrong and where: no codec error escapes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ingest.errors import UnusableFile

# More than this share of control characters means the "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # all but tab, line feed, form feed, carriage return
_BLANK = b" \t\r\n\f\v\x00"
# (mark, codec, name). UTF-32 first: its little-endian mark begins with UTF-16's.
_WIDE_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# A UTF-8 file with a few damaged bytes (a cut-off copy, one Latin-1 "é") is still UTF-8 when its
# valid non-ASCII characters outnumber the invalid sequences this many times. GBK text read as
# UTF-8 has about 0.28 valid per invalid (each of the five corpus articles re-encoded), so 10 is
# far from it. Otherwise the bytes are tried as GB18030.
_VALID_PER_INVALID_UTF8 = 10
_RESAVE = "re-save it as UTF-8"


class UnreadableInput(UnusableFile):
    """The file cannot be used as an article; the message says why and what to do."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> DecodedText:
    for mark, codec, name in _WIDE_BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _decode_wide(data, len(mark), codec, name)
    body = data.removeprefix(codecs.BOM_UTF8)
    if not body.strip(_BLANK):
        raise UnreadableInput(_emptiness(data, body))
    if b"\x00" in body:
        raise UnreadableInput(
            "binary file (contains NUL bytes); save the article as UTF-8 text, Markdown or HTML "
            "(UTF-16 text needs its byte-order mark)"
        )
    try:
        return _checked(body.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError as error:
        first_invalid = len(data) - len(body) + error.start
    if (mostly_utf8 := _mostly_utf8(body, first_invalid)) is not None:
        return mostly_utf8
    try:
        text = body.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableInput(f"not readable as text: it is neither UTF-8 nor GB18030/GBK; {_RESAVE}") from None
    return _checked(text, "gb18030", ["decoded as GB18030/GBK, not UTF-8"])


def _emptiness(data: bytes, body: bytes) -> str:
    if not data:
        return "empty file: it holds no text"
    if not body:
        return "empty file: it holds only a UTF-8 byte-order mark"
    if not body.strip(b"\x00"):
        return "empty file: it holds only NUL bytes (a file that was never written, or a damaged copy)"
    return "empty file: it holds only whitespace" + (" and NUL bytes" if b"\x00" in body else "")


def _decode_wide(data: bytes, mark_length: int, codec: str, name: str) -> DecodedText:
    """UTF-16 or UTF-32 after its byte-order mark; damage is reported, never decoded around."""
    body = data[mark_length:]
    if not body.strip(_BLANK):
        raise UnreadableInput(f"empty file: it holds only a {name} byte-order mark")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as error:
        where = f"byte {mark_length + error.start + 1:,} of {len(data):,}"
        if error.reason == "truncated data":
            problem = f"it ends in the middle of a character ({where}: the file was cut short)"
        else:
            problem = f"{where} is not valid {name} ({error.reason})"
        raise UnreadableInput(f"damaged {name} text: {problem}; {_RESAVE}") from None
    return _checked(text, name.lower(), [])


def _mostly_utf8(body: bytes, first_invalid: int) -> DecodedText | None:
    """UTF-8 with its few invalid sequences replaced by U+FFFD and a warning saying how many and
    where; None when the bytes are not mostly UTF-8."""
    text = body.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - body.count("\ufffd".encode())
    valid_non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - invalid
    if valid_non_ascii < _VALID_PER_INVALID_UTF8 * invalid:
        return None
    plural = "s" if invalid > 1 else ""
    warning = (
        f"{invalid} invalid UTF-8 byte sequence{plural} shown as \ufffd (the first at byte {first_invalid + 1:,}); "
        f"{_RESAVE} to keep every character"
    )
    return _checked(text, "utf-8", [warning])


def _checked(text: str, encoding: str, warnings: list[str]) -> DecodedText:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(text) - len(_CONTROLS.sub("", text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise UnreadableInput("binary file (full of control characters); save the article as UTF-8 text")
    if not text.strip():
        raise UnreadableInput("empty file: it holds only whitespace")
    return DecodedText(text=text, encoding=encoding, warnings=warnings)
