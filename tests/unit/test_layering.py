"""The dependency rules of docs/architecture.md, checked by walking the imports (not by reading text).

The domain package never imports Streamlit, so it runs in the CLI, tests and benchmarks alone; its
modules import each other without cycles; and each package of pmostep/ imports only the layers below
it, so a new feature's place is where its dependencies allow.
"""

from __future__ import annotations

import ast
import pkgutil
import re
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
    "deployment": {"core", "store", "foundation", "products", "planning", "workshop"},
    "reports": {"core", "store", "foundation", "products", "planning", "deployment", "workshop"},
    "workshop": {"core", "store", "foundation", "products", "planning"},
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


def test_the_phone_routes_import_neither_streamlit_nor_its_glue():
    """web/ (the phones' endpoint) runs beside Streamlit on its server but outside any script run: it
    imports pmostep, never Streamlit's script API, ui/ or views/ (docs/architecture.md, rule 1)."""
    def imported(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        return [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []

    glue = sorted(f"{path.relative_to(ROOT)} imports {name}" for path in (ROOT / "web").rglob("*.py")
                  for node in ast.walk(ast.parse(path.read_text())) for name in imported(node)
                  if name.split(".")[0] in {"streamlit", "ui", "views"})
    assert glue == []
    code = "import sys, web.phone\nprint('streamlit' in sys.modules, 'web.phone' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


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


# The test folders (docs/architecture.md, "Tests"): what a file asks for, read from its syntax tree.
TESTS = ROOT / "tests"
DATABASE_FIXTURES = {"db_path", "con", "hand_assessment", "app_db"}
FOLDERS = ("unit", "integration", "app", "e2e")


def fixtures(tree: ast.Module) -> dict[str, set[str]]:
    """The fixtures a module defines, each with the fixtures it asks for."""
    return {node.name: {a.arg for a in node.args.args} for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and any("fixture" in ast.unparse(d) for d in node.decorator_list)}


def asks_for_database(tree: ast.Module, shared: dict[str, set[str]]) -> list[str]:
    """The functions of a module that ask for a database fixture, directly or through other fixtures."""
    defined = {**shared, **fixtures(tree)}
    database = set(DATABASE_FIXTURES)
    while grown := {name for name, wants in defined.items() if wants & database} - database:
        database |= grown
    return sorted(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                  and {a.arg for a in node.args.args} & database)


def names(tree: ast.Module) -> set[str]:
    """Every name, attribute and imported module a module mentions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
        elif isinstance(node, ast.Import):
            out |= {part for a in node.names for part in a.name.split(".")}
        elif isinstance(node, ast.ImportFrom):
            out |= {*(node.module or "").split("."), *(a.name for a in node.names)}
        elif isinstance(node, ast.arg):
            out.add(node.arg)
    return out


def collected(tree: ast.Module) -> list[ast.FunctionDef]:
    """The test functions of a module, as pytest collects them."""
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test")]


def drives_the_app(tree: ast.Module, seen: frozenset[Path] = frozenset()) -> bool:
    """Whether a module runs the app with AppTest, itself or through the test helpers it imports."""
    if "AppTest" in names(tree):
        return True
    helpers = {ROOT / f"{node.module.replace('.', '/')}.py" for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.")} - seen
    return any(drives_the_app(ast.parse(path.read_text(encoding="utf-8")), seen | helpers)
               for path in helpers if path.exists())


def e2e_marked(tree: ast.Module) -> list[str]:
    """The tests of a module marked e2e, by a module-level pytestmark or their own decorator."""
    def marks(expr: ast.expr) -> bool:
        return any(isinstance(n, ast.Attribute) and n.attr == "e2e"
                   and isinstance(n.value, ast.Attribute) and n.value.attr == "mark" for n in ast.walk(expr))

    whole = any(isinstance(node, ast.Assign) and marks(node.value)
                and any(getattr(t, "id", "") == "pytestmark" for t in node.targets) for node in tree.body)
    return [node.name for node in collected(tree) if whole or any(marks(d) for d in node.decorator_list)]


def misplaced(folder: str, tree: ast.Module, shared: dict[str, set[str]]) -> list[str]:
    """What breaks the rule of a folder in one module's syntax tree, in words."""
    used = names(tree)
    wrong = []
    if folder == "unit":
        wrong += [f"{name} uses the database" for name in asks_for_database(tree, shared)]
        wrong += ["uses AppTest"] if drives_the_app(tree) else []
        wrong += [f"uses {what}" for what in ("playwright", "browser") if what in used]
    if folder == "app" and not drives_the_app(tree):
        wrong.append("does not use AppTest")
    marked, every = e2e_marked(tree), [node.name for node in collected(tree)]
    if folder == "e2e":
        wrong += [f"{name} is not marked e2e" for name in every if name not in marked]
    else:
        wrong += [f"{name} is marked e2e" for name in marked]
    return wrong


def test_every_test_file_is_in_the_folder_of_what_it_tests():
    loose = sorted(p.name for p in TESTS.glob("test_*.py"))
    assert loose == [], "a test goes in tests/unit, integration, app or e2e"
    assert {p.parent.name for p in TESTS.rglob("test_*.py")} == set(FOLDERS)


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_test_folder_holds_what_it_says(folder):
    shared = fixtures(ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8")))
    wrong = {path.name: problems for path in sorted((TESTS / folder).glob("test_*.py"))
             if (problems := misplaced(folder, ast.parse(path.read_text(encoding="utf-8")), shared))}
    assert wrong == {}


def test_the_folder_rules_catch_each_kind_of_misplaced_test():
    shared = {"con": {"db_path"}, "db_path": {"tmp_path"}}
    stored = ast.parse("@pytest.fixture\ndef made(con):\n    pass\n\ndef test_x(made):\n    pass\n")
    assert misplaced("unit", stored, shared) == ["made uses the database", "test_x uses the database"]
    page = ast.parse("from streamlit.testing.v1 import AppTest\n\ndef test_x():\n    AppTest.from_file(A)\n")
    assert misplaced("unit", page, shared) == ["uses AppTest"]
    assert misplaced("app", page, shared) == []
    plain = ast.parse("def test_x(tmp_path):\n    pass\n")
    assert misplaced("unit", plain, shared) == []
    assert misplaced("app", plain, shared) == ["does not use AppTest"]
    assert misplaced("e2e", plain, shared) == ["test_x is not marked e2e"]
    journey = ast.parse("import pytest\n\npytestmark = pytest.mark.e2e\n\ndef test_x(browser):\n    pass\n")
    assert misplaced("e2e", journey, shared) == []
    assert misplaced("unit", journey, shared) == ["uses browser", "test_x is marked e2e"]
    one = ast.parse("import pytest\n\n@pytest.mark.e2e\ndef test_x():\n    pass\n\ndef test_y():\n    pass\n")
    assert misplaced("e2e", one, shared) == ["test_y is not marked e2e"]
    helped = ast.parse("from tests.app.conftest import start\n\ndef test_x(app_db):\n    start()\n")
    assert misplaced("app", helped, shared) == []
    assert misplaced("unit", helped, shared) == ["test_x uses the database", "uses AppTest"]


def test_the_pmo_types_are_defined_once():
    """The Foundation facts and the catalogue read one list of PMO types (core/pmo_types.py)."""
    assigned = sorted(str(path.relative_to(ROOT)) for path in modules().values()
                      for node in ast.walk(ast.parse(path.read_text()))
                      if isinstance(node, ast.Assign | ast.AnnAssign)
                      for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                      if isinstance(target, ast.Name) and target.id == "PMO_TYPES")
    assert assigned == ["pmostep/core/pmo_types.py"]


@pytest.mark.parametrize("name", ["QUADRANTS", "MAX_TITLE"])
def test_the_workshop_rules_names_are_defined_once(name):
    """The 2x2's quadrant names and an activity's title limit live in workshop/activities.py; pages and
    priority.py read them there, so the form, the check and the roadmap's words cannot disagree."""
    files = [*modules().values(), *(ROOT / "views").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    assigned = sorted(str(path.relative_to(ROOT)) for path in files
                      for node in ast.walk(ast.parse(path.read_text()))
                      if isinstance(node, ast.Assign | ast.AnnAssign)
                      for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                      for each in (target.elts if isinstance(target, ast.Tuple) else [target])
                      if isinstance(each, ast.Name) and each.id == name)
    assert assigned == ["pmostep/workshop/activities.py"]


def test_the_rounds_of_a_workshop_are_read_in_one_place():
    """Which rounds count (revealed, never an open one) is written once, in workshop/live.py: planning
    and the agenda call live.revealed_rounds instead of reading the store's rounds again."""
    readers = sorted(str(path.relative_to(ROOT)) for path in modules().values()
                     for node in ast.walk(ast.parse(path.read_text()))
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and node.func.attr == "rounds" and isinstance(node.func.value, ast.Name)
                     and node.func.value.id in {"store", "workshop_store"})
    assert readers == ["pmostep/workshop/live.py"]


def test_the_workshop_pages_read_through_live_and_never_open_a_cursor():
    """Pages (views/) open no cursor, and they and ui/workshop.py call live.py or the ui cached reads
    instead of the workshop store: what a page may read is decided in one place, outside Streamlit."""
    pages = [*(ROOT / "views").glob("*.py"), ROOT / "ui" / "workshop.py"]
    found = []
    for path in pages:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                    and getattr(node.func, "attr", getattr(node.func, "id", "")) == "cursor"):
                found.append(f"{path.relative_to(ROOT)} opens a cursor")
            if isinstance(node, ast.ImportFrom) and (
                    (node.module == "pmostep.workshop" and any(a.name == "store" for a in node.names))
                    or (node.module == "pmostep.workshop.store" and any(a.name != "Workshop"
                                                                        for a in node.names))):
                found.append(f"{path.relative_to(ROOT)} calls the workshop store")
    assert found == []


# The module whose SQL owns each table (docs/architecture.md, rule 4). A new table needs an owner here.
OWNERS = {
    "pmostep.store.db": {"schema_migrations"},
    "pmostep.store.responses": {"respondents", "answers", "importance", "comments", "respondent_profile",
                                "published"},
    "pmostep.store.questionnaires": {"questionnaires", "questionnaire_statements"},
    "pmostep.foundation.assessments": {"assessments", "stakeholder_groups"},
    "pmostep.initiation.survey": {"survey_links"},
    "pmostep.initiation.imports.batches": {"import_batches"},
    "pmostep.initiation.imports.profiles": {"mapping_profiles"},
    "pmostep.planning.decisions": {"plan_catalogues", "plan_choices", "plan_placements", "plan_settings"},
    "pmostep.workshop.store": {"workshops", "workshop_activities", "workshop_rounds", "workshop_participants",
                               "workshop_answers", "workshop_moderation"},
    "pmostep.planning.self_check": {"problem_symptoms"},
    "pmostep.planning.know_how": {"know_how_extensions"},
    "pmostep.foundation.facts": {"pmo_staff", "stakeholder_positions"},
}
MIGRATIONS = ROOT / "pmostep" / "store" / "migrations"
SQL_NAMES = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE|EXISTS)\s+([a-z_][a-z0-9_]*)")


def tables() -> set[str]:
    """Every table the migrations leave (a migration's scratch copies, `*_v`, are dropped again)."""
    made = {m.group(1) for path in MIGRATIONS.glob("*.sql")
            for m in re.finditer(r"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)", path.read_text())}
    return {t for t in made if not t.endswith("_v")} | {"schema_migrations"}


def sql_texts(tree: ast.Module) -> list[str]:
    """The string constants of a module that can hold SQL: docstrings left out, f-strings' text kept."""
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]


def tables_named(tree: ast.Module, known: set[str]) -> set[str]:
    return {m.group(1) for text in sql_texts(tree) for m in SQL_NAMES.finditer(text)} & known


def test_every_table_has_one_owner():
    owned = [t for group in OWNERS.values() for t in group]
    assert sorted(owned) == sorted(set(owned))
    assert set(owned) == tables()


def test_a_tables_sql_lives_in_its_store_module_only():
    """No other module, and no page, names a table in SQL: they call its owner, so a second backend
    (PostgreSQL) changes the owners only, and a table's rules are read in one place."""
    known, owner = tables(), {t: m for m, group in OWNERS.items() for t in group}
    app = {str(p.relative_to(ROOT)): p for p in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py"),
                                                 *(ROOT / "views").rglob("*.py"),
                                                 *(ROOT / "web").rglob("*.py")]}
    crossing = sorted(f"{name} names {table} (owned by {owner[table]})"
                      for name, path in {**modules(), **app}.items()
                      for table in tables_named(ast.parse(path.read_text()), known)
                      if owner[table] != name)
    assert crossing == []


def test_the_table_check_sees_sql_but_not_prose():
    tree = ast.parse('"""Reads FROM answers."""\nQ = f"SELECT * FROM answers a JOIN {x} r"\n'
                     'def f():\n    "Counts INTO respondents."\n    return "DELETE FROM respondents"\n')
    assert tables_named(tree, tables()) == {"answers", "respondents"}
    assert tables_named(ast.parse('M = "pick one from answers"'), tables()) == set()
