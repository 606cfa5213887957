"""One parser per input format; each turns raw text into a CleanDocument."""

from collections.abc import Callable

from ingest.parsers.html_article import parse_feed_item, parse_html_page
from ingest.parsers.markdown_article import parse_markdown
from ingest.parsers.plain_text import parse_plain_text
from ingest.parsers.word_export import parse_word_export
from ingest.parsers.wrapped_text import parse_wrapped_text
from ingest.records import CleanDocument, DocumentFormat

Parser = Callable[..., CleanDocument]

PARSERS: dict[DocumentFormat, Parser] = {
    DocumentFormat.WRAPPED_TEXT: parse_wrapped_text,
    DocumentFormat.MARKDOWN: parse_markdown,
    DocumentFormat.WORD_EXPORT: parse_word_export,
    DocumentFormat.FEED_HTML: parse_feed_item,
    DocumentFormat.HTML: parse_html_page,
    DocumentFormat.PLAIN_TEXT: parse_plain_text,
}

__all__ = ["PARSERS", "Parser"]
