"""read_setting: a raw setting value read into its declared type, strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat_app.setting_values import read_setting
from index.retrieval_mode import RetrievalMode


class TestReadSetting:
    @pytest.mark.parametrize(
        ("kind", "value", "expected"),
        [
            (int, "12", 12),
            (int, 12, 12),
            (int, 3.0, 3),
            (float, "2.5", 2.5),
            (float, 2, 2.0),
            (bool, "Yes", True),
            (bool, " on ", True),
            (bool, "off", False),
            (bool, "", False),
            (bool, False, False),
            (str, "multilingual-e5-small", "multilingual-e5-small"),
            (str | None, "", None),
            (str | None, None, None),
            (str | None, "user:secret", "user:secret"),
            (RetrievalMode, "bm25", RetrievalMode.BM25),
            (RetrievalMode, RetrievalMode.VECTOR, RetrievalMode.VECTOR),
        ],
    )
    def test_reads_a_value_of_the_declared_type(self, kind, value, expected):
        read = read_setting(kind, value)
        assert read == expected and type(read) is type(expected)

    def test_expands_a_home_folder_in_a_path(self):
        assert read_setting(Path, "~/kzqa") == Path.home() / "kzqa"

    @pytest.mark.parametrize(
        ("kind", "value"),
        [
            (int, "twelve"),
            (int, 2.5),
            (int, True),
            (float, "fast"),
            (float, False),
            (bool, "maybe"),
            (bool, 1),
            (str, 5),
            (str | None, 5),
            (Path, 5),
        ],
    )
    def test_refuses_a_value_of_another_type(self, kind, value):
        with pytest.raises(ValueError, match="not "):
            read_setting(kind, value)

    def test_an_unknown_choice_is_refused_with_the_valid_ones(self):
        with pytest.raises(ValueError, match=r"unknown retrieval mode 'dense'; valid modes: hybrid, vector, bm25"):
            read_setting(RetrievalMode, "dense")

    def test_reading_an_already_typed_value_changes_nothing(self):
        for kind, value in [(Path, Path("/data")), (int, 5), (bool, True), (RetrievalMode, RetrievalMode.HYBRID)]:
            assert read_setting(kind, value) == value
