"""Broken encodings in the corpus folder: `kzqa ingest`, `ask`, `index` and `chat` skip each such
file with its reason and keep working on the rest (real files, real model; `chat` is a real `kzqa`
subprocess, the other commands run in-process through `cli.main`, what the console script calls).

Before, a UTF-16 file with an odd byte count ended all four with a UnicodeDecodeError traceback.
"""

from __future__ import annotations

import codecs
import json
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest

from index.manifest import read_manifest
from tests.support.kzqa_process import kzqa_command, kzqa_env, kzqa_in_process
from tests.support.paths import BBC_JAN, VOA, small_corpus_copy
from tests.support.polling import eventually
from tests.support.ports import free_port

pytestmark = pytest.mark.usefixtures("commands_share_the_session_embedder")

ARTICLE = "哈萨克斯坦的首都是阿斯塔纳。\n\n哈萨克斯坦是世界上最大的内陆国家，与俄罗斯和中国相邻。\n"
UTF8 = ARTICLE.encode("utf-8")
BROKEN = {  # file → what `kzqa` must say about it
    "odd_utf16.txt": (
        "测试\n\n内容。\n".encode("utf-16") + b"A",
        "damaged UTF-16 text: it ends in the middle of a character",
    ),
    "lone_bom.txt": (codecs.BOM_UTF8, "empty file: it holds only a UTF-8 byte-order mark"),
    "nul_filled.txt": (b"\x00" * 4096, "empty file: it holds only NUL bytes"),
}
READABLE = {  # damaged or unusual, but still text: read, with a warning where something was lost
    "gbk.txt": ARTICLE.encode("gbk"),
    "bad_byte_inside.txt": UTF8[:42] + b"\xff" + UTF8[42:],
}
KEPT = {BBC_JAN, VOA, *READABLE}


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = small_corpus_copy(tmp_path / "corpus")
    for name, (data, _) in BROKEN.items():
        (folder / name).write_bytes(data)
    for name, data in READABLE.items():
        (folder / name).write_bytes(data)
    return folder


def _env(corpus: Path, data_dir: Path) -> dict[str, str]:
    return {**kzqa_env(data_dir, corpus), "COLUMNS": "400"}  # rich wraps long reasons at the terminal width


def _kzqa(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return kzqa_in_process(env, *args, stdin=stdin)


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


def test_kzqa_ingest_lists_each_broken_file_with_its_reason(corpus, tmp_path):
    result = _kzqa("ingest", "--json", env=_env(corpus, tmp_path / "data"))
    _no_traceback(result)
    assert result.returncode == 1  # EXIT_PARTIAL: some files skipped
    report = json.loads(result.stdout)
    assert {d["source"] for d in report["documents"]} == KEPT
    skipped = {s["source"]: s["reason"] for s in report["skipped"]}
    assert set(skipped) == set(BROKEN)
    for name, (_, reason) in BROKEN.items():
        assert skipped[name].startswith(reason)
    warnings = {d["source"]: d["warnings"] for d in report["documents"]}
    assert any("invalid UTF-8 byte sequence" in w for w in warnings["bad_byte_inside.txt"])


def test_kzqa_ingest_table_shows_the_reasons(corpus, tmp_path):
    result = _kzqa("ingest", env=_env(corpus, tmp_path / "data"))
    _no_traceback(result)
    assert result.returncode == 1
    rows = _table_rows(result.stdout)
    for name, (_, reason) in BROKEN.items():
        assert rows[name][0] == "skipped" and rows[name][-1].startswith(reason)
    assert {name for name, row in rows.items() if row[0] != "skipped"} == KEPT
    assert "4 documents" in result.stdout and "3 skipped" in result.stdout


def _table_rows(table: str) -> dict[str, list[str]]:
    """file → its cells, from the rich table `kzqa ingest` prints (a wrapped cell continues below)."""
    rows: dict[str, list[str]] = {}
    current: list[str] = []
    for line in table.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            current = rows.setdefault(cells[0], cells[1:])
        else:
            for i, cell in enumerate(cells[1:]):
                current[i] = f"{current[i]} {cell}".strip()
    return rows


def test_ask_builds_the_index_past_broken_files_then_index_and_chat_keep_working(corpus, tmp_path):
    data_dir = tmp_path / "data"
    env = _env(corpus, data_dir)

    # `kzqa ask` on a fresh data dir builds the index first: the broken files must not stop it.
    asked = _kzqa("ask", "--json", env=env, stdin="集安组织有哪些成员国？\n哈萨克斯坦的首都是哪里？\n")
    _no_traceback(asked)
    assert asked.returncode == 0, asked.stdout + asked.stderr
    answers = [json.loads(line) for line in asked.stdout.splitlines() if line.startswith("{")]
    assert len(answers) == 2 and all(a["citations"] for a in answers)
    assert {c["source"] for a in answers for c in a["citations"]} <= KEPT
    said = " ".join(asked.stdout.split())
    for name, (_, reason) in BROKEN.items():  # the build it started says what it left out
        assert f"skipped {name}: {reason}" in said

    # Every file is either fully in the index or reported by `kzqa index`.
    indexed = _kzqa("index", env=env)
    _no_traceback(indexed)
    assert indexed.returncode == 1  # EXIT_PARTIAL
    assert "index is up to date" in indexed.stdout
    out = " ".join(indexed.stdout.split())
    for name, (_, reason) in BROKEN.items():
        assert f"skipped {name}: {reason}" in out
    assert set(read_manifest(data_dir).sources) == KEPT

    # `kzqa chat` starts and answers from the same index.
    _chat_starts(env)


def _chat_starts(env: dict[str, str]) -> None:
    port = free_port()
    server = subprocess.Popen(
        [kzqa_command(), "chat", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        started = eventually(lambda: any("ready to answer" in line or "could not start" in line for line in lines), 300)
        assert started, "".join(lines)
        assert any("ready to answer" in line for line in lines), "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in "".join(lines)
