"""No corpus or question words live in the engine's code: they are data files a user can edit.

Every string literal in chat_app/engine/*.py (docstrings aside) must be free of Chinese characters;
the words the engine reads questions with are in resources/*.toml.
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[3] / "chat_app" / "engine"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


@pytest.mark.parametrize("path", sorted(ENGINE.glob("*.py")), ids=lambda p: p.name)
def test_engine_code_holds_no_chinese_words(path):
    found = [(line, text) for line, text in literals(path) if HAN.search(text)]
    assert found == [], f"{path.name}: move these words to a data file in resources/: {found}"


@pytest.mark.parametrize("path", sorted((ENGINE / "resources").glob("*.toml")), ids=lambda p: p.name)
def test_resource_files_parse(path):
    assert tomllib.loads(path.read_text(encoding="utf-8"))
