"""ReasonConflictFinder: two articles giving different reasons for one event, and nothing else.

Deterministic fake evidence (tests/support/fake_evidence.py); the sentences are invented, not the corpus's."""

import pytest

from chat_app.engine.reason_conflicts import ReasonConflictFinder
from tests.support.fake_evidence import evidence_of, question_about

SAFETY = "5月3日，当地法院以安全隐患为由，下令关闭该港口14天。"
STRIKE = "5月初，一家法院因码头工人罢工而责令港口停止作业14天。"


@pytest.fixture(scope="module")
def finder():
    return ReasonConflictFinder()


def why(*words):
    return question_about(list(words) or ["法院", "港口"], answer_type="reason")


def test_two_articles_giving_different_reasons_for_one_event_disagree(finder):
    evidence = evidence_of(
        [(SAFETY, "a.txt", 0.7), ("港口是该国最大的出口通道。", "a.txt", 0.5), (STRIKE, "b.txt", 0.2)]
    )
    found = finder.run(why(), evidence)
    assert found is not None
    assert found.first_figures == ("安全隐患",) and found.second_figures == ("码头工人罢工",)
    assert found.note(evidence) == "sources disagree: a.txt says 安全隐患, b.txt says 码头工人罢工"


@pytest.mark.parametrize(
    ("first", "second", "second_source", "asked"),
    [
        # one article giving two reasons is not a disagreement between articles
        (SAFETY, STRIKE, "a.txt", "reason"),
        # the same reason in other words: they share wording (安全)
        (SAFETY, "5月初，一家法院因港口存在安全问题而责令其停止作业14天。", "b.txt", "reason"),
        # no detail ties them to one event: two closures, each with its reason
        (SAFETY, "去年，一家法院因码头工人罢工而责令港口停止作业。", "b.txt", "reason"),
        # a shared year is no tie: every event of that year has it
        ("2022年，当地法院以安全隐患为由关闭港口。", "2022年，一家法院因罢工而责令港口停止作业。", "b.txt", "reason"),
        # the other sentence states no reason
        (SAFETY, "5月初，港口停止作业14天。", "b.txt", "reason"),
        # the question does not ask why
        (SAFETY, STRIKE, "b.txt", "date"),
    ],
)
def test_what_is_not_two_accounts_of_one_event_is_no_disagreement(finder, first, second, second_source, asked):
    evidence = evidence_of([(first, "a.txt", 0.7), (second, second_source, 0.6)])
    assert finder.run(question_about(["法院", "港口"], answer_type=asked), evidence) is None


def test_only_the_best_sentence_is_compared(finder):
    """A why-question answered by another sentence (a storm) is not turned into the court's disagreement."""
    evidence = evidence_of(
        [("一场风暴破坏了码头，港口关闭了数周。", "c.txt", 0.8), (SAFETY, "a.txt", 0.5), (STRIKE, "b.txt", 0.4)]
    )
    assert finder.run(why("港口", "关闭"), evidence) is None
