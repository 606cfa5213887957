"""Which parser a text needs, judged from its content (file names can lie)."""

from __future__ import annotations

import json
import re

from ingest.chinese_text import CLOSERS, is_han, prose_ratio
from ingest.errors import UnusableFile
from ingest.parsers.html_article import FEED_HEADER
from ingest.records import DocumentFormat

_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<main|<article|<div|<p[\s>])", re.I)
# Character classes stop at a line end or the next bracket, so no match attempt rescans the text.
_MARKDOWN_LINE = re.compile(r"^(#{1,6}\s+\S|!\[[^\]\n]*\]\(|>\s|[-*]\s+\S)", re.M)
_WORD_MARKUP = re.compile(r"\[footnoteRef:\d+\]|\[bookmark:[^\[\]]*\]")
# Share of lines that stop mid-sentence above which a text was hard-wrapped by a tool.
_WRAPPED_SHARE = 0.35
_MIN_WRAPPED_LINES = 8
_MIN_PROSE = 0.5


class UnknownFormat(UnusableFile):
    """The text is not an article kzqa can read; the message says what it looks like instead."""


def detect_format(text: str) -> DocumentFormat:
    if FEED_HEADER.match(text):
        return DocumentFormat.FEED_HTML
    stripped = text.lstrip()
    if stripped.startswith("<?xml"):
        raise UnknownFormat("unknown format: looks like XML data, not an article")
    if _HTML_START.match(text):
        return DocumentFormat.HTML
    if stripped[:1] in "{[" and _is_json(stripped):
        raise UnknownFormat("unknown format: looks like JSON data, not an article")
    if prose_ratio(text) < _MIN_PROSE:
        raise UnknownFormat("unknown format: mostly digits and symbols, no prose to index")
    if _WORD_MARKUP.search(text):
        return DocumentFormat.WORD_EXPORT
    first_line = text.lstrip().split("\n", 1)[0]
    if len(_MARKDOWN_LINE.findall(text)) >= 2 or re.match(r"#{1,6}\s*\S", first_line):
        return DocumentFormat.MARKDOWN  # a "# 标题" first line alone makes a short note Markdown
    if _looks_hard_wrapped(text):
        return DocumentFormat.WRAPPED_TEXT
    return DocumentFormat.PLAIN_TEXT


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):  # "[[[[…" nested past the parser's depth limit is no article either
        return False
    return True


def _looks_hard_wrapped(text: str) -> bool:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < _MIN_WRAPPED_LINES:
        return False
    inner = lines[1:-1]  # the title and the last line say nothing about wrapping
    mid_sentence = sum(1 for line in inner if _stops_mid_sentence(line))
    return mid_sentence / max(len(inner), 1) >= _WRAPPED_SHARE


def _stops_mid_sentence(line: str) -> bool:
    last = line.rstrip(CLOSERS)[-1:] or line[-1]
    return is_han(last) or last.isalnum() or last in "，、,"
