"""The package's shape, checked from its source: imports go down the floors of the data flow,
never up or in a circle; modules are read in one sitting; a public function name means one
thing; no module reaches into another's private names.

The import graph is built from the AST of every module of ``src/helpers``, imports inside
functions included (a lazy import is still a dependency). Phase 2 of issue 13 moves the
modules into one folder per floor: ``FLOORS`` then maps folder names instead of module names,
and the exception lists below, which name the files other branches were editing when these
rules were written, must shrink to nothing.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"

# The floors of the data flow, lowest first. An import may go to the same floor or a lower one.
FOUNDATION, INGEST, TEXT, ANALYSIS, REPORT, TESTING, DEV, CLI = range(8)
FLOORS: dict[str, int] = {
    # errors, paths and settings, atomic writes: used by everything
    "errors": FOUNDATION,
    "config": FOUNDATION,
    "store": FOUNDATION,
    # bytes -> checked tables on disk
    "dumps": INGEST,
    "load": INGEST,
    "ingest": INGEST,
    # the tokeniser and its two engines with the same counts
    "text": TEXT,
    "engine": TEXT,
    "totals": TEXT,
    "counting": TEXT,
    "distributed": TEXT,
    # the questions: DataFrame in, DataFrame out
    "periods": ANALYSIS,
    "stats": ANALYSIS,
    "terms": ANALYSIS,
    "trends": ANALYSIS,
    "trend_signals": ANALYSIS,  # issue 15
    "topics": ANALYSIS,  # issue 16
    "similar": ANALYSIS,  # issue 16
    "links": ANALYSIS,
    "links_urls": ANALYSIS,
    "links_code": ANALYSIS,
    "links_tables": ANALYSIS,
    "venues": ANALYSIS,
    "overview": ANALYSIS,
    # notebook plumbing, plots, the runner
    "notebook": REPORT,
    "evidence": REPORT,  # issue 14
    "present": REPORT,  # issue 14
    "plots": REPORT,
    "signal_plots": REPORT,  # issue 15
    "topic_plots": REPORT,  # issue 16
    "reports": REPORT,
    # synthetic corpora with planted answers: test support
    "synth": TESTING,
    "synth_trends": TESTING,  # issue 15
    "synth_topics": TESTING,  # issue 16
    # the benchmark (phase 2: out of the package, into benchmarks/)
    "bench": DEV,
    # the command line and the package's public names
    "cli": CLI,
    "__main__": CLI,
    "__init__": CLI,
}

MAX_LINES = 600
# Modules over MAX_LINES, each being edited on another branch when this test was written.
# Phase 2 splits them and empties this list.
LONG_MODULES = {
    "trends",  # issue 15 (676 lines on main)
    "trend_signals",  # issue 15 (new, ~700 lines)
    "topics",  # issue 16 (new, ~700 lines)
}

# Public functions defined under one name in two modules, each a module another branch edits.
# Phase 2 renames one of each pair (issue 13: "one name per idea").
SHARED_NAMES = {
    "term_shares": {"terms", "trends"},  # terms' per-term shares vs trends' per-period shares
    "iter_dump_texts": {"counting", "synth"},  # synth's yields synthetic dumps' texts
    "main": {"cli", "bench"},  # phase 2: bench leaves the package (benchmarks/)
}

# Private names imported from another module, in modules other branches edit (phase 2: make
# them public where they belong, or move the code).
PRIVATE_IMPORTS = {
    ("evidence", "trends", "_as_terms"),  # issue 14
}


def modules(root: Path = SRC) -> dict[str, ast.Module]:
    """Every module of the package (by its name inside ``helpers``) and its syntax tree."""
    return {
        path.stem: ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for path in sorted(root.glob("*.py"))
    }


def imports(tree: ast.Module, known: set[str]) -> list[tuple[str, str]]:
    """(module, name) of every import of a ``helpers`` module in ``tree``, at any depth; name
    is the imported name ("" for ``import helpers.x``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "helpers" and len(parts) > 1:
                    found.append((parts[1], ""))
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if node.level or parts[0] != "helpers":
                continue
            for alias in node.names:
                if len(parts) > 1:
                    found.append((parts[1], alias.name))
                elif alias.name in known:  # from helpers.analysis import stats: the module itself
                    found.append((alias.name, ""))
                else:  # from helpers import X: the package's public names
                    found.append(("__init__", alias.name))
    return found


def import_graph(root: Path = SRC) -> dict[str, set[str]]:
    trees = modules(root)
    known = set(trees)
    return {
        name: {target for target, _ in imports(tree, known) if target != name}
        for name, tree in trees.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search, as the list of its modules."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_the_graph_sees_lazy_imports_inside_functions():
    graph = import_graph()
    assert "counting" in graph["terms"] and "text" in graph["counting"]
    assert "bench" in graph["cli"]  # imported inside the bench command only


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_every_module_has_a_floor():
    assert sorted(set(modules()) - set(FLOORS)) == []


def test_imports_never_go_up_a_floor():
    upward = [
        (module, target)
        for module, targets in import_graph().items()
        for target in targets
        if FLOORS.get(target, -1) > FLOORS.get(module, len(FLOORS))
    ]
    assert upward == []


def test_every_module_is_read_in_one_sitting():
    lengths = {path.stem: len(path.read_text().splitlines()) for path in SRC.glob("*.py")}
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert set(too_long) <= LONG_MODULES, too_long


def test_a_public_function_name_means_one_thing():
    where = defaultdict(set)
    for name, tree in modules().items():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                where[node.name].add(name)
    shared = {name: found for name, found in where.items() if len(found) > 1}
    unexpected = {n: m for n, m in shared.items() if SHARED_NAMES.get(n) != m}
    assert unexpected == {}


def test_no_module_imports_another_modules_private_names():
    trees = modules()
    private = {
        (name, target, imported)
        for name, tree in trees.items()
        for target, imported in imports(tree, set(trees))
        if imported.startswith("_") and target != name
    }
    assert private <= PRIVATE_IMPORTS, private - PRIVATE_IMPORTS


@pytest.mark.parametrize("name", sorted(SHARED_NAMES))
def test_listed_exceptions_still_exist(name):
    """An exception that no longer applies must leave its list (the lists only shrink)."""
    defined = {
        module
        for module, tree in modules().items()
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == name
    }
    assert defined == SHARED_NAMES[name]
