"""Article text out of news-site HTML: paragraphs and headings in, images, credits, ads,
related-link lists and feed footers out.

Built on the standard library's HTMLParser (which also unescapes entities) rather than a
readability library: the pages are small and the rules for what to drop are specific.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from ingest.chinese_text import clean_inline, ends_sentence
from ingest.parsers.captions import caption_text, is_credit

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIPPED = {"script", "style", "noscript", "picture", "svg", "iframe", "button", "form", "nav"}
_BLOCKS = {
    "p", "div", "li", "small", "figcaption", "blockquote", "section", "article", "main",
    "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "header", "footer", "aside", "body",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD = {"b", "strong"}
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


def extract_article(html: str) -> HtmlArticle:
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    return parser.article


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article = HtmlArticle()
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped subtree)
        self._text: list[str] = []
        self._bold_chars = 0
        self._link_chars = 0
        self._in_title = False
        self._after_rule = False

    # -- structure -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): (value or "") for name, value in attrs}
        self._read_metadata(tag, attributes)
        if tag in ("br", "hr"):
            self._flush()
            self._after_rule = self._after_rule or tag == "hr"
            return
        if tag in _VOID:
            return
        if tag in _BLOCKS:
            self._flush()
        self._stack.append((tag, self._skipped() or _is_skipped(tag, attributes)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if not any(open_tag == tag for open_tag, _ in self._stack):
            return  # stray end tag
        if tag in _BLOCKS:
            self._flush()
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.article.title = clean_inline((self.article.title or "") + data)
            return
        if self._skipped() or not data:
            return
        self._text.append(data)
        visible = len(data.strip())
        if self._inside(_BOLD):
            self._bold_chars += visible
        if self._inside({"a"}):
            self._link_chars += visible

    def close(self) -> None:
        super().close()
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
        return bool(self._stack) and self._stack[-1][1]

    def _inside(self, tags: set[str]) -> bool:
        return any(tag in tags for tag, _ in self._stack)

    def _innermost_block(self) -> str:
        return next((tag for tag, _ in reversed(self._stack) if tag in _BLOCKS), "p")

    def _flush(self) -> None:
        raw = "".join(self._text)
        bold, links = self._bold_chars, self._link_chars
        self._text, self._bold_chars, self._link_chars = [], 0, 0
        text = clean_inline(raw)
        if not text:
            return
        visible = len(raw.strip()) or 1
        if links / visible >= _LINK_SHARE_FOR_NAVIGATION or is_credit(text):
            return
        if _as_date(text):
            self.article.published = self.article.published or _as_date(text)
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
