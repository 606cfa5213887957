"""Reader leases: a live reader's lease counts, a dead or impostor process's does not, and a build
switched in while a reader takes its lease is the one leased."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from index.manifest import write_manifest
from index.processes import start_time
from index.reader_leases import LEASES_DIR, Lease, ReaderLease, live_leases
from tests.support.manifests import manifest


@pytest.fixture
def data_dir(tmp_path):
    write_manifest(tmp_path, manifest("b1"))
    return tmp_path


class TestReaderLease:
    def test_a_lease_names_the_current_build_until_released(self, data_dir):
        lease = ReaderLease(data_dir)
        assert lease.hold_current().build_id == "b1"
        assert live_leases(data_dir) == [Lease(os.getpid(), start_time(os.getpid()), "b1", "kzqa_b1")]
        lease.release()
        assert live_leases(data_dir) == []

    def test_the_lease_of_a_process_that_has_died_does_not_count_and_is_removed(self, data_dir):
        script = (
            "import sys; from pathlib import Path; from index.reader_leases import ReaderLease; "
            "ReaderLease(Path(sys.argv[1])).hold_current()"  # exits without releasing, as a killed reader
        )
        subprocess.run([sys.executable, "-c", script, str(data_dir)], check=True, env={**os.environ})
        assert len(list((data_dir / LEASES_DIR).glob("*.json"))) == 1
        assert live_leases(data_dir) == []
        assert list((data_dir / LEASES_DIR).iterdir()) == []

    def test_a_running_process_that_reuses_a_dead_readers_pid_is_not_mistaken_for_it(self, data_dir):
        own = start_time(os.getpid())
        assert own is not None, "needs /proc"
        impostor = Lease(os.getpid(), own - 1, "b0", "kzqa_b0")  # same pid, started at another time
        (data_dir / LEASES_DIR).mkdir()
        (data_dir / LEASES_DIR / "1-x.json").write_text(json.dumps(impostor.__dict__), encoding="utf-8")
        assert live_leases(data_dir) == []

    def test_an_unreadable_lease_file_does_not_count(self, data_dir):
        (data_dir / LEASES_DIR).mkdir()
        (data_dir / LEASES_DIR / "1-x.json").write_text("{half", encoding="utf-8")
        assert live_leases(data_dir) == []


def test_a_build_switched_in_while_leasing_is_leased_instead_with_a_fake_switch(data_dir, monkeypatch):
    """Logic only: the writer's switch is faked by replacing the manifest between the two reads."""
    real_write = ReaderLease._write
    switched = []

    def write_then_switch(self, current):
        real_write(self, current)
        if not switched:
            switched.append(current.build_id)
            write_manifest(data_dir, manifest("b2"))  # a rebuild finishes right after the lease is written

    monkeypatch.setattr(ReaderLease, "_write", write_then_switch)
    assert ReaderLease(data_dir).hold_current().build_id == "b2"
    assert [lease.build_id for lease in live_leases(data_dir)] == ["b2"]
