"""`kzqa index`, `kzqa retrieve` and `kzqa eval --retrieval` from the command line (real model)."""

import json

import pytest

from chat_app.cli import EXIT_ERROR, EXIT_OK, main
from tests.support.paths import BBC_JAN, TEST_MODEL_CACHE, VOA, small_corpus_copy

pytestmark = pytest.mark.usefixtures("commands_share_the_session_embedder")


@pytest.fixture
def kzqa_env(tmp_path, monkeypatch):
    corpus = small_corpus_copy(tmp_path / "corpus")
    monkeypatch.setenv("KZQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KZQA_MODEL_CACHE_DIR", str(TEST_MODEL_CACHE))
    monkeypatch.setenv("KZQA_CORPUS_DIR", str(corpus))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_index_then_reindex_then_retrieve(kzqa_env, capsys):
    assert main(["index"]) == EXIT_OK
    first = capsys.readouterr().out
    assert "indexed 2 documents" in first and "embedded" in first

    assert main(["index"]) == EXIT_OK
    assert "index is up to date" in capsys.readouterr().out

    assert main(["retrieve", "集安组织有哪些成员国？", "-k", "2", "--json"]) == EXIT_OK
    passages = json.loads(capsys.readouterr().out)
    assert len(passages) == 2 and passages[0]["source"] in (BBC_JAN, VOA)
    assert {"chunk_id", "source", "title", "section", "text", "start", "end", "score"} <= passages[0].keys()
    assert any(p["vector_rank"] for p in passages)  # hybrid: both searches ranked them


def test_retrieve_searches_the_configured_mode_unless_told_otherwise(kzqa_env, capsys, monkeypatch):
    assert main(["index"]) == EXIT_OK
    capsys.readouterr()
    monkeypatch.setenv("KZQA_RETRIEVAL_MODE", "bm25")
    assert main(["retrieve", "集安组织有哪些成员国？", "-k", "3", "--json"]) == EXIT_OK
    keyword_only = json.loads(capsys.readouterr().out)
    assert keyword_only and all(p["vector_rank"] is None and p["bm25_rank"] for p in keyword_only)
    assert main(["retrieve", "集安组织有哪些成员国？", "-k", "3", "--json", "--mode", "vector"]) == EXIT_OK
    vector_only = json.loads(capsys.readouterr().out)
    assert vector_only and all(p["bm25_rank"] is None and p["vector_rank"] for p in vector_only)


def test_retrieve_before_indexing_says_how_to_build_the_index(kzqa_env, capsys):
    assert main(["retrieve", "集安组织"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "kzqa index" in err and "Traceback" not in err


def test_retrieve_rejects_an_empty_question_and_an_unknown_mode(kzqa_env, capsys):
    assert main(["retrieve", "   "]) == EXIT_ERROR
    assert "question is empty" in capsys.readouterr().err
    assert main(["retrieve", "集安组织", "--mode", "dense"]) == EXIT_ERROR
    assert "valid modes: hybrid, vector, bm25" in capsys.readouterr().err


def test_eval_retrieval_reports_three_modes_on_a_small_testset(kzqa_env, capsys):
    testset = kzqa_env / "qa.jsonl"
    testset.write_text(
        json.dumps({"id": "t1", "question": "集安组织有哪些成员国？", "sources": [BBC_JAN],
                    "answer_keywords": [["白俄罗斯"]], "type": "fact", "answerable": True}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    assert main(["index"]) == EXIT_OK
    capsys.readouterr()
    assert main(["eval", "--retrieval", "--testset", str(testset), "--json"]) == EXIT_OK
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {"hybrid", "vector", "bm25"}
    assert summary["hybrid"]["overall"]["questions"] == 1
    assert summary["hybrid"]["overall"]["hit_at_5"] == 1.0


def test_eval_names_the_bad_line_of_a_broken_testset(kzqa_env, capsys):
    testset = kzqa_env / "broken.jsonl"
    testset.write_text('{"id": "a", "question": "x", "sources": ["f"]}\nnot json\n', encoding="utf-8")
    assert main(["eval", "--retrieval", "--testset", str(testset)]) == EXIT_ERROR
    assert "broken.jsonl:2" in capsys.readouterr().err


def test_private_documents_are_indexed_for_their_owner_and_never_retrieved_by_the_cli(kzqa_env, capsys):
    from chat_app.owners import Owner

    alice = kzqa_env / "data" / "documents" / "private" / Owner.user("alice").key
    alice.mkdir(parents=True)
    (alice / "notes.md").write_text(
        "# 甲方备忘\n\n阿拉木图苹果节于2022年9月举行，共有三百个摊位参加。\n", encoding="utf-8"
    )
    (alice / "empty.txt").write_bytes(b"")
    for rebuild in ([], ["--rebuild"]):  # ownership lives with the files: a rebuild keeps it
        assert main(["index", *rebuild]) == 1  # the empty file was skipped
        out = " ".join(capsys.readouterr().out.split())
        assert f"skipped private/{Owner.user('alice').key}/empty.txt" in out and "indexed 3 documents" in out
        assert main(["retrieve", "阿拉木图苹果节有多少摊位？", "-k", "10", "--json"]) == EXIT_OK
        assert "notes.md" not in {p["source"] for p in json.loads(capsys.readouterr().out)}
