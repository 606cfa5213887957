"""Formats are detected from content, never from the file name."""

import shutil

import pytest

from ingest import DocumentFormat, read_document
from ingest.format_detection import detect_format
from tests.support.paths import BBC_JAN, BBC_SEPT, PAPER, VOA, WSJ

EXPECTED = {
    WSJ: DocumentFormat.WRAPPED_TEXT,
    BBC_SEPT: DocumentFormat.MARKDOWN,
    PAPER: DocumentFormat.WORD_EXPORT,
    VOA: DocumentFormat.FEED_HTML,
    BBC_JAN: DocumentFormat.FEED_HTML,
}


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_renaming_a_file_does_not_change_its_detected_format(tmp_path, corpus_dir, source):
    misleading = tmp_path / "article.html" if EXPECTED[source] != DocumentFormat.HTML else tmp_path / "a.txt"
    shutil.copyfile(corpus_dir / source, misleading)
    assert read_document(misleading).format == EXPECTED[source]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!doctype html><html><head><title>标题</title></head><body><p>正文。</p></body></html>", DocumentFormat.HTML),
        ("# 标题\n\n第一段。\n\n## 小节\n\n第二段。\n", DocumentFormat.MARKDOWN),
        ("#阿斯塔纳国际论坛简报\n\n论坛于五月举行。\n", DocumentFormat.MARKDOWN),
        ("标题\n第一段写完了。\n第二段也写完了。\n", DocumentFormat.PLAIN_TEXT),
    ],
)
def test_detects_common_upload_shapes(text, expected):
    assert detect_format(text) == expected


def test_plain_html_page_yields_title_paragraphs_and_date(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>中亚新闻</title><meta property='article:published_time' content='2022-05-01T08:00'>"
        "</head><body><nav><a href='/'>首页</a></nav><h1>中亚新闻</h1><p>哈萨克斯坦&amp;中国签署协议。</p>"
        "<script>alert(1)</script><p>第二段。</p></body></html>",
        encoding="utf-8",
    )
    document = read_document(page)
    assert document.format == DocumentFormat.HTML
    assert document.title == "中亚新闻"
    assert document.published == "2022-05-01"
    assert document.text == "哈萨克斯坦&中国签署协议。\n\n第二段。"
