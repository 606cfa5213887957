# kzqa: `make run` installs and opens the chat UI; `make test` installs and runs the test suite.
SHELL := /bin/bash
PYTHON ?= python3
# The chat's port: `make run PORT=7861` when 7860 is taken.
PORT ?= 7860
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check
# pip's warnings about this machine's local mirrors are noise; real errors still fail the build.
QUIET_PIP := 2>&1 | grep -v -E "is ignored: it is neither a file nor a directory" ; test $${PIPESTATUS[0]} -eq 0
# Packages go in with uv (seconds, where pip took minutes), from the sources pip is configured with.
UV_VERSION := 0.13.9
UV_PIP := $(BIN)/python .ci/uv_pip.py
# Lists of installed packages are noise, and so is huggingface-hub's dropped `inference` extra that
# llama-index-embeddings-huggingface still asks for (harmless: nothing here uses it).
QUIET_UV := 2>&1 | grep -v -E "^ [-+~] |does not have an extra named .inference." ; test $${PIPESTATUS[0]} -eq 0

.PHONY: run test test-llm install install-dev lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(PIP) install -q uv==$(UV_VERSION) $(QUIET_PIP)

# torch first, from the pinned CPU wheel; everything after is held to constraints.txt.
$(VENV)/.installed: $(BIN)/uv pyproject.toml constraints.txt .ci/uv_pip.py
	@echo "Installing kzqa and its packages into $(VENV) …"
	$(UV_PIP) install -c constraints.txt torch==2.13.0 $(QUIET_UV)
	$(UV_PIP) install -c constraints.txt -e . $(QUIET_UV)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(UV_PIP) install -c constraints.txt -e '.[dev]' $(QUIET_UV)
	touch $@

$(VENV)/.installed-llm: $(VENV)/.installed-dev
	# llama.cpp is compiled here: a portable build, so a cached wheel also runs on other CPUs.
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(UV_PIP) install -c constraints.txt -e '.[dev,local-llm]' $(QUIET_UV)
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# `kzqa chat` serves http://127.0.0.1:$(PORT) at once and builds the index if there is none.
run: install
	$(BIN)/kzqa ingest
	$(BIN)/kzqa chat --port $(PORT)

# Browser tests drive Debian's chromium; without a CJK font Chinese renders as boxes. CI runs as root.
$(VENV)/.browser-deps: | $(BIN)/python
	dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; }
	touch $@

test: install-dev $(VENV)/.browser-deps
	$(BIN)/ruff check .
	# One worker per core; a test file stays on one worker, so its session fixtures are built once there.
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The slow tests against a real local LLM server (llama.cpp + SmolLM2-135M); compiles llama.cpp once.
test-llm: $(VENV)/.installed-llm
	$(BIN)/python -m pytest -m slow tests/chat_app/llm/test_real_local_llm.py

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .kzqa .pytest_cache .ruff_cache *.egg-info
