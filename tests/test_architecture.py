"""ARCHITECTURE.md stays true: every module it names exists and imports, and none of them sits on an
import cycle."""

from __future__ import annotations

import importlib
import re

import pytest

from tests.support.import_graph import LAYERS, cycles, import_graph, modules
from tests.support.paths import ROOT

DOCUMENT = ROOT / "ARCHITECTURE.md"
# `ingest/records.py`, `chat_app/engine/models/` …: paths inside the three packages, in backticks.
NAMED_PATH = re.compile(rf"`((?:{'|'.join(LAYERS)})/[\w/]+?\.py)`")


def named_modules() -> list[str]:
    paths = NAMED_PATH.findall(DOCUMENT.read_text(encoding="utf-8"))
    return sorted({path.removesuffix(".py").replace("/", ".") for path in paths})


def test_the_document_names_modules_of_every_package():
    named = named_modules()
    assert {name.split(".")[0] for name in named} == set(LAYERS)


@pytest.mark.parametrize("module", named_modules())
def test_each_named_module_imports(module):
    assert importlib.import_module(module).__name__ == module


def test_no_named_module_is_on_an_import_cycle():
    named = set(named_modules())
    on_cycles = {module for cycle in cycles(import_graph(modules())) for module in cycle}
    assert sorted(named & on_cycles) == []


def test_named_folders_exist():
    folders = re.findall(r"`((?:ingest|index|chat_app)/[\w/]+/)`", DOCUMENT.read_text(encoding="utf-8"))
    assert folders and all((ROOT / folder).is_dir() for folder in folders)
