"""Front-ends over html_blocks: RSS feed items (with their Markdown header) and plain pages."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from ingest.budget import Deadline
from ingest.document_builder import DocumentBuilder
from ingest.parsers.html_blocks import HtmlArticle, extract_article
from ingest.publishers import publisher_from_url
from ingest.records import CleanDocument, DocumentFormat

# Space before each line end is [ \t]*, never \s*: "\s*\n\s*" over a long run of blank lines
# backtracks through every way of splitting the run (quadratic).
FEED_HEADER = re.compile(
    r"^\s*<!--\s*(?P<epoch>\d{10,13})\s*-->[ \t]*\n"
    r"\s*\[(?P<title>.+?)\]\((?P<url>[^)\s]+)\)[ \t]*\n"
    r"\s*-{3,}[ \t]*\n",
)


def parse_feed_item(text: str, *, source: str, deadline: Deadline | None = None) -> CleanDocument:
    header = FEED_HEADER.match(text)
    if header is None:
        raise ValueError("not a feed item: expected <!--epoch-->, [title](url) and a ----- rule")
    article = extract_article(text[header.end() :], deadline=deadline)
    url = header.group("url")
    published = article.published or _epoch_to_date(header.group("epoch"))
    return _build(
        article,
        source=source,
        format=DocumentFormat.FEED_HTML,
        title=html.unescape(header.group("title")),
        url=url,
        published=published,
    )


def parse_html_page(text: str, *, source: str, deadline: Deadline | None = None) -> CleanDocument:
    article = extract_article(text, deadline=deadline)
    title = article.title or next((b.text for b in article.blocks if b.kind == "heading"), "")
    return _build(
        article, source=source, format=DocumentFormat.HTML, title=title, url=article.url,
        published=article.published,
    )  # fmt: skip


def _build(article: HtmlArticle, *, source: str, format: DocumentFormat, title: str,
           url: str | None, published: str | None) -> CleanDocument:  # fmt: skip
    builder = DocumentBuilder()
    for block in article.blocks:
        if block.kind == "heading":
            if block.text != title:
                builder.heading(block.text)
        else:
            builder.paragraph(block.text)
    return builder.build(
        source=source, format=format, title=title, url=url, published=published,
        publisher=publisher_from_url(url),
    )  # fmt: skip


def _epoch_to_date(epoch: str) -> str:
    seconds = int(epoch) / (1000 if len(epoch) == 13 else 1)
    return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
