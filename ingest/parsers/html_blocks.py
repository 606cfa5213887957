"""Article text out of news-site HTML: paragraphs and headings in, images, credits, ads,
related-link lists and feed footers out.

Built on our own linear tokenizer (html_tokens) rather than a readability library: the pages are
small and the rules for what to drop are specific. Every token costs constant work here too (open
tags are counted, not searched), so a page of 25,600 unclosed <div>s reads in well under a second.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from ingest.budget import Deadline
from ingest.chinese_text import clean_inline, ends_sentence
from ingest.parsers.captions import caption_text, is_credit
from ingest.parsers.html_tokens import EndTag, StartTag, Text, tokenize

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIPPED = {"script", "style", "noscript", "picture", "svg", "iframe", "button", "form", "nav"}
_BLOCKS = {
    "p", "div", "li", "small", "figcaption", "blockquote", "section", "article", "main",
    "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "header", "footer", "aside", "body",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_MAX_HEADING_CHARS = 40
# A block whose text is mostly link text is navigation ("related links", "more RSS"), not prose.
_LINK_SHARE_FOR_NAVIGATION = 0.8


@dataclass
class HtmlBlock:
    text: str
    kind: str  # "paragraph" | "heading" | "caption"


@dataclass
class HtmlArticle:
    blocks: list[HtmlBlock] = field(default_factory=list)
    title: str | None = None
    published: str | None = None  # ISO date
    url: str | None = None


def extract_article(html: str, *, deadline: Deadline | None = None) -> HtmlArticle:
    reader = _ArticleReader()
    check = (deadline or Deadline.unlimited()).check
    for token in tokenize(html):
        check()
        if isinstance(token, Text):
            reader.text(token.text)
        elif isinstance(token, StartTag):
            reader.start(token)
        elif isinstance(token, EndTag):
            reader.end(token.name)
    reader.finish()
    return reader.article


class _OpenTag(NamedTuple):
    name: str
    skipped: bool  # inside a subtree that is dropped (script, ads, related links …)
    block: str  # the innermost block element at this depth: how its text is classified


class _ArticleReader:
    def __init__(self) -> None:
        self.article = HtmlArticle()
        self._stack: list[_OpenTag] = []
        self._open = Counter[str]()  # how many of each tag are open: "inside <a>?" without a scan
        self._text: list[str] = []
        self._bold_chars = 0
        self._link_chars = 0
        self._in_title = False
        self._after_rule = False

    # -- structure -------------------------------------------------------------------------
    def start(self, tag: StartTag) -> None:
        name = tag.name
        self._read_metadata(name, tag.attributes)
        if name in ("br", "hr"):
            self._flush()
            self._after_rule = self._after_rule or name == "hr"
            return
        if name in _VOID:
            return
        if name in _BLOCKS:
            self._flush()
        outer = self._stack[-1] if self._stack else None
        skipped = (outer is not None and outer.skipped) or _is_skipped(name, tag.attributes)
        block = name if name in _BLOCKS else (outer.block if outer else "p")
        self._stack.append(_OpenTag(name, skipped, block))
        self._open[name] += 1
        if tag.self_closing:
            self.end(name)

    def end(self, name: str) -> None:
        if name == "title":
            self._in_title = False
        if not self._open[name]:
            return  # stray end tag
        if name in _BLOCKS:
            self._flush()
        while self._stack:  # each tag is popped once: linear over the whole page
            closed = self._stack.pop()
            self._open[closed.name] -= 1
            if closed.name == name:
                break

    def text(self, data: str) -> None:
        if self._in_title:
            if not self.article.title:  # the first <title> names the page
                self.article.title = clean_inline(data)
            return
        if self._skipped() or not data:
            return
        self._text.append(data)
        visible = len(data.strip())
        if self._open["b"] or self._open["strong"]:
            self._bold_chars += visible
        if self._open["a"]:
            self._link_chars += visible

    def finish(self) -> None:
        self._flush()

    # -- helpers ---------------------------------------------------------------------------
    def _read_metadata(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "time" and attributes.get("datetime") and not self.article.published:
            self.article.published = attributes["datetime"][:10]
        elif tag == "meta":
            key = attributes.get("property") or attributes.get("name") or ""
            if key in ("article:published_time", "date") and not self.article.published:
                self.article.published = attributes.get("content", "")[:10] or None
            elif key == "og:url" and not self.article.url:
                self.article.url = attributes.get("content") or None
        elif tag == "link" and attributes.get("rel") == "canonical" and not self.article.url:
            self.article.url = attributes.get("href") or None

    def _skipped(self) -> bool:
        return bool(self._stack) and self._stack[-1].skipped

    def _innermost_block(self) -> str:
        return self._stack[-1].block if self._stack else "p"

    def _flush(self) -> None:
        if not self._text:
            return  # every block start and end flushes: most have nothing to flush
        raw = "".join(self._text)
        bold, links = self._bold_chars, self._link_chars
        self._text, self._bold_chars, self._link_chars = [], 0, 0
        text = clean_inline(raw)
        if not text:
            return
        visible = len(raw.strip()) or 1
        if links / visible >= _LINK_SHARE_FOR_NAVIGATION or is_credit(text):
            return
        if date := _as_date(text):
            self.article.published = self.article.published or date
            return
        kind = self._classify(text, bold / visible)
        if kind == "caption":
            text = caption_text(text)
        if self._after_rule and kind != "heading" and len(text) < 80:
            return  # short lines after a closing <hr> are a feed footer
        self.article.blocks.append(HtmlBlock(text=text, kind=kind))

    def _classify(self, text: str, bold_share: float) -> str:
        block = self._innermost_block()
        if block in _HEADINGS:
            return "heading"
        if block in ("small", "figcaption"):
            return "caption"
        if bold_share >= 0.95 and len(text) <= _MAX_HEADING_CHARS and not ends_sentence(text):
            return "heading"  # a bold line standing alone is a subheading
        return "paragraph"


def _is_skipped(tag: str, attributes: dict[str, str]) -> bool:
    if tag in _SKIPPED:
        return True
    if tag == "time":
        return True  # relative times ("46 分钟前") are page chrome; the date is read from the attribute
    if not attributes:
        return False
    marks = " ".join(attributes.get(name, "") for name in ("data-e2e", "aria-label", "class", "id")).lower()
    return any(word in marks for word in ("advert", "广告", "promo", "related", "share", "newsletter"))


def _as_date(text: str) -> str | None:
    """ISO date of a block that is nothing but an RFC 2822 date ("Sun, 23 Jan 2022 23:56:41 GMT")."""
    if len(text) > 40 or not any(ch.isdigit() for ch in text):
        return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
