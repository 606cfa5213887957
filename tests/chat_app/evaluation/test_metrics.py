"""Metric functions on hand-made cases with known values."""

import pytest

from chat_app.evaluation.metrics import (
    file_hit_at_k,
    keywords_present,
    mean,
    normalize_for_match,
    percentile,
    reciprocal_rank,
)

GOLD = ["b.txt"]


@pytest.mark.parametrize(
    ("ranked", "k", "expected"),
    [(["b.txt"], 1, 1.0), (["a.txt", "b.txt"], 1, 0.0), (["a.txt", "b.txt"], 3, 1.0), ([], 5, 0.0)],
)
def test_file_hit_at_k(ranked, k, expected):
    assert file_hit_at_k(ranked, GOLD, k) == expected


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [(["b.txt", "a.txt"], 1.0), (["a.txt", "b.txt"], 0.5), (["a", "a", "a", "b.txt"], 0.25), (["a"] * 6, 0.0)],
)
def test_reciprocal_rank_of_the_first_gold_file(ranked, expected):
    assert reciprocal_rank(ranked, GOLD, 5) == expected


def test_a_gold_file_after_k_does_not_count():
    assert reciprocal_rank(["a"] * 5 + ["b.txt"], GOLD, 5) == 0.0


def test_every_keyword_group_needs_one_alternative():
    text = "俄哈两国边境线长达4,750英里（约合7,644公里）"
    assert keywords_present(text, [["7,644", "7644"], ["公里"]])
    assert keywords_present(text, [["7644"]])  # thousands separators do not decide a match
    assert not keywords_present(text, [["7,644"], ["6846"]])
    assert keywords_present(text, [])


def test_matching_ignores_width_and_case():
    assert normalize_for_match("ＧＤＰ１２３") == "gdp123"
    assert keywords_present("GDP比值9.2:1", [["gdp"]])


def test_mean_and_percentile():
    assert mean([]) == 0.0 and mean([1.0, 0.0]) == 0.5
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0 and percentile([], 0.5) == 0.0
