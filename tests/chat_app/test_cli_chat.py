"""`kzqa chat` on a machine with no index yet: the page is served at once and shows the build,
then answers (a real subprocess, real model, real Gradio server)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from tests.chat_app.ui.conftest import _free_port
from tests.conftest import TEST_MODEL_CACHE
from tests.polling import eventually


def test_kzqa_chat_serves_the_page_before_the_first_index_is_built(tmp_path, corpus_dir):
    env = {
        **os.environ,
        "KZQA_DATA_DIR": str(tmp_path / "data"),
        "KZQA_MODEL_CACHE_DIR": str(TEST_MODEL_CACHE),
        "KZQA_CORPUS_DIR": str(corpus_dir),  # all five articles: a build of ~10 s to watch
        "PYTHONUNBUFFERED": "1",
    }
    port = _free_port()
    kzqa = str(Path(sys.executable).with_name("kzqa"))
    server = subprocess.Popen(
        [kzqa, "chat", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        assert eventually(lambda: any("is running at" in line for line in lines), 120), "".join(lines)
        running = next(i for i, line in enumerate(lines) if "is running at" in line)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
        assert not any("ready to answer" in line for line in lines)  # the page came first
        assert eventually(lambda: any("ready to answer" in line for line in lines), 300), "".join(lines)
        ready = next(i for i, line in enumerate(lines) if "ready to answer" in line)
        building = next(i for i, line in enumerate(lines) if "no index yet" in line)
        assert building < ready and running < ready  # served while the index was still to be built
        assert (tmp_path / "data" / "manifest.json").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)
