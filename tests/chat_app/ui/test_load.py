"""A short load run against the live UI: 5 concurrent conversations for 10 s, no errors, no
cross-talk (the full 20 x 60 s run is benchmarks/load_test.py)."""

from benchmarks.load_test import run_load


def test_concurrent_conversations_get_answers_and_keep_their_own_history(live_app):
    report = run_load(live_app.url, conversations=5, seconds=10)
    assert report.requests >= 5
    assert report.errors == 0, report.error_samples
    assert report.cross_talk == 0
