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


LIBRARIES_PROBE = """
import json
import chat_app
import chromadb.config
import huggingface_hub.constants as hub
print(json.dumps({
    "hub_offline": hub.HF_HUB_OFFLINE,
    "hub_telemetry_off": hub.HF_HUB_DISABLE_TELEMETRY,
    "chroma_telemetry": chromadb.config.Settings().anonymized_telemetry,
}))
"""


def test_the_libraries_read_the_switches_as_offline_once_the_app_is_imported(tmp_path):
    # What the libraries themselves conclude, in a fresh process: a misspelt variable or a value
    # they do not parse as intended ("0", "false" where "1" is meant) fails here.
    env = {key: value for key, value in os.environ.items() if key not in OFFLINE_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-c", LIBRARIES_PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"hub_offline": True, "hub_telemetry_off": True, "chroma_telemetry": False}
