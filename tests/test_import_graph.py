"""The import graph of ingest/, index/ and chat_app/, read from the source with `ast` (nothing is imported):
no cycle, imports flow one way (ingest ← index ← chat_app), and no module takes a private name from another
package. Imports inside functions count too: a lazy import hides a cycle, it does not remove it."""

from __future__ import annotations

import pytest

from tests.support.import_graph import LAYERS, cycles, import_graph, modules, private_imports


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
