"""How the fit script picks the answerability model's vetoes (on made-up signal rows: no model, no index)."""

from __future__ import annotations

import numpy as np

from benchmarks.fit_answer_models import VETO_CANDIDATES, choose_vetoes


def rows_where(fired: dict[str, list[int]], count: int) -> list[dict[str, float]]:
    """`count` rows with every veto candidate off, except `fired[name]`'s row numbers."""
    return [{name: float(i in fired.get(name, ())) for name in VETO_CANDIDATES} for i in range(count)]


def test_a_signal_that_fires_only_on_unanswerable_questions_vetoes_even_where_the_probability_refuses_them():
    answerable = np.asarray([0] * 10 + [1] * 90)
    # measure_missing fires on five unanswerable questions, all of which the probability already
    # refuses here: new questions may not be refused that way, so it still becomes a veto.
    rows = rows_where({"measure_missing": [0, 1, 2, 3, 4]}, 100)
    answered = np.asarray([False] * 5 + [True] * 95)
    vetoes, counts = choose_vetoes(rows, answered, answerable)
    assert vetoes == ["measure_missing"]
    assert counts["measure_missing"]["fires_on_unanswerable"] == 5
    assert counts["measure_missing"]["unanswerable_refused"] == 0


def test_a_signal_that_fires_on_answerable_questions_as_often_is_no_veto():
    answerable = np.asarray([0] * 10 + [1] * 90)
    rows = rows_where({"focus_missing": [0, 1, 2, 3, 10, 11, 12, 13]}, 100)
    vetoes, _ = choose_vetoes(rows, np.ones(100, dtype=bool), answerable)
    assert vetoes == []


def test_a_veto_never_takes_false_refusals_over_the_target():
    answerable = np.asarray([0] * 40 + [1] * 60)
    # Precise (30 unanswerable to 2 answerable) but two false refusals of 60 is 3.3%, over the 2% target.
    rows = rows_where({"kind_missing": [*range(30), 40, 41]}, 100)
    vetoes, _ = choose_vetoes(rows, np.ones(100, dtype=bool), answerable)
    assert vetoes == []
