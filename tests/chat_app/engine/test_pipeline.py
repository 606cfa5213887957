"""The answer pipeline loads the OpenAI client only when an LLM is configured: a server answering
extractively does not hold it (~20 MB of RSS, 781 modules of the `openai` package)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.paths import ROOT


def loaded_after_importing(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("module", ["chat_app.engine.pipeline", "chat_app.assistant", "chat_app.ui.service"])
def test_answering_extractively_does_not_import_the_openai_client(module):
    loaded = loaded_after_importing(module)
    assert "chat_app.engine.pipeline" in loaded
    assert {"openai", "llama_index.llms.openai_like"}.isdisjoint(loaded)


def test_the_llm_generator_does_import_it():
    """The check above would pass vacuously if the generator no longer needed the client."""
    assert {"openai", "llama_index.llms.openai_like"} <= loaded_after_importing("chat_app.engine.llm_generator")
