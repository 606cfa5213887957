"""The short description of the corpus shown beside the chat: each article's title, publisher and date."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from ingest import CorpusNotFound, UnknownFormat, UnreadableInput, corpus_files, read_document


@dataclass(frozen=True)
class Article:
    source: str
    title: str
    publisher: str | None
    published: str | None
    url: str | None


def corpus_articles(corpus_dir: Path) -> list[Article]:
    """The corpus as ingest reads it; files it cannot read are left out (`kzqa ingest` says why)."""
    try:
        paths = corpus_files(corpus_dir)
    except CorpusNotFound:
        return []
    articles = []
    for path in paths:
        try:
            document = read_document(path)
        except (UnreadableInput, UnknownFormat):
            continue
        articles.append(Article(path.name, document.title, document.publisher, document.published, document.url))
    return articles


def corpus_html(articles: list[Article]) -> str:
    intro = (
        f"<p>只根据这 {len(articles)} 篇中文文章回答关于哈萨克斯坦 2022 年在俄罗斯、中国与西方之间平衡外交的问题，"
        f"每个答案都注明出处文件。<br>Answers come only from these {len(articles)} Chinese articles on "
        "Kazakhstan's balancing diplomacy in 2022; every answer cites the file it came from.</p>"
    )
    items = "".join(_article_item(article) for article in articles)
    return f'<div class="kz-corpus">{intro}<ol>{items}</ol></div>'


def _article_item(article: Article) -> str:
    title = f"《{escape(article.title)}》"
    if article.url:
        title = f'<a href="{escape(article.url)}" target="_blank" rel="noopener">{title}</a>'
    publisher = escape(article.publisher or "?")
    published = escape(article.published or "日期未注明 · undated")
    meta = f"{publisher} · {published} · <code>{escape(article.source)}</code>"
    return f'<li><span class="kz-title">{title}</span><br><span class="kz-meta">{meta}</span></li>'
