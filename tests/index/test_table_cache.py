"""index/table_cache.py: a table is built once per source digest, renamed into place whole, rebuilt
when its folder is damaged, and built privately where the cache can't be written. The tables here
are a one-file stand-in (a deterministic fake of a real table), so the test sees every build."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.table_cache import cached_table


class CountingTable:
    """build writes the source text into the folder; load reads it back (ValueError when it's empty)."""

    def __init__(self, text: str = "table"):
        self.text = text
        self.builds = 0

    def build(self, folder: Path) -> None:
        self.builds += 1
        (folder / "table.txt").write_text(self.text)

    @staticmethod
    def load(folder: Path) -> str:
        text = (folder / "table.txt").read_text()
        if not text:
            raise ValueError("empty table")
        return text


def test_a_table_is_built_once_and_later_loads_read_it(tmp_path):
    table = CountingTable()
    assert cached_table("words", "ab" * 32, table.build, table.load, root=tmp_path) == "table"
    assert cached_table("words", "ab" * 32, table.build, table.load, root=tmp_path) == "table"
    assert table.builds == 1
    assert [path.name for path in tmp_path.iterdir()] == ["words-" + "ab" * 8]  # no staging folder left


def test_another_source_digest_gets_its_own_folder(tmp_path):
    old, new = CountingTable("old"), CountingTable("new")
    cached_table("words", "0" * 64, old.build, old.load, root=tmp_path)
    assert cached_table("words", "1" * 64, new.build, new.load, root=tmp_path) == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["words-" + "0" * 16, "words-" + "1" * 16]


@pytest.mark.parametrize("damage", ["empty file", "missing file"])
def test_a_damaged_folder_is_built_again(tmp_path, damage):
    table = CountingTable()
    cached_table("words", "c" * 64, table.build, table.load, root=tmp_path)
    stored = tmp_path / ("words-" + "c" * 16) / "table.txt"
    stored.write_text("") if damage == "empty file" else stored.unlink()
    assert cached_table("words", "c" * 64, table.build, table.load, root=tmp_path) == "table"
    assert table.builds == 2 and stored.read_text() == "table"


def test_a_folder_another_process_renamed_into_place_first_is_used(tmp_path):
    theirs = tmp_path / ("words-" + "d" * 16)

    def build_while_another_process_finishes(folder: Path) -> None:
        theirs.mkdir()
        (theirs / "table.txt").write_text("theirs")
        (folder / "table.txt").write_text("ours")

    assert cached_table("words", "d" * 64, build_while_another_process_finishes, CountingTable.load,
                        root=tmp_path) == "theirs"  # fmt: skip
    assert [path.name for path in tmp_path.iterdir()] == [theirs.name]


def test_a_failed_build_leaves_no_folder_behind(tmp_path):
    def failing(folder: Path) -> None:
        (folder / "table.txt").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cached_table("words", "e" * 64, failing, CountingTable.load, root=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_where_the_cache_cannot_be_written_the_table_is_built_for_this_process(tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    table = CountingTable()
    assert cached_table("words", "f" * 64, table.build, table.load, root=not_a_folder) == "table"
    assert table.builds == 1
    assert not_a_folder.read_text().startswith("a file")


def test_a_cache_whose_disk_fills_up_during_the_build_gives_this_process_its_own_table(tmp_path):
    calls = []

    def fills_the_cache_disk(folder: Path) -> None:
        calls.append(folder)
        if folder.parent == tmp_path:
            raise OSError(28, "No space left on device")
        (folder / "table.txt").write_text("private")

    assert cached_table("words", "9" * 64, fills_the_cache_disk, CountingTable.load, root=tmp_path) == "private"
    assert len(calls) == 2 and not calls[1].exists()  # the private folder is gone once the table is loaded
    assert list(tmp_path.iterdir()) == []
