"""`kzqa` prints questions and document text as text: rich markup in them ("[/]") is never read as
markup, uploaded documents are marked and their links never shown (real `kzqa` subprocesses over a
real index that holds an uploaded HTML page; the commands run in-process through `cli.main`, what the
console script calls)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.kzqa_process import kzqa_env, kzqa_in_process
from tests.support.untrusted_page import UPLOAD_QUESTION, UPLOADED_PAGE

pytestmark = pytest.mark.usefixtures("commands_share_the_session_embedder")


@pytest.fixture(scope="module")
def data_dir(kzqa_config, embedder, tmp_path_factory):
    """The session's index plus one uploaded page, indexed in-process (the model is already loaded)."""
    from chat_app.index_settings import index_settings
    from index.indexer import build_index

    data = tmp_path_factory.mktemp("cli-untrusted") / "data"
    shutil.copytree(kzqa_config.data_dir, data)
    (data / "documents").mkdir()
    (data / "documents" / "forum.html").write_text(UPLOADED_PAGE, encoding="utf-8")
    build_index(index_settings(kzqa_config.with_overrides(data_dir=data)), embedder=embedder)
    return data


def kzqa(*args: str, data_dir: Path, corpus_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return kzqa_in_process({**kzqa_env(data_dir, corpus_dir), "COLUMNS": "200"}, *args, stdin=stdin)


def test_markup_in_questions_and_in_a_cited_upload_is_printed_not_parsed(data_dir, corpus_dir):
    questions = ["a", "[/]x", UPLOAD_QUESTION, "？？？！！！。。。", "[bold]俄哈边境线有多长？[/bold]"]
    run = kzqa("ask", data_dir=data_dir, corpus_dir=corpus_dir, stdin="\n".join(questions) + "\n")
    assert run.returncode == 1, run.stderr  # one question (punctuation only) could not be answered
    assert "Traceback" not in run.stderr and "MarkupError" not in run.stderr
    assert "has no words to search for, only punctuation or symbols: please ask a question" in run.stdout
    for question in questions:  # every question got its own section: none was lost
        assert question in run.stdout
    assert "forum.html [uploaded] — 乌克兰战争下哈萨克斯坦的东西方平衡外交" in run.stdout
    assert "evil.example" not in run.stdout  # an uploaded page's address is never shown
    assert "https://cn.wsj.com/articles/" in run.stdout  # a corpus article's still is


def test_json_marks_the_upload_and_drops_its_url(data_dir, corpus_dir):
    import json

    run = kzqa("ask", "--json", UPLOAD_QUESTION, data_dir=data_dir, corpus_dir=corpus_dir)
    cited = json.loads(run.stdout)["citations"]
    assert [(c["source"], c["uploaded"], c["url"]) for c in cited] == [("forum.html", True, None)]


def test_retrieve_marks_uploaded_passages_and_prints_markup_as_text(data_dir, corpus_dir):
    run = kzqa("retrieve", "-k", "3", f"[/]{UPLOAD_QUESTION}", data_dir=data_dir, corpus_dir=corpus_dir)
    assert run.returncode == 0, run.stderr
    assert "1. forum.html [uploaded]" in run.stdout
    assert "000_336fa4486c18f44b.txt [uploaded]" not in run.stdout


def test_ingest_prints_a_title_with_markup_as_text(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# 标题[/]x[red]\n\n2022年的阿斯塔纳国际论坛原定于6月举行。\n", encoding="utf-8")
    run = kzqa("ingest", "--corpus", str(corpus), data_dir=tmp_path / "data", corpus_dir=corpus)
    assert run.returncode == 0, run.stderr
    assert "标题[/]x[red]" in run.stdout


@pytest.mark.parametrize("k", ["-1", "0", "2.5", "51", "many"])
@pytest.mark.parametrize("command", ["ask", "retrieve"])
def test_a_passage_count_outside_1_to_50_is_a_usage_error(tmp_path, corpus_dir, command, k):
    run = kzqa(command, "-k", k, "俄哈边境线有多长？", data_dir=tmp_path, corpus_dir=corpus_dir)
    assert run.returncode == 2
    assert f"argument -k: must be a whole number of passages from 1 to 50, not '{k}'" in run.stderr
