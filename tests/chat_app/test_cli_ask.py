"""`kzqa ask` from the command line: one question, many from stdin, and --json (real index)."""

import io
import json

import pytest

from chat_app.cli import EXIT_OK, EXIT_PARTIAL, main
from tests.support.paths import TEST_MODEL_CACHE, WSJ

pytestmark = pytest.mark.usefixtures("commands_share_the_session_embedder")


@pytest.fixture
def env(monkeypatch, kzqa_config, tmp_path):
    monkeypatch.setenv("KZQA_DATA_DIR", str(kzqa_config.data_dir))
    monkeypatch.setenv("KZQA_MODEL_CACHE_DIR", str(TEST_MODEL_CACHE))
    monkeypatch.setenv("KZQA_CORPUS_DIR", str(kzqa_config.corpus_dir))
    monkeypatch.chdir(tmp_path)


def test_ask_prints_the_answer_and_a_numbered_source_list(env, capsys):
    assert main(["ask", "俄哈边境线有多长？"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "7,644" in out and "Sources" in out and f"[1] {WSJ}" in out


def test_ask_json_prints_to_dict(env, capsys):
    assert main(["ask", "红烧肉怎么做才好吃？", "--json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["refused"] is True and data["citations"] == []


def test_questions_from_stdin_are_answered_in_one_process(env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("俄哈边境线有多长？\n\n集安组织有哪些成员国？\n"))
    assert main(["ask", "--json"]) == EXIT_OK
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [line["question"] for line in lines] == ["俄哈边境线有多长？", "集安组织有哪些成员国？"]


def test_a_blank_question_among_others_is_reported_not_fatal(env, capsys, monkeypatch):
    assert main(["ask", "   "]) == EXIT_PARTIAL
    assert "question is empty" in capsys.readouterr().out
