"""Importing the index package from anywhere switches every network-capable library offline."""

import json
import os
import subprocess
import sys

from index.offline import OFFLINE_ENVIRONMENT

PROBE = "import index, os, json; print(json.dumps({k: os.environ.get(k) for k in %s}))"


def test_importing_index_outside_the_repo_sets_the_offline_environment(tmp_path):
    # A scrubbed environment (this pytest process already set the variables) and an unrelated
    # working folder: catches an install where `index` resolves to something that skips the guard.
    env = {key: value for key, value in os.environ.items() if key not in OFFLINE_ENVIRONMENT}
    probe = PROBE % json.dumps(list(OFFLINE_ENVIRONMENT))
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == OFFLINE_ENVIRONMENT


def test_hub_and_telemetry_switches_are_the_ones_the_libraries_read():
    assert OFFLINE_ENVIRONMENT["HF_HUB_OFFLINE"] == "1"
    assert OFFLINE_ENVIRONMENT["ANONYMIZED_TELEMETRY"] == "False"
