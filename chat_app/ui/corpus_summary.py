"""The short description of the corpus shown beside the chat: each article's title, publisher and date,
and how many documents of their own (or shared ones) the reader's questions search besides."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from chat_app.search_scope import SearchScope
from ingest import CorpusNotFound, UnusableFile, corpus_files, read_document


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
        except UnusableFile:
            continue
        articles.append(Article(path.name, document.title, document.publisher, document.published, document.url))
    return articles


def corpus_html(articles: list[Article], scope: SearchScope | None = None) -> str:
    """`scope`: what the reader searches; the documents in it are counted after the articles."""
    scope = scope or SearchScope(articles=len(articles))
    zh_docs, en_docs = _documents_zh(scope), _documents_en(scope)
    intro = (
        f"<p>只根据这 {len(articles)} 篇中文文章{zh_docs}回答关于哈萨克斯坦 2022 年在俄罗斯、中国与西方之间"
        f"平衡外交的问题，每个答案都注明出处文件。<br>Answers come only from these {len(articles)} Chinese articles on "
        f"Kazakhstan's balancing diplomacy in 2022{en_docs}; every answer cites the file it came from.</p>"
    )
    items = "".join(_article_item(article) for article in articles)
    return f'<div class="kz-corpus">{intro}<ol>{items}</ol></div>'


def _documents_zh(scope: SearchScope) -> str:
    parts = [f"共享的 {scope.shared_documents} 篇文档"] if scope.shared_documents else []
    parts += [f"你添加的 {scope.own_documents} 篇文档"] if scope.own_documents else []
    return "".join(f"和{part}" for part in parts)


def _documents_en(scope: SearchScope) -> str:
    parts = [f"{scope.shared_documents} shared document{'s' if scope.shared_documents != 1 else ''}"] if (
        scope.shared_documents) else []  # fmt: skip
    parts += [f"{scope.own_documents} of your documents"] if scope.own_documents else []
    return f" (plus {' and '.join(parts)})" if parts else ""


def _article_item(article: Article) -> str:
    title = f"《{escape(article.title)}》"
    if article.url:
        title = f'<a href="{escape(article.url)}" target="_blank" rel="noopener">{title}</a>'
    publisher = escape(article.publisher or "?")
    published = escape(article.published or "日期未注明 · undated")
    meta = f"{publisher} · {published} · <code>{escape(article.source)}</code>"
    return f'<li><span class="kz-title">{title}</span><br><span class="kz-meta">{meta}</span></li>'
