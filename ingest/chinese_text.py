"""Character classes and whitespace rules for mixed Chinese/Latin text.

Written by hand because no library we use knows that a space or line break between two Chinese
characters is an artifact, while one between two English words is meaningful.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SENTENCE_END = "。！？；!?…"
# Closing quotes/brackets that belong to the sentence they follow.
CLOSERS = "”’」』）)】》〉\"'"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000]+")
# The ranges of is_cjk, for regular expressions (one pass in C instead of a loop per character).
_CJK_CLASS = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\U00020000-\U0002ffff"
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK_CLASS}]) (?!http)| (?=[{_CJK_CLASS}])")


def is_cjk(char: str) -> bool:
    """Han ideographs, CJK and full-width punctuation: characters written without spaces."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x2FFFF
    )


def is_han(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF


def display_width(text: str) -> int:
    return sum(2 if is_cjk(c) else 1 for c in text)


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one line that a hard wrap separated.

    No space where either side is Chinese ("镇压当" + "地" → "镇压当地"); one space between Latin
    words ("North Atlantic" + "Treaty" → "North Atlantic Treaty").
    """
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return f"{left} {right}"


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one hard-wrapped paragraph joined as `join_wrapped` joins two, in linear time
    (folding `join_wrapped` over 10^5 lines copies the growing paragraph each time).

    Leading blank lines are skipped; trailing space of the last line is kept, as the fold keeps it.
    """
    parts: list[str] = []
    last = ""  # the last visible character joined so far
    trailing = ""  # the space the last line ended with: dropped when another line follows
    for line in lines:
        body = line.strip() if not parts else line.lstrip()
        if not body:
            trailing = ""
            continue
        visible = body.rstrip()
        if parts and not (is_cjk(last) or is_cjk(visible[0])):
            parts.append(" ")
        parts.append(visible)
        last, trailing = visible[-1], body[len(visible) :]
    return "".join(parts) + trailing


def clean_inline(text: str) -> str:
    """Normalise the whitespace inside one paragraph.

    Drops invisible characters, folds runs of spaces, and removes spaces that touch a Chinese
    character or full-width punctuation (typesetting artifacts such as "不干涉。 后来"), except
    before a URL.
    """
    text = text.translate(_INVISIBLE)
    text = _SPACES.sub(" ", text)
    return _SPACE_BY_CJK.sub("", text).strip()


def ends_sentence(text: str) -> bool:
    """True when `text` ends with sentence-final punctuation, possibly followed by closers."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END + "."


def prose_ratio(text: str) -> float:
    """Share of non-space characters that are letters or Han characters (vs. digits, symbols)."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    return sum(1 for c in visible if c.isalpha()) / len(visible)
