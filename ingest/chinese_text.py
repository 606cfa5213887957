"""Character classes and whitespace rules for mixed Chinese/Latin text.

Written by hand because no library we use knows that a space or line break between two Chinese
characters is an artifact, while one between two English words is meaningful.
"""

from __future__ import annotations

import re

SENTENCE_END = "。！？；!?…"
# Closing quotes/brackets that belong to the sentence they follow.
CLOSERS = "”’」』）)】》〉\"'"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000]+")


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


def clean_inline(text: str) -> str:
    """Normalise the whitespace inside one paragraph.

    Drops invisible characters, folds runs of spaces, and removes spaces that touch a Chinese
    character or full-width punctuation (typesetting artifacts such as "不干涉。 后来").
    """
    text = text.translate(_INVISIBLE)
    text = _SPACES.sub(" ", text)
    out: list[str] = []
    for i, char in enumerate(text):
        if char == " ":
            prev = out[-1] if out else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if not prev or not nxt:
                continue
            if (is_cjk(prev) or is_cjk(nxt)) and not text.startswith("http", i + 1):
                continue
        out.append(char)
    return "".join(out).strip()


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
