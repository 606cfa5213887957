"""The advisory file lock shared by the index writer and the model builders."""

from __future__ import annotations

import threading

import pytest

from index.file_lock import file_lock


def test_a_second_holder_is_told_at_once_when_it_does_not_wait(tmp_path):
    path = tmp_path / ".lock"
    with file_lock(path, wait=False) as first, file_lock(path, wait=False) as second:
        assert (first, second) == (True, False)
    with file_lock(path, wait=False) as again:
        assert again  # released with the block


def test_the_lock_file_is_created_and_left_in_place(tmp_path):
    path = tmp_path / ".lock"
    with file_lock(path):
        assert path.is_file()
    assert path.is_file()


def test_a_waiting_holder_gets_the_lock_once_it_is_released(tmp_path):
    path = tmp_path / ".lock"
    acquired = threading.Event()

    def wait_for_it() -> None:
        with file_lock(path) as held:
            assert held
            acquired.set()

    with file_lock(path):
        waiter = threading.Thread(target=wait_for_it)
        waiter.start()
        assert not acquired.wait(0.3)  # still held here
    assert acquired.wait(10)
    waiter.join(10)


def test_the_lock_is_released_when_the_block_raises(tmp_path):
    path = tmp_path / ".lock"
    with pytest.raises(RuntimeError), file_lock(path):
        raise RuntimeError("interrupted")
    with file_lock(path, wait=False) as held:
        assert held
