"""`kzqa ingest`: one row per document, skipped files with reasons, exit code says which."""

import shutil
import subprocess

from chat_app.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, main
from tests.support.kzqa_process import kzqa_command
from tests.support.paths import ALL_SOURCES, BBC_JAN


def test_ingest_prints_a_row_per_article_and_exits_zero(capsys, corpus_dir):
    assert main(["ingest", "--corpus", str(corpus_dir)]) == EXIT_OK
    out = capsys.readouterr().out
    for source in ALL_SOURCES:
        assert source in out
    assert "wrapped_text" in out and "word_export" in out and "2022-01-23" in out
    assert "5 documents" in out and "skipped" not in out


def test_ingest_reports_skipped_files_and_exits_partial(tmp_path, capsys, corpus_dir):
    shutil.copyfile(corpus_dir / BBC_JAN, tmp_path / BBC_JAN)
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["ingest", "--corpus", str(tmp_path)]) == EXIT_PARTIAL
    out = capsys.readouterr().out
    assert "empty.txt" in out and "empty file" in out and "1 skipped" in out


def test_ingest_of_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["ingest", "--corpus", str(tmp_path / "nope")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "corpus folder not found" in err and "nope" in err
    assert "Traceback" not in err


def test_ingest_json_output_is_machine_readable(capsys, corpus_dir):
    import json

    main(["ingest", "--corpus", str(corpus_dir), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert [d["source"] for d in report["documents"]] == list(ALL_SOURCES)
    assert report["skipped"] == []


def test_console_script_is_installed_and_runs():
    result = subprocess.run([kzqa_command(), "ingest"], capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_OK, result.stderr
    assert "000_336fa4486c18f44b.txt" in result.stdout
