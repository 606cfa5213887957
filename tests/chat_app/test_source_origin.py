"""Through the Python API, a document a user added is named as uploaded and never carries its own
URL, even when it copies a corpus article's title (real Assistant over a real index)."""

from __future__ import annotations

import shutil

import pytest

from tests.support.paths import WSJ
from tests.support.untrusted_page import UPLOAD_QUESTION, UPLOADED_PAGE


@pytest.fixture(scope="module")
def assistant_with_upload(kzqa_config, embedder, tmp_path_factory):
    from chat_app.assistant import Assistant

    data = tmp_path_factory.mktemp("origin") / "data"
    shutil.copytree(kzqa_config.data_dir, data)
    bot = Assistant(kzqa_config.with_overrides(data_dir=data), embedder=embedder)
    (data / "documents").mkdir()
    (data / "documents" / "forum.html").write_text(UPLOADED_PAGE, encoding="utf-8")
    bot.reindex()
    return bot


def test_a_cited_upload_is_marked_and_loses_the_url_it_claims(assistant_with_upload):
    answer = assistant_with_upload.ask(UPLOAD_QUESTION)
    assert [c.source for c in answer.citations] == ["forum.html"]
    assert answer.citations[0].title == "乌克兰战争下哈萨克斯坦的东西方平衡外交"  # a corpus title, copied
    assert answer.is_uploaded("forum.html") and answer.citations[0].url is None
    assert answer.to_dict()["citations"][0]["uploaded"] is True


def test_corpus_articles_keep_their_links_and_are_not_marked(assistant_with_upload):
    answer = assistant_with_upload.ask("俄哈边境线有多长？")
    assert answer.citations and answer.uploaded_sources <= {"forum.html"}
    urls = {c.source: c.url for c in answer.citations}
    assert urls[WSJ].startswith("https://cn.wsj.com/")
    streamed = list(assistant_with_upload.stream(UPLOAD_QUESTION))[-1]
    assert streamed.is_uploaded("forum.html") and streamed.citations[0].url is None
