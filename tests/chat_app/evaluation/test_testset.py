"""The dev test set loads and satisfies its own format rules; broken files name the bad line."""

import json
from collections import Counter

import pytest

from chat_app.evaluation.testset import QUESTION_TYPES, InvalidTestset, load_testset
from tests.support.paths import ALL_SOURCES, DEV_SET


def test_the_dev_set_covers_what_the_issue_asks_for():
    cases = load_testset(DEV_SET)
    assert len(cases) >= 300
    types = Counter(case.type for case in cases)
    assert set(types) == set(QUESTION_TYPES)
    assert types["paraphrase"] >= 60 and types["english"] >= 40 and types["synthesis"] >= 30
    assert types["false_premise"] >= 15 and types["unanswerable"] >= 40
    conversations = Counter(case.conversation for case in cases if case.conversation)
    assert sum(2 <= turns <= 4 for turns in conversations.values()) >= 25
    for source in ALL_SOURCES:
        assert sum(source in case.sources for case in cases) >= 8, source
    assert all(case.history and case.conversation for case in cases if case.type == "followup")


def test_every_question_is_in_exactly_one_split_and_conversations_are_never_split():
    cases = load_testset(DEV_SET)
    assert {case.split for case in cases} == {"tune", "validate"}
    splits_of: dict[str, set] = {}
    for case in cases:
        if case.conversation:
            splits_of.setdefault(case.conversation, set()).add(case.split)
    assert all(len(splits) == 1 for splits in splits_of.values())
    tune, validate = load_testset(DEV_SET, split="tune"), load_testset(DEV_SET, split="validate")
    assert len(tune) + len(validate) == len(cases)
    assert {c.type for c in validate} == set(QUESTION_TYPES)


# The one pair written before this rule was checked: a paraphrase in tune and a false premise in
# validate that both answer "2018". Anything else sharing a gold answer across the splits is a leak.
KNOWN_SHARED_ANSWERS = {frozenset({"para-075", "bv-071"})}


def test_a_gold_answer_asked_twice_stays_in_one_split():
    """Questions with the same sources and keywords ask one fact: fitting on one of them in tune
    would score its twin in validate as if it generalised."""
    by_answer: dict[tuple, list] = {}
    for case in load_testset(DEV_SET):
        if case.answerable and not case.conversation:
            keywords = tuple(sorted("|".join(sorted(group)) for group in case.answer_keywords))
            by_answer.setdefault((tuple(sorted(case.sources)), keywords), []).append(case)
    shared = {
        frozenset(c.id for c in cases)
        for cases in by_answer.values()
        if len({c.split for c in cases}) > 1
    }  # fmt: skip
    assert shared <= KNOWN_SHARED_ANSWERS, sorted(map(sorted, shared - KNOWN_SHARED_ANSWERS))


def test_unanswerable_questions_list_no_sources_or_keywords():
    for case in load_testset(DEV_SET):
        if not case.answerable:
            assert case.sources == () and case.answer_keywords == (), case.id


def test_dev_set_keywords_occur_in_a_listed_source(documents):
    """Each keyword group has an alternative in the cleaned text of one of its sources."""
    from chat_app.evaluation.metrics import keywords_present

    for case in load_testset(DEV_SET):
        if case.answerable:
            text = "\n".join(documents[source].document.text for source in case.sources)
            for group in case.answer_keywords:
                assert keywords_present(text, [group]), (case.id, group)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not a valid test case"),
        ('{"question": "q"}', "not a valid test case"),
        ('{"id": "a", "question": "q", "sources": ["f"], "type": "trivia"}', "type 'trivia'"),
        ('{"id": "a", "question": "q", "sources": [], "answerable": true}', "lists no sources"),
        ('{"id": "a", "question": "q", "sources": ["f"], "split": "train"}', "split 'train'"),
        ('{"id": "a", "question": "q", "sources": ["f"], "history": [{"role": "system", "content": "x"}]}',
         "needs a role"),
        ('{"id": "a", "question": "q", "sources": ["f"], "history": [{"role": "user"}]}', "not a valid test case"),
        ('{"id": "a", "question": "q", "sources": ["f"], "history": [{"role": "user", "content": 3}]}',
         "needs a role"),
    ],
)
def test_broken_lines_are_named(tmp_path, line, message):
    path = tmp_path / "t.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InvalidTestset, match=message) as raised:
        load_testset(path)
    assert "t.jsonl:1" in str(raised.value)


def test_duplicate_ids_are_rejected(tmp_path):
    row = json.dumps({"id": "a", "question": "q", "sources": ["f"]})
    path = tmp_path / "t.jsonl"
    path.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InvalidTestset, match=r"t\.jsonl:2: duplicate id 'a'"):
        load_testset(path)


def test_history_objects_keep_the_assistants_turns_and_strings_stay_questions(tmp_path):
    rows = [
        {"id": "plain", "question": "那中国呢", "sources": ["f"], "history": ["俄罗斯投资了多少"]},
        {"id": "paired", "question": "他在哪上的大学", "sources": ["f"],
         "history": [{"role": "user", "content": "总统是谁"}, {"role": "assistant", "content": "托卡耶夫。"}]},
    ]  # fmt: skip
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    plain, paired = load_testset(path)
    assert plain.history_messages() == [{"role": "user", "content": "俄罗斯投资了多少"}]
    assert paired.history == ("总统是谁",)
    assert paired.history_messages() == [
        {"role": "user", "content": "总统是谁"},
        {"role": "assistant", "content": "托卡耶夫。"},
    ]
