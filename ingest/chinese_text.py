"""The Chinese text helpers every layer shares: Han characters, the language of a text, how texts
are normalised for comparison, character bigrams, stopwords, and the whitespace rules of mixed
Chinese/Latin text.

It lives in ingest, the lowest layer, so that ingest, index and chat_app all read Chinese the same
way. Written by hand because no library we use knows that a space or line break between two Chinese
characters is an artifact, while one between two English words is meaningful.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

# Han ideographs: CJK Unified Ideographs with extension A, compatibility ideographs, and the
# supplementary planes' extensions B–F with their compatibility supplement. One class for every reader.
HAN_CLASS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN = re.compile(f"[{HAN_CLASS}]")
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
# A thousands separator inside a number: "7,644" and "7，644" are written for 7644.
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
STOPWORDS_FILE = Path(__file__).resolve().parent / "resources" / "stopwords.toml"

SENTENCE_END = "。！？；!?…"
# Closing quotes/brackets that belong to the sentence they follow.
CLOSERS = "”’」』）)】》〉\"'"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000]+")
# Full-width punctuation is written without spaces, like Han characters.
_CJK_CLASS = HAN_CLASS + "\u3000-\u303f\uff00-\uffef"
_CJK = re.compile(f"[{_CJK_CLASS}]")
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK_CLASS}]) (?!http)| (?=[{_CJK_CLASS}])")


def is_cjk(char: str) -> bool:
    """Han ideographs, CJK and full-width punctuation: characters written without spaces."""
    return _CJK.match(char) is not None


def is_han(char: str) -> bool:
    return HAN.match(char) is not None


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


def detect_language(text: str) -> Literal["zh", "en"]:
    """'zh' if the text contains any Han character, else 'en': the corpus is Chinese, so a question
    with one Chinese word in it is read, and answered, as Chinese."""
    return "zh" if has_han(text) else "en"


def strip_thousands(text: str) -> str:
    return _THOUSANDS.sub("", text)


def normalize(text: str) -> str:
    """NFKC, lower case, no thousands separators: how terms and texts are compared."""
    return strip_thousands(unicodedata.normalize("NFKC", text)).lower()


def bigrams(text: str) -> list[str]:
    """Overlapping pairs of Han characters in text order, repeats kept; a lone character stands for itself."""
    grams: list[str] = []
    for run in HAN_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@lru_cache(maxsize=4096)  # the same sentences and passages are compared again and again
def bigram_set(text: str) -> frozenset[str]:
    return frozenset(bigrams(text))


@cache
def stopwords(name: str) -> frozenset[str]:
    """A named list of resources/stopwords.toml; each list serves one reader (the file says which)."""
    lists = tomllib.loads(STOPWORDS_FILE.read_text(encoding="utf-8"))
    if name not in lists:
        raise KeyError(f"no stopword list {name!r} in {STOPWORDS_FILE}; lists: {', '.join(sorted(lists))}")
    return frozenset(lists[name]["words"].split())


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
