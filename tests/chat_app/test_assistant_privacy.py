"""The Python API with private documents in the index: real model, real index of the five articles plus
two owners' files of the same name. A question reads the public documents and its owner's, never anyone
else's, and a refusal counts what that owner searched.
"""

from __future__ import annotations

import shutil

import pytest

from chat_app.assistant import Assistant
from chat_app.owners import Owner, new_browser_token
from chat_app.search_scope import SearchScope
from index.private_documents import owner_folder
from tests.support.paths import WSJ

NOTES = "notes.md"
ALICE_NOTES = "# 甲方备忘\n\n阿拉木图苹果节于2022年9月举行，共有三百个摊位参加。\n"
BROWSER_NOTES = "# 乙方备忘\n\n阿拉木图苹果节在2022年因暴雨取消，主办方改为线上直播活动。\n"
QUESTION = "阿拉木图苹果节的情况怎么样？"
BROWSER = Owner.browser(new_browser_token())


@pytest.fixture(scope="module")
def private_assistant(kzqa_config, embedder, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("assistant-privacy") / "data"
    shutil.copytree(kzqa_config.data_dir, data_dir)
    config = kzqa_config.with_overrides(data_dir=data_dir)
    for owner, text in ((Owner.user("alice"), ALICE_NOTES), (BROWSER, BROWSER_NOTES)):
        path = owner_folder(config.private_documents_dir, owner.key) / NOTES
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    assistant = Assistant(config, embedder=embedder)
    summary = assistant.reindex()
    assert summary.documents == 7 and not summary.skipped and not summary.private_skipped
    return assistant


def cited(answer) -> set[str]:
    return {c.source for c in (*answer.citations, *answer.related)} | {p.source for p in answer.passages}


def test_without_an_owner_no_private_document_is_read(private_assistant):
    answer = private_assistant.ask(QUESTION)
    assert NOTES not in cited(answer)
    assert "三百" not in answer.text and "暴雨" not in answer.text


@pytest.mark.parametrize(("owner", "own", "other"), [("alice", "三百个摊位", "暴雨"), (BROWSER, "暴雨", "三百个摊位")])
def test_an_owner_is_answered_from_their_own_document_only(private_assistant, owner, own, other):
    answer = private_assistant.ask(QUESTION, owner=owner)
    assert not answer.refused, answer.text
    assert own in answer.text and other not in answer.text
    assert {c.source for c in answer.citations} == {NOTES}
    assert all(other not in p.text for p in answer.passages)
    assert answer.is_uploaded(NOTES) and all(c.url is None for c in answer.citations)


def test_stream_and_chat_read_the_same_documents_as_ask(private_assistant):
    streamed = list(private_assistant.stream(QUESTION, owner="alice"))[-1]
    chatted = private_assistant.chat(QUESTION, [], owner="alice")
    assert streamed.text == chatted.text == private_assistant.ask(QUESTION, owner="alice").text


def test_an_owner_still_gets_the_articles(private_assistant):
    answer = private_assistant.ask("俄哈边境线有多长？", owner="alice")
    assert WSJ in {c.source for c in answer.citations}


def test_each_reader_is_told_what_they_searched(private_assistant):
    assert private_assistant.scope() == SearchScope(articles=5)
    assert private_assistant.scope(owner="alice") == SearchScope(articles=5, own_documents=1)
    assert private_assistant.scope(owner="carol") == SearchScope(articles=5)


def test_a_refusal_counts_the_owners_documents_and_nobody_elses(private_assistant):
    alone = private_assistant.ask("红烧肉怎么做才好吃？")
    assert alone.refused and "这五篇文章" in alone.text
    owned = private_assistant.ask("红烧肉怎么做才好吃？", owner="alice")
    assert owned.refused and "这 5 篇文章和你添加的 1 篇文档" in owned.text and "五篇" not in owned.text
    english = private_assistant.ask("How do I bake sourdough?", owner="alice")
    assert english.refused and "its 5 articles and 1 of your documents" in english.text


def test_read_in_article_is_the_readers_own_file_of_that_name(private_assistant):
    alice = private_assistant.article_text(NOTES, owner="alice")
    browser = private_assistant.article_text(NOTES, owner=BROWSER)
    assert "三百个摊位" in alice and "暴雨" not in alice
    assert "暴雨" in browser and "三百个摊位" not in browser
    assert private_assistant.article_text(NOTES) is None  # nobody's to read without an owner
