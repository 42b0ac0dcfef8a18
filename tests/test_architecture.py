"""The package's shape, checked from its source: imports go down the floors of the data flow,
never up or in a circle; modules are read in one sitting; a public function name means one
thing; no module reaches into another's private names.

A module is named by its dotted path inside ``helpers`` (``ingest.load``, ``analysis.links``
for ``analysis/links/__init__.py``, ``__init__`` for the package itself), and its floor is its
top folder. The import graph is built from the AST of every module, imports inside functions
included (a lazy import is still a dependency). The exception lists below only shrink.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"

# The floors of the data flow, lowest first. An import may go to the same floor or a lower one.
# testing/ (synthetic corpora with planted answers) sits below report/, and nothing in the
# package imports it: only tests and benchmarks/ do.
FOUNDATION, INGEST, TEXT, ANALYSIS, TESTING, REPORT, CLI = range(7)
FLOORS: dict[str, int] = {
    "errors": FOUNDATION,  # one root error; dump errors keep file, line, reason
    "config": FOUNDATION,  # paths and the settings file
    "wording": FOUNDATION,  # counts said in sentences ("1 paper", "2 papers")
    "ingest": INGEST,  # bytes -> checked tables on disk
    "text": TEXT,  # the tokeniser and its two engines with the same counts
    "analysis": ANALYSIS,  # the questions: DataFrame in, DataFrame out
    "testing": TESTING,  # test support
    "report": REPORT,  # notebook plumbing, plots, the runner and its templates
    "cli": CLI,  # the command line
    "__main__": CLI,
    "__init__": CLI,  # the package's public names, re-exported lazily
}

MAX_LINES = 600
# Modules over MAX_LINES (none left: every module is read in one sitting). The list only shrinks.
LONG_MODULES: set[str] = set()

# Public functions defined under one name in two modules (none left: one name per idea).
SHARED_NAMES: dict[str, set[str]] = {}

# Private names imported from another module (none left: they are public where they belong).
PRIVATE_IMPORTS: set[tuple[str, str, str]] = set()


def module_name(path: Path, root: Path = SRC) -> str:
    """``ingest/load.py`` -> ``ingest.load``; a package's ``__init__.py`` is the package."""
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def floor(module: str) -> int:
    return FLOORS[module.split(".")[0]]


def modules(root: Path = SRC) -> dict[str, ast.Module]:
    """Every module of the package (by its dotted name inside ``helpers``) and its tree."""
    return {
        module_name(path, root): ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for path in sorted(root.rglob("*.py"))
    }


def imports(tree: ast.Module, known: set[str]) -> list[tuple[str, str]]:
    """(module, name) of every import of a ``helpers`` module in ``tree``, at any depth; name
    is the imported name ("" for ``import helpers.x.y``). ``from helpers.analysis import stats``
    imports the module ``analysis.stats``; ``from helpers import X``, the package's names."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "helpers" and len(parts) > 1:
                    found.append((".".join(parts[1:]), ""))
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if node.level or parts[0] != "helpers":
                continue
            package = ".".join(parts[1:])
            for alias in node.names:
                submodule = f"{package}.{alias.name}" if package else alias.name
                if submodule in known:  # from helpers.analysis import stats: the module
                    found.append((submodule, ""))
                else:  # a name of the module (or of the package: "__init__")
                    found.append((package or "__init__", alias.name))
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
    assert "text.counting" in graph["analysis.terms"] and "text" in graph["text.counting"]
    assert "ingest" in graph["cli"]  # imported inside the ingest command only


def test_modules_are_named_by_folder():
    graph = import_graph()
    assert {"ingest", "ingest.load", "analysis.links", "analysis.links.urls"} <= set(graph)
    assert {"analysis.links.urls", "analysis.links.code"} <= graph["analysis.links"]


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_every_module_has_a_floor():
    assert sorted({name.split(".")[0] for name in modules()} - set(FLOORS)) == []


def test_imports_never_go_up_a_floor():
    upward = [
        (module, target)
        for module, targets in import_graph().items()
        for target in targets
        if floor(target) > floor(module)
    ]
    assert upward == []


def test_only_tests_and_benchmarks_import_the_test_support():
    users = [
        (module, target)
        for module, targets in import_graph().items()
        for target in targets
        if floor(target) == TESTING and floor(module) != TESTING
    ]
    assert users == []


def test_every_module_is_read_in_one_sitting():
    lengths = {module_name(path): len(path.read_text().splitlines()) for path in SRC.rglob("*.py")}
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


def test_listed_shared_names_still_exist():
    """An exception that no longer applies must leave its list (the lists only shrink)."""
    defined = defaultdict(set)
    for module, tree in modules().items():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in SHARED_NAMES:
                defined[node.name].add(module)
    assert dict(defined) == SHARED_NAMES


def test_listed_long_modules_are_still_long():
    lengths = {module_name(path): len(path.read_text().splitlines()) for path in SRC.rglob("*.py")}
    assert {name for name in LONG_MODULES if lengths.get(name, 0) > MAX_LINES} == LONG_MODULES


def test_listed_private_imports_still_happen():
    trees = modules()
    found = {
        (name, target, imported)
        for name, tree in trees.items()
        for target, imported in imports(tree, set(trees))
    }
    assert found >= PRIVATE_IMPORTS
