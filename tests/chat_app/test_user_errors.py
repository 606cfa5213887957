"""Every KzqaError reaches the user as its message: the CLI prints it and the UI shows it, no traceback.

The classes are found by importing every module, so a new user error is covered without a list here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import chat_app
import index
import ingest
from chat_app import cli
from chat_app.ui.errors import friendly_message
from ingest.budget import FileTooLarge, ParseTimeout
from ingest.errors import KzqaError

# What each family's message starts with in the UI, whose user (unlike the CLI's) did not run the failing step.
FAMILY_PREFIXES = {
    "SetupError": "kzqa is not configured correctly: ",
    "IndexUnavailable": "the search index is unavailable: ",
    "IndexBeingUpdated": "the index is being updated: ",
    "EmbeddingModelUnavailable": "the embedding model could not be loaded: ",
}
MESSAGE = "the corpus folder /x is empty; put the articles there, then run `kzqa index`"


def _all_user_errors() -> list[type[KzqaError]]:
    for package in (ingest, index, chat_app):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found, pending = [], [KzqaError]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


USER_ERRORS = _all_user_errors()


def _raised(cls: type[KzqaError]) -> KzqaError:
    """An instance of `cls`; the few classes that build their own message get their real arguments."""
    from index.build import BuildDamaged

    own_message = {
        FileTooLarge: lambda: FileTooLarge(50_000_000, 10_000_000),
        ParseTimeout: lambda: ParseTimeout(5.0, "parsing"),
        BuildDamaged: lambda: BuildDamaged(Path("/x/builds/b1"), "records.jsonl is missing"),
    }
    return own_message[cls]() if cls in own_message else cls(MESSAGE)


def _name(cls: type) -> str:
    return cls.__qualname__


def test_the_errors_users_could_already_read_are_all_found():
    names = {_name(cls) for cls in USER_ERRORS}
    assert {
        "UserError", "ConfigError", "CorpusNotFound", "IndexMissing", "IndexCorrupt", "IndexModelMismatch",
        "IndexBusy", "IndexWriteError", "VectorStoreError", "EmbeddingModelError", "ModelRebuildError",
        "QuestionError", "InvalidTestset", "AccessError", "PortUnavailable", "UploadRejected",
        "UnreadableInput", "UnknownFormat", "PromptTemplateError",
    } <= names  # fmt: skip


class TestCommandLine:
    @pytest.mark.parametrize("cls", USER_ERRORS, ids=_name)
    def test_prints_the_message_without_a_traceback(self, cls, monkeypatch, tmp_path, capsys):
        error = _raised(cls)

        def fail(*_args):
            raise error

        monkeypatch.chdir(tmp_path)  # no kzqa.toml of the developer's is read
        monkeypatch.setitem(cli.COMMANDS, "ingest", fail)
        status = cli.main(["ingest"])

        printed = capsys.readouterr()
        assert status == cli.EXIT_ERROR
        assert printed.err == f"kzqa: error: {error}\n"
        assert "Traceback" not in printed.err + printed.out


class TestBrowser:
    @pytest.mark.parametrize("cls", USER_ERRORS, ids=_name)
    def test_shows_the_message_after_its_familys_prefix(self, cls):
        error = _raised(cls)
        families = [FAMILY_PREFIXES[base.__name__] for base in cls.__mro__ if base.__name__ in FAMILY_PREFIXES]
        assert friendly_message(error) == (families[0] if families else "") + str(error)

    @pytest.mark.parametrize(
        ("error", "shown"),
        [
            (IndexError("list index out of range"), "something went wrong (IndexError)"),
            (RuntimeError("CUDA exploded\nTraceback (most recent call last)"), "something went wrong (RuntimeError)"),
        ],
    )
    def test_hides_any_other_error_behind_a_pointer_to_the_log(self, error, shown):
        message = friendly_message(error)
        assert message.startswith(shown) and "server log" in message
        assert str(error) not in message
