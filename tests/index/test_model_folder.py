"""Model folders: a user's folder is never replaced, dead builds' temp folders are cleared, live ones kept."""

from __future__ import annotations

import subprocess
import sys

import pytest

from index.model_folder import check_replaceable, install_build, remove_build, remove_stale_temps, temp_folder_for

ENTRIES = {"model.onnx", "complete.json"}


class Refused(Exception):
    pass


def test_an_absent_folder_or_one_holding_only_build_outputs_may_be_replaced(tmp_path):
    check_replaceable(tmp_path / "absent", ENTRIES, Refused)
    target = tmp_path / "model"
    target.mkdir()
    (target / "model.onnx").write_bytes(b"x")
    check_replaceable(target, ENTRIES, Refused)


def test_a_folder_with_other_files_is_refused_naming_them(tmp_path):
    target = tmp_path / "model"
    target.mkdir()
    (target / "model.onnx").write_bytes(b"x")
    (target / "my_notes.txt").write_text("mine")
    with pytest.raises(Refused, match=r"unexpected entries: my_notes\.txt"):
        check_replaceable(target, ENTRIES, Refused)


def test_a_file_in_the_folders_place_is_refused(tmp_path):
    target = tmp_path / "model"
    target.write_text("not a folder")
    with pytest.raises(Refused, match="not a folder"):
        check_replaceable(target, ENTRIES, Refused)


def test_removing_a_build_removes_the_whole_folder(tmp_path):
    target = tmp_path / "model"
    (target / "sub").mkdir(parents=True)
    (target / "complete.json").write_text("{}")
    remove_build(target, "complete.json")
    assert not target.exists()


class TestInstallBuild:
    def test_a_finished_build_replaces_an_earlier_one(self, tmp_path):
        target, tmp = tmp_path / "model", tmp_path / ".model.tmp-1"
        for folder, text in ((target, "old"), (tmp, "new")):
            folder.mkdir()
            (folder / "complete.json").write_text(text)
        install_build(tmp, target, entries=ENTRIES, marker_file="complete.json", refuse=Refused)
        assert (target / "complete.json").read_text() == "new" and not tmp.exists()

    def test_a_users_folder_in_the_way_is_kept_and_the_build_refused(self, tmp_path):
        target, tmp = tmp_path / "model", tmp_path / ".model.tmp-1"
        target.mkdir()
        (target / "notes.txt").write_text("mine")
        tmp.mkdir()
        with pytest.raises(Refused, match=r"notes\.txt"):
            install_build(tmp, target, entries=ENTRIES, marker_file="complete.json", refuse=Refused)
        assert (target / "notes.txt").read_text() == "mine" and tmp.exists()


def test_temp_folders_of_dead_processes_go_and_a_running_ones_stays(tmp_path):
    target = tmp_path / "model"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead_tmp = tmp_path / f".model.tmp-{int(dead.stdout)}"
        live_tmp = tmp_path / f".model.tmp-{running.pid}"
        own_tmp = temp_folder_for(target)  # ours, from an earlier attempt in this process
        for folder in (dead_tmp, live_tmp, own_tmp):
            folder.mkdir()
        remove_stale_temps(target)
        assert not dead_tmp.exists() and not own_tmp.exists()
        assert live_tmp.exists()
    finally:
        running.kill()
        running.wait()
