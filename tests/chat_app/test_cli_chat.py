"""`kzqa chat`: as a real subprocess, the page is served before the first index is built and IPv6
hosts work; in-process (`cli.main`, stopped by a busy port right after its checks), passwords given
in the open get a warning and a shared library is announced."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest

from tests.support.kzqa_process import kzqa_command, kzqa_env, kzqa_in_process
from tests.support.paths import small_corpus_copy
from tests.support.polling import eventually
from tests.support.ports import free_port


def test_kzqa_chat_serves_the_page_before_the_first_index_is_built(tmp_path):
    # Two articles: a build of a few seconds, still far longer than fetching the page once it is served.
    env = kzqa_env(tmp_path / "data", small_corpus_copy(tmp_path / "corpus"))
    port = free_port()
    server = subprocess.Popen(
        [kzqa_command(), "chat", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
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


def _kzqa_chat(*args: str, tmp_path: Path, corpus_dir: Path, extra_env: dict[str, str] | None = None):
    env = {**kzqa_env(tmp_path / "data", corpus_dir), **(extra_env or {})}
    if "KZQA_AUTH" not in (extra_env or {}):
        env.pop("KZQA_AUTH", None)
    return [kzqa_command(), "chat", *args], env


def _busy_port() -> socket.socket:
    """A listening socket: `kzqa chat` on its port stops right after its checks, before loading anything."""
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    return busy


def test_kzqa_chat_serves_on_an_ipv6_loopback_address(tmp_path, kzqa_config):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    shutil.copytree(kzqa_config.data_dir, tmp_path / "data")
    with socket.socket(socket.AF_INET6) as probe:
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]
    command, env = _kzqa_chat(
        "--host", "::1", "--port", str(port), tmp_path=tmp_path, corpus_dir=kzqa_config.corpus_dir
    )
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True).start()
    try:
        assert eventually(lambda: any("is running at" in line for line in lines), 120), "".join(lines)
        assert any(f"http://[::1]:{port}/" in line for line in lines), "".join(lines)
        with urllib.request.urlopen(f"http://[::1]:{port}/", timeout=10) as page:
            assert page.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_world_readable_auth_file_gets_a_warning(tmp_path, corpus_dir):
    users = tmp_path / "users.txt"
    users.write_text("ann:secret\n", encoding="utf-8")
    users.chmod(0o644)
    with _busy_port() as busy:
        port = str(busy.getsockname()[1])
        command, env = _kzqa_chat("--auth-file", str(users), "--port", port, tmp_path=tmp_path, corpus_dir=corpus_dir)
        run = kzqa_in_process(env, *command[1:], timeout=120)
        assert (
            f"the auth file {users} can be read by other users of this machine (permissions -rw-r--r--)" in run.stderr
        )
        assert f"chmod 600 {users}" in run.stderr

        users.chmod(0o600)
        run = kzqa_in_process(env, *command[1:], timeout=120)
        assert "can be read by other users" not in run.stderr


def test_a_password_on_the_command_line_gets_a_note_and_the_environment_is_offered(tmp_path, corpus_dir):
    with _busy_port() as busy:
        port = str(busy.getsockname()[1])
        command, env = _kzqa_chat("--auth", "ann:secret", "--port", port, tmp_path=tmp_path, corpus_dir=corpus_dir)
        run = kzqa_in_process(env, *command[1:], timeout=120)
        assert "visible to every user of this machine (`ps`); prefer KZQA_AUTH=user:password" in run.stderr

        # KZQA_AUTH is enough to serve beyond loopback: the refusal is about the port, not authentication
        command, env = _kzqa_chat("--host", "0.0.0.0", "--port", port, tmp_path=tmp_path, corpus_dir=corpus_dir,
                                  extra_env={"KZQA_AUTH": "ann:secret"})  # fmt: skip
        run = kzqa_in_process(env, *command[1:], timeout=120)
        assert "without authentication" not in run.stderr and "pass another --port" in run.stderr
        assert "visible to every user" not in run.stderr

    help_text = kzqa_in_process(env, "chat", "--help").stdout
    assert "KZQA_AUTH" in " ".join(help_text.split())


def test_a_shared_library_is_only_opened_on_purpose_and_then_announced(tmp_path, corpus_dir):
    with _busy_port() as busy:
        port = str(busy.getsockname()[1])
        announced = "shared library: every document added in the page is visible to"
        for args, extra_env in ((("--shared-library",), {}), ((), {"KZQA_SHARED_LIBRARY": "1"})):
            command, env = _kzqa_chat(*args, "--port", port, tmp_path=tmp_path, corpus_dir=corpus_dir,
                                      extra_env=extra_env)  # fmt: skip
            run = kzqa_in_process(env, *command[1:], timeout=120)
            assert announced in " ".join(run.stdout.split()), run.stdout + run.stderr
        command, env = _kzqa_chat("--port", port, tmp_path=tmp_path, corpus_dir=corpus_dir)
        run = kzqa_in_process(env, *command[1:], timeout=120)
        assert "shared library" not in run.stdout and "pass another --port" in run.stderr
