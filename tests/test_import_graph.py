"""The import graph of ingest/, index/ and chat_app/, read from the source with `ast` (nothing is imported):
no cycle, imports flow one way (ingest ← index ← chat_app), and no module takes a private name from another
package. Imports inside functions count too: a lazy import hides a cycle, it does not remove it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("ingest", "index", "chat_app")  # each may import only the ones before it


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name → source file, for every module of the three packages."""
    found = {}
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported_names(path: Path) -> Iterator[tuple[str, str | None]]:
    """(module, name) per imported name; name is None for `import module`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield from ((node.module, alias.name) for alias in node.names)


def import_graph(known: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the project modules it imports (`from package import module` names the module)."""
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for module, imported in imported_names(path):
            submodule = f"{module}.{imported}"
            target = submodule if submodule in known else module
            if target in known and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            if component:
                found.append(sorted([node, *component]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def package_of(module: str, known: dict[str, Path]) -> str:
    return module if known[module].name == "__init__.py" else module.rpartition(".")[0]


def private_imports(known: dict[str, Path]) -> list[str]:
    """`from X import _name` where X is a module of another package than the importer's."""
    found = []
    for name, path in known.items():
        for module, imported in imported_names(path):
            private = imported is not None and imported.startswith("_") and not imported.startswith("__")
            if private and module in known and package_of(module, known) != package_of(name, known):
                found.append(f"{name} imports {imported} from {module}")
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph(modules())


class TestTheCheckers:
    """The checks on a small made-up tree, so that a check that can never fire would be noticed."""

    @pytest.fixture
    def tree(self, tmp_path):
        files = {
            "ingest/__init__.py": "",
            "ingest/a.py": "from ingest.b import helper\n",
            "ingest/b.py": "def helper():\n    from ingest import a\n",  # a lazy import still closes the cycle
            "index/__init__.py": "",
            "index/c.py": "from ingest.a import _private\nfrom index.d import _own\n",
            "index/d.py": "import ingest.b\n_own = 1\n",
            "chat_app/__init__.py": "from chat_app.e import E\n",
            "chat_app/e.py": "from index import c\nE = 1\n",
        }
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text, encoding="utf-8")
        return modules(tmp_path)

    def test_a_cycle_through_a_function_level_import_is_found(self, tree):
        assert cycles(import_graph(tree)) == [["ingest.a", "ingest.b"]]

    def test_from_package_import_module_is_an_edge_to_the_module(self, tree):
        graph = import_graph(tree)
        assert graph["chat_app.e"] == {"index.c"} and graph["index.d"] == {"ingest.b"}

    def test_a_private_name_from_another_package_is_found_and_one_from_the_same_package_is_not(self, tree):
        assert private_imports(tree) == ["index.c imports _private from ingest.a"]


@pytest.mark.parametrize("layer", LAYERS)
def test_no_import_cycle(graph, layer):
    assert [cycle for cycle in cycles(graph) if any(m.split(".")[0] == layer for m in cycle)] == []


def test_imports_flow_one_way_from_ingest_to_index_to_chat_app(graph):
    rank = {layer: position for position, layer in enumerate(LAYERS)}
    upward = [f"{module} imports {target}" for module, targets in graph.items() for target in sorted(targets)
              if rank[target.split(".")[0]] > rank[module.split(".")[0]]]  # fmt: skip
    assert upward == []


def test_no_module_imports_a_private_name_from_another_package():
    assert private_imports(modules()) == []
