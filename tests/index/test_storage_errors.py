"""storage_failure tells a full or read-only disk apart from other errors, whatever type carries it."""

import errno

import pytest

from index.storage_errors import storage_failure


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system"),
        RuntimeError("Query error: Database error: error returned from database: (code: 13) database or disk is full"),
        RuntimeError("error returned from database: (code: 8) attempt to write a readonly database"),
        RuntimeError("Failed to write segment: No space left on device (os error 28)"),
    ],
)
def test_recognises_a_full_or_read_only_disk(error):
    assert storage_failure(error)


@pytest.mark.parametrize("error", [ValueError("collection kzqa_x does not exist"), KeyError("chunk"), RuntimeError("")])
def test_other_errors_are_not_storage_failures(error):
    assert storage_failure(error) is None


def test_an_os_error_is_reported_by_its_description():
    assert storage_failure(OSError(errno.ENOSPC, "No space left on device")) == "No space left on device"


@pytest.mark.parametrize(
    "error",
    [IsADirectoryError(errno.EISDIR, "Is a directory"), NotADirectoryError(errno.ENOTDIR, "Not a directory")],
)
def test_a_path_in_the_way_is_not_blamed_on_the_disk(error):
    assert storage_failure(error) is None


COMPACTION = "Error in compaction: Failed to apply logs to the metadata segment"


def test_a_compaction_error_on_a_disk_with_room_is_not_blamed_on_the_disk(tmp_path):
    # It names no cause; only a (nearly) full disk under the store makes it a storage failure,
    # which the real 5 MB disk in tests/reliability/test_disk_full.py shows.
    assert storage_failure(RuntimeError(COMPACTION), folder=tmp_path) is None
    assert storage_failure(RuntimeError(COMPACTION)) is None
