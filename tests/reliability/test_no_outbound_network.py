"""The app makes no network connection except on loopback: no gradio analytics, no Chroma
telemetry, no model-hub checks. A Python audit hook watches every connect and name lookup while
the real UI starts and answers questions over HTTP."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).with_name("audit_probe.py")
ROOT = Path(__file__).resolve().parents[2]


def test_serving_and_answering_stays_on_loopback(kzqa_config, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(kzqa_config.data_dir, data_dir)
    # A clean environment: the app itself must switch libraries offline, not the test.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "GRADIO_", "ANONYMIZED_", "TRANSFORMERS_"))}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, str(PROBE), str(data_dir), str(kzqa_config.model_cache_dir), str(kzqa_config.corpus_dir)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["answers"] == 2
    assert report["violations"] == []
