"""Paired comparison with an earlier eval run: exact McNemar p-values, pairing by question id, and
reading an earlier results.json (hand-made runs: deterministic fakes, no engine)."""

import json
from math import comb

import pytest

from chat_app.evaluation.answer_eval import AnswerResult
from chat_app.evaluation.comparison import EarlierRunUnreadable, compare, exact_mcnemar, load_earlier
from chat_app.evaluation.results import ConfigRun, EvalRun, QuestionOutcome


@pytest.mark.parametrize(
    ("fixed", "broken", "expected"),
    [
        (0, 0, 1.0),
        (3, 3, 1.0),
        (0, 6, 2 / 64),  # six of six the same way: 2 × (1/2)^6
        (6, 0, 2 / 64),
        (1, 9, 2 * (1 + 10) / 1024),
        (12, 9, 2 * sum(comb(21, k) for k in range(10)) / 2**21),
    ],
)
def test_exact_mcnemar_is_the_two_sided_sign_test_on_changed_questions(fixed, broken, expected):
    assert exact_mcnemar(fixed, broken) == pytest.approx(expected)


def _outcome(case_id: str, split: str, passed: bool) -> QuestionOutcome:
    # An answerable question passes when it is not refused and its keywords are in the answer.
    result = AnswerResult(case_id=case_id, type="fact", question=f"q {case_id}", answerable=True, refused=False,
                          keywords_ok=passed, citation_precision=None, citation_recall=None, cited_sources=[],
                          disagreement_noted=False, latency_ms=1.0, answer="", notes=[], split=split)  # fmt: skip
    return QuestionOutcome(result, [], [], [], [], [] if passed else ["missing keywords"])


def _run(rows) -> EvalRun:
    outcomes = [_outcome(*row) for row in rows]
    config = ConfigRun("hybrid", "fake", 1.0, {}, {}, [], outcomes=outcomes)
    return EvalRun("qa.jsonl", len(outcomes), {"fact": len(outcomes)}, {}, [config])


def test_questions_are_paired_by_id_per_split_and_overall():
    earlier = {"hybrid": {"v1": ("validate", False, "q v1"), "v2": ("validate", True, "q v2"),
                          "v3": ("validate", True, "q v3"), "t1": ("tune", True, "q t1"),
                          "gone": ("tune", False, "q gone"), "new": ("tune", False, "another question")}}  # fmt: skip
    run = _run([("v1", "validate", True), ("v2", "validate", False), ("v3", "validate", False),
                ("t1", "tune", True), ("new", "tune", True)])  # fmt: skip
    changes = {c.split: c for c in compare(run, earlier)}
    assert list(changes) == ["validate", "tune", "all"]  # validate first
    validate = changes["validate"]
    assert (validate.questions, validate.fixed, validate.broken) == (3, 1, 2)
    assert (validate.before, validate.after) == (pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert changes["tune"].questions == 1  # "gone" is in one run only; "new" was another question then
    assert changes["all"].questions == 4 and changes["all"].verdict == "within noise"


@pytest.mark.parametrize(("fixed", "broken", "verdict"), [(8, 0, "better"), (0, 8, "worse"), (5, 3, "within noise")])
def test_only_a_split_beyond_chance_is_called_better_or_worse(fixed, broken, verdict):
    rows = [(f"f{i}", "validate", True) for i in range(fixed)] + [(f"b{i}", "validate", False) for i in range(broken)]
    earlier = {"hybrid": {f"f{i}": ("validate", False, f"q f{i}") for i in range(fixed)}
               | {f"b{i}": ("validate", True, f"q b{i}") for i in range(broken)}}  # fmt: skip
    (validate, _all) = compare(_run(rows), earlier)
    assert validate.verdict == verdict


def test_a_configuration_missing_from_the_earlier_run_is_not_compared():
    assert compare(_run([("v1", "validate", True)]), {"bm25": {"v1": ("validate", False, "q v1")}}) == []


def test_an_earlier_results_file_is_read_as_outcomes_per_question(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"configs": {"hybrid": {"questions": [
        {"case_id": "v1", "split": "validate", "passed": True, "question": "q v1"},
        {"case_id": "t1", "split": None, "passed": False, "question": "q t1"},
    ]}}}), encoding="utf-8")  # fmt: skip
    assert load_earlier(path) == {"hybrid": {"v1": ("validate", True, "q v1"), "t1": ("", False, "q t1")}}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not a readable JSON file"),
        ('{"configs": {"hybrid": {}}}', "not a results.json"),
    ],
)
def test_an_unusable_earlier_results_file_is_named_with_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(EarlierRunUnreadable, match=message) as raised:
        load_earlier(path)
    assert str(path) in str(raised.value)
