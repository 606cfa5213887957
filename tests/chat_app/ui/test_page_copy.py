"""The page's words for one reader: what they search, and who sees the documents they add."""

from __future__ import annotations

from chat_app.search_scope import SearchScope
from chat_app.ui.corpus_summary import corpus_articles, corpus_html
from chat_app.ui.page_copy import header_html, library_note_html, searched_en, searched_zh
from tests.support.paths import CORPUS_DIR


def test_the_header_counts_the_readers_documents():
    assert "answers quoted from 5 Chinese articles, with sources" in header_html(SearchScope(5), shared_library=False)
    mine = header_html(SearchScope(5, own_documents=2), shared_library=False)
    assert "answers quoted from 5 Chinese articles + 2 of your documents, with sources" in mine


def test_counts_shared_and_own_documents_in_both_languages():
    scope = SearchScope(5, shared_documents=1, own_documents=3)
    assert searched_en(scope) == "5 Chinese articles + 1 shared document + 3 of your documents"
    assert searched_zh(scope) == "5 篇中文文章和共享的 1 篇文档和你添加的 3 篇文档"


def test_about_the_articles_counts_the_readers_documents_after_the_articles():
    articles = corpus_articles(CORPUS_DIR)
    assert "(plus" not in corpus_html(articles) and "只根据这 5 篇中文文章回答" in corpus_html(articles)
    about = corpus_html(articles, SearchScope(5, own_documents=2))
    assert "只根据这 5 篇中文文章和你添加的 2 篇文档回答" in about
    assert "Chinese articles on Kazakhstan's balancing diplomacy in 2022 (plus 2 of your documents);" in about
    assert about.count("<li>") == 5


def test_a_shared_library_says_everyone_sees_what_is_added():
    note = library_note_html(shared_library=True, logged_in=False, read_only=[])
    assert "Shared library: everyone using this server sees, searches and can remove" in note
    assert "shared with everyone on this server" in header_html(SearchScope(5), shared_library=True)


def test_a_private_library_says_whose_documents_are_whose():
    browser = library_note_html(shared_library=False, logged_in=False, read_only=[])
    assert "only you can see, search and remove them (in this browser)" in browser
    login = library_note_html(shared_library=False, logged_in=True, read_only=[])
    assert "(in any browser you log in from)" in login


def test_shared_documents_a_reader_cannot_remove_are_named_and_escaped():
    note = library_note_html(shared_library=False, logged_in=False, read_only=["<b>x</b>.md"])
    assert "only the operator can remove them" in note and "&lt;b&gt;x&lt;/b&gt;.md" in note and "<b>" not in note
