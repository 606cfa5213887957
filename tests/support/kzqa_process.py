"""Running the real `kzqa` console script in a subprocess, against a data dir and corpus of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.paths import CORPUS_DIR, TEST_MODEL_CACHE


@dataclass(frozen=True)
class SmallIndex:
    """A data dir holding a built index, and the corpus folder it was built from."""

    data_dir: Path
    corpus_dir: Path


def kzqa_command() -> str:
    """The console script installed beside this interpreter (the one `make test` installs)."""
    return str(Path(sys.executable).with_name("kzqa"))


def kzqa_env(data_dir: Path, corpus_dir: Path = CORPUS_DIR, model_cache: Path = TEST_MODEL_CACHE) -> dict[str, str]:
    return {
        **os.environ,
        "KZQA_DATA_DIR": str(data_dir),
        "KZQA_MODEL_CACHE_DIR": str(model_cache),
        "KZQA_CORPUS_DIR": str(corpus_dir),
        "HF_HUB_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def small_index_env(index: SmallIndex) -> dict[str, str]:
    return kzqa_env(index.data_dir, index.corpus_dir)


def run_kzqa(index: SmallIndex, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [kzqa_command(), *args], env=small_index_env(index), capture_output=True, text=True, timeout=timeout
    )


def kzqa_in_process(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`kzqa ARGS` through `chat_app.cli.main` in this process, with `env`'s KZQA_* settings (and
    COLUMNS), `stdin` as standard input and stdout/stderr captured: what the console script runs,
    without its ~14 s of imports and start-up. A command still running after `timeout` fails the
    test instead of hanging the suite. For what only a separate process shows (kills, a server,
    the installed script), use `run_kzqa`."""
    import io
    import threading
    from contextlib import redirect_stderr, redirect_stdout

    from chat_app.cli import main

    settings = {key: value for key, value in env.items() if _is_setting(key)}
    saved = {key: os.environ.get(key) for key in {*settings, *filter(_is_setting, os.environ)}}
    out, err = io.StringIO(), io.StringIO()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["status"] = main(list(args))
        except SystemExit as usage:  # argparse's usage errors and --help exit, as the script would
            outcome["status"] = usage.code if isinstance(usage.code, int) else 1
        except BaseException as error:  # re-raised in the test's thread, traceback and all
            outcome["error"] = error

    real_stdin = sys.stdin
    try:
        for key in saved:
            os.environ.pop(key, None)
        os.environ.update(settings)
        sys.stdin = io.StringIO(stdin)
        with redirect_stdout(out), redirect_stderr(err):
            worker = threading.Thread(target=run, name="kzqa-in-process", daemon=True)
            worker.start()
            worker.join(timeout)
    finally:
        sys.stdin = real_stdin
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if worker.is_alive():
        raise AssertionError(f"kzqa {' '.join(args)} still running after {timeout:g} s; its output:\n{out.getvalue()}")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return subprocess.CompletedProcess(["kzqa", *args], outcome["status"], out.getvalue(), err.getvalue())


def _is_setting(name: str) -> bool:
    return name.startswith("KZQA_") or name == "COLUMNS"  # COLUMNS: the width rich gives piped output


def run_kzqa_in_process(index: SmallIndex, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return kzqa_in_process(small_index_env(index), *args, stdin=stdin)
