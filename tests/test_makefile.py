"""`make run` passes the port on to `kzqa chat` (checked with `make -n`, which only prints the commands)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.paths import ROOT


def run_commands(*variables: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", *variables], capture_output=True, text=True, check=True
    )
    return [line.strip() for line in done.stdout.splitlines() if "kzqa chat" in line]


def test_make_run_serves_on_the_port_it_is_given():
    assert run_commands("PORT=7861") == [".venv/bin/kzqa chat --port 7861"]


def test_make_run_serves_on_7860_by_default():
    assert run_commands() == [".venv/bin/kzqa chat --port 7860"]
