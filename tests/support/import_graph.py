"""The import graph of ingest/, index/ and chat_app/, read from the source with `ast` (nothing is imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.support.paths import ROOT

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
