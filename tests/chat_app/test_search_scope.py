"""What a reader is told kzqa searches: their own count of articles and documents, nobody else's."""

from __future__ import annotations

import pytest

from chat_app.answer import Answer
from chat_app.search_scope import SearchScope

REFUSAL_ZH = "资料中没有找到关于“红烧肉”的信息。这五篇文章没有涉及这个问题，kzqa 不作猜测。"
REFUSAL_EN = "The articles do not contain an answer to “bread”. kzqa answers only from its five articles."


@pytest.mark.parametrize(
    ("scope", "zh", "en"),
    [
        (SearchScope(5, own_documents=2), "这 5 篇文章和你添加的 2 篇文档", "5 articles and 2 of your documents"),
        (SearchScope(5, own_documents=1), "这 5 篇文章和你添加的 1 篇文档", "5 articles and 1 of your documents"),
        (SearchScope(5, shared_documents=1), "这 5 篇文章和共享的 1 篇文档", "5 articles and 1 shared document"),
        (
            SearchScope(5, shared_documents=3, own_documents=2),
            "这 5 篇文章、共享的 3 篇文档和你添加的 2 篇文档",
            "5 articles, 3 shared documents and 2 of your documents",
        ),
    ],
)
def test_counts_each_kind_of_document(scope, zh, en):
    assert (scope.zh(), scope.en()) == (zh, en)
    assert scope.fit(REFUSAL_ZH) == REFUSAL_ZH.replace("这五篇文章", zh)
    assert scope.fit(REFUSAL_EN) == REFUSAL_EN.replace("its five articles", f"its {en}")


def test_with_no_documents_the_engines_words_stay_as_they_are():
    assert SearchScope(5).fit(REFUSAL_ZH) == REFUSAL_ZH


def test_only_a_refusal_is_reworded():
    scope = SearchScope(5, own_documents=1)
    refusal = Answer(question="q", text=REFUSAL_ZH, refused=True)
    answer = Answer(question="q", text="这五篇文章中的一篇说：……[1]", refused=False)
    assert "你添加的 1 篇文档" in scope.fit_answer(refusal).text
    assert scope.fit_answer(answer) is answer
