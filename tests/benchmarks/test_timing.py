"""The latency summary every latency benchmark reports, and the wait for a quiet machine (with a fake
clock and a fake load reading: nothing here sleeps or reads the real load)."""

from __future__ import annotations

import pytest

from benchmarks.timing import LatencySummary, wait_for_quiet


class TestLatencySummary:
    def test_percentiles_are_nearest_rank_as_kzqa_eval_reports_them(self):
        summary = LatencySummary.of([float(ms) for ms in range(100, 0, -1)])  # 1 … 100 ms, unordered
        assert (summary.count, summary.p50_ms, summary.p95_ms, summary.max_ms, summary.mean_ms) == (
            100, 50.0, 95.0, 100.0, 50.5,
        )  # fmt: skip

    @pytest.mark.parametrize(
        ("latencies", "p50", "p95"),
        [([7.0], 7.0, 7.0), ([1.0, 2.0], 1.0, 2.0), ([3.0, 3.0, 3.0], 3.0, 3.0)],
    )
    def test_small_samples_pick_a_measured_value(self, latencies, p50, p95):
        summary = LatencySummary.of(latencies)
        assert (summary.p50_ms, summary.p95_ms) == (p50, p95)

    def test_values_are_rounded_to_a_tenth_of_a_millisecond(self):
        assert LatencySummary.of([1.2345, 2.3456]).to_dict() == {
            "count": 2, "p50_ms": 1.2, "p95_ms": 2.3, "max_ms": 2.3, "mean_ms": 1.8,
        }  # fmt: skip

    def test_no_latencies_is_an_error_not_a_zero(self):
        with pytest.raises(ValueError, match="no latencies to summarize"):
            LatencySummary.of([])


class TestWaitForQuietWithFakeClockAndLoad:
    def run(self, loads: list[float], *, patience_s: float = 300):
        now = [0.0]
        readings = iter(loads)
        said: list[str] = []

        def sleep(seconds: float) -> None:
            now[0] += seconds

        load = wait_for_quiet(
            limit=2.5, patience_s=patience_s, say=said.append, clock=lambda: now[0], sleep=sleep,
            read_load=lambda: next(readings),
        )  # fmt: skip
        return load, now[0], said

    def test_a_quiet_machine_starts_at_once(self):
        assert self.run([1.0]) == (1.0, 0.0, [])

    def test_it_waits_until_the_load_drops_below_the_limit(self):
        load, waited, said = self.run([4.0, 3.0, 2.4])
        assert (load, waited, len(said)) == (2.4, 30.0, 2)
        assert said[0] == "load average 4.00 >= 2.5: waiting for a quieter moment"

    def test_it_goes_ahead_busy_after_its_patience_and_returns_that_load(self):
        load, waited, _ = self.run([5.0] * 10, patience_s=40)
        assert (load, waited) == (5.0, 45.0)
