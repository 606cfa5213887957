"""`kzqa eval` from the command line: choosing configurations, --json for scripts, the files it writes."""

import json

import pytest

from chat_app.cli import EXIT_ERROR, EXIT_OK, main
from tests.support.paths import TEST_MODEL_CACHE, WSJ


@pytest.fixture
def env(monkeypatch, kzqa_config, tmp_path):
    monkeypatch.setenv("KZQA_DATA_DIR", str(kzqa_config.data_dir))
    monkeypatch.setenv("KZQA_MODEL_CACHE_DIR", str(TEST_MODEL_CACHE))
    monkeypatch.setenv("KZQA_CORPUS_DIR", str(kzqa_config.corpus_dir))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def one_question_testset(folder):
    testset = folder / "qa.jsonl"
    testset.write_text(
        json.dumps({"id": "t1", "question": "俄哈边境线有多长？", "sources": [WSJ],
                    "answer_keywords": [["7,644", "7644"]], "type": "fact", "answerable": True}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    return testset


def test_an_unknown_configuration_is_named_with_the_valid_ones(capsys):
    assert main(["eval", "--config", "hybrid", "dense"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "unknown eval configuration 'dense'" in err and "hybrid, vector, bm25, baseline" in err
    assert "Traceback" not in err


def test_retrieval_only_mode_has_no_baseline(capsys):
    assert main(["eval", "--retrieval", "--config", "baseline"]) == EXIT_ERROR
    assert "valid modes: hybrid, vector, bm25" in capsys.readouterr().err


def test_json_prints_only_the_summary_and_the_report_is_written(env, capsys):
    testset = one_question_testset(env)
    out = env / "eval"
    assert main(["eval", "--testset", str(testset), "--config", "bm25", "--out", str(out), "--json"]) == EXIT_OK
    captured = capsys.readouterr()
    summary = json.loads(captured.out)  # stdout is the JSON alone; progress and paths go to stderr
    assert list(summary["configs"]) == ["bm25"] and summary["questions"] == 1
    assert summary["configs"]["bm25"]["overall"]["hit_at_5"] == 1.0
    assert f"report: {out / 'report.html'}" in captured.err
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["configs"]["bm25"]["overall"] == summary["configs"]["bm25"]["overall"]
    assert (out / "hit_at_k.png").is_file()


def test_a_second_run_is_compared_with_the_last_one_question_by_question(env, capsys):
    testset = one_question_testset(env)
    out = env / "eval"
    args = ["eval", "--testset", str(testset), "--config", "bm25", "--out", str(out), "--json"]
    assert main(args) == EXIT_OK
    first = json.loads(capsys.readouterr().out)
    assert "compared_with" not in first  # nothing earlier in the folder
    assert main(args) == EXIT_OK
    second = json.loads(capsys.readouterr().out)
    assert second["compared_with"]["results"] == str(out / "results.json")
    (change,) = second["compared_with"]["changes"]
    passed = second["configs"]["bm25"]["overall"]["passed"]
    assert change["config"] == "bm25" and change["split"] == "all" and change["questions"] == 1
    assert (change["before"], change["after"]) == (passed, passed)  # the same engine answers the same way
    assert (change["fixed"], change["broken"], change["verdict"]) == (0, 0, "within noise")


@pytest.mark.parametrize(("content", "message"), [(None, "no such file"), ("[1, 2]", "not a results.json")])
def test_an_unusable_against_file_stops_before_anything_runs(env, capsys, content, message):
    earlier = env / "earlier.json"
    if content is not None:
        earlier.write_text(content, encoding="utf-8")
    out = env / "eval"
    assert main(["eval", "--config", "bm25", "--out", str(out), "--against", str(earlier)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"--against {earlier}" in err and message in err and "Traceback" not in err
    assert not out.exists()  # failed before answering anything


def test_against_does_not_apply_to_retrieval_only_runs(capsys):
    assert main(["eval", "--retrieval", "--against", "results.json"]) == EXIT_ERROR
    assert "--retrieval measures retrieval only" in capsys.readouterr().err
