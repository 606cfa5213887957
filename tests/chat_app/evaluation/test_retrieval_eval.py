"""`kzqa eval --retrieval` searches with the query the product sends, read in the question's conversation."""

import pytest

from chat_app.engine.reading import Reader
from chat_app.evaluation.retrieval_eval import search_query
from chat_app.evaluation.testset import load_testset
from tests.support.paths import DEV_SET

FOLLOW_UPS = 6  # enough to cover several kinds of follow-up, few enough to answer in seconds


@pytest.fixture(scope="module")
def reader(retriever):
    return Reader.over(retriever)


@pytest.fixture(scope="module")
def follow_ups():
    return [case for case in load_testset(DEV_SET) if case.history][:FOLLOW_UPS]


def test_a_follow_up_is_searched_for_as_the_assistant_searches_for_it(reader, assistant, follow_ups):
    assert len(follow_ups) == FOLLOW_UPS
    for case in follow_ups:
        answer = assistant.chat(case.question, case.history_messages())
        assert search_query(reader, case) == answer.standalone_question, case.id


def test_a_question_without_history_is_searched_for_as_asked(reader):
    first = next(case for case in load_testset(DEV_SET) if not case.history and case.answerable)
    assert search_query(reader, first) == first.question
