"""The dependency rules of docs/architecture.md, checked by walking the imports (not by reading text).

The domain package never imports Streamlit, so it runs in the CLI, tests and benchmarks alone; its
modules import each other without cycles; and each package of pmostep/ imports only the layers below
it, so a new feature's place is where its dependencies allow.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import pmostep
from tests.conftest import ROOT

# Each package of pmostep/ and the packages it may import (docs/architecture.md, "Dependency rules").
ALLOWED = {
    "core": set(),
    "store": {"core"},
    "foundation": {"core", "store"},
    "initiation": {"core", "store", "foundation"},
    "products": {"core"},
    "planning": {"core", "store", "foundation", "products"},
    "deployment": {"core", "store", "foundation", "products", "planning"},
    "reports": {"core", "foundation", "products", "planning", "deployment"},
}
ENTRY_POINTS = {"services", "demo", "cli", "__main__"}      # the top: they may import any layer


def modules() -> dict[str, Path]:
    """Every module of pmostep by dotted name, packages included."""
    found = {}
    for path in (ROOT / "pmostep").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The pmostep modules a module imports, wherever in it the import stands (lazy imports included)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            if module and module.split(".")[0] == "pmostep":
                out |= {f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "pmostep"}
    return out - {name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "pmostep"


def test_no_pmostep_module_imports_streamlit():
    names = [m.name for m in pkgutil.walk_packages(pmostep.__path__, "pmostep.")
             if m.name != "pmostep.__main__"]
    assert "pmostep.planning.scoring" in names and "pmostep.cli" in names
    code = ("import importlib, sys\n"
            f"for m in {names!r}: importlib.import_module(m)\n"
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path, or None (depth-first search with colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_modules_import_each_other_without_cycles():
    assert find_cycle(graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_every_package_is_a_known_layer():
    layers = {layer(m) for m in modules()} - {"pmostep"}
    assert layers - ENTRY_POINTS == set(ALLOWED), "a new package needs its place in ALLOWED and in the docs"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below(package):
    wrong = sorted(f"{m} -> {d}" for m, deps in graph().items() if layer(m) == package
                   for d in deps if layer(d) != package and layer(d) not in ALLOWED[package])
    assert wrong == []


def test_nothing_in_the_domain_imports_the_entry_points():
    wrong = sorted(f"{m} -> {d}" for m, deps in graph().items() if layer(m) in ALLOWED
                   for d in deps if layer(d) in ENTRY_POINTS)
    assert wrong == []


def test_every_error_a_user_can_act_on_is_one_family():
    """The CLI prints PMOStepError (and KeyError, duckdb.Error) as one line: every error class the
    domain defines belongs to that family, except the database-in-use error, a duckdb.Error itself."""
    import importlib
    import inspect

    import duckdb

    from pmostep.core.errors import PMOStepError

    defined = [obj for name in modules() if name != "pmostep.__main__"
               for obj in vars(importlib.import_module(name)).values()
               if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == name]
    assert len(defined) >= 12
    outside = [c.__qualname__ for c in defined if not issubclass(c, PMOStepError | duckdb.Error)]
    assert outside == []
