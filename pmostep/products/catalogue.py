"""The catalogue of PMO products and services: what a PMO can roll out, and what each entry asks and gives.

Entries are loaded from `data/catalogue.yaml` (or an assessment's customised copy) and validated on load;
every problem names the entry and the field.
"""

from __future__ import annotations

import heapq
import io
import zipfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from pmostep.core import questionnaire, safe_cells, safe_yaml
from pmostep.core.errors import PMOStepError, listed
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.records import MAX_RECORDS, is_empty, is_number, is_whole
from pmostep.products import roles as roles_module

TYPES = ("product", "service")
HORIZONS = ("short", "medium", "long")
COST_BANDS = ("low", "medium", "high")
STRENGTHS = (1, 2, 3)            # 1 helps a little, 2 clearly, 3 is a main lever of the dimension
FUNCTION_NAMES = {      # Hobbs & Aubry's groups of PMO functions, as people read them
    "monitoring": "Monitoring and controlling project performance",
    "competencies": "Competencies and methodologies",
    "multi_project": "Multi-project management",
    "strategic": "Strategic management",
    "learning": "Organisational learning",
}
HOBBS_AUBRY_GROUPS = tuple(FUNCTION_NAMES)


@dataclass(frozen=True)
class Entry:
    """One product or service of the catalogue."""

    id: str
    name: str
    type: str                          # "product" or "service"
    description: str
    deliverables: tuple[str, ...]
    dimensions: Mapping[str, int]      # questionnaire dimension id -> strength 1..3
    maturity_min: int                  # the band of current maturity (1..5) where the entry fits
    maturity_max: int
    effort: float                      # PMO person-weeks to deliver it
    cost_band: str                     # low, medium or high
    change_load: int                   # 1..5: how much change it asks of the organisation
    horizon: str                       # when its value shows: short, medium or long term
    prerequisites: tuple[str, ...] = ()
    pmo_type: str = "II"               # the TenStep PMO type (I-IV) it first belongs to
    roles: tuple[str, ...] = ()        # PMO roles needed to deliver it
    functions: tuple[str, ...] = field(default=())   # Hobbs & Aubry function groups it serves


ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CATALOGUE = ROOT / "data" / "catalogue.yaml"
DEFAULT_TITLE = "PMO products and services"

# Maturity levels (on the 1..5 scale) a dimension gains per delivered entry of that strength. Deliberately
# modest: one strong lever (3) is half a level, so reaching a desired state takes several entries, in line
# with how slowly organisational maturity moves in practice. Projections are capped at the desired state.
LIFT: dict[int, float] = {1: 0.15, 2: 0.3, 3: 0.5}

ID_PATTERN = questionnaire.ID_PATTERN
MATURITY_LEVELS = (1, 5)         # the questionnaire's scale, Ad hoc .. Optimised
CHANGE_LOADS = (1, 5)
LIST_SEPARATOR = ";"             # joins list items in one Excel cell, so items may not contain it


# The fields of an entry in the YAML file, in the order they are checked and written.
FIELDS = ("id", "name", "type", "description", "deliverables", "dimensions", "maturity", "effort",
          "cost_band", "change_load", "horizon", "prerequisites", "pmo_type", "roles", "functions")
# The keys of a record and the columns of the Excel sheet: the Entry fields, maturity split in two.
COLUMNS = tuple(f.name for f in fields(Entry))
LIST_COLUMNS = ("deliverables", "prerequisites", "roles", "functions")
NUMBER_COLUMNS = ("maturity_min", "maturity_max", "effort", "change_load")
SHEET = "Catalogue"
README_SHEET = "Read me"


class CatalogueError(PMOStepError):
    """A catalogue that cannot be used; `problems` lists every reason, so it can be fixed in one pass (at
    most errors.MAX_PROBLEMS of them, then how many more)."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = listed(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue: entries in file order, looked up by id."""

    title: str
    version: int
    entries: tuple[Entry, ...]

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def entry(self, entry_id: str) -> Entry:
        return self.by_id[entry_id]

    def to_records(self) -> list[dict[str, Any]]:
        """Entries as plain JSON-ready dicts (lists, not tuples; maturity as maturity_min/maturity_max)."""
        return [_record(e) for e in self.entries]

    @classmethod
    def from_records(cls, records: Iterable[Any], dimension_ids: Collection[str], title: str = DEFAULT_TITLE,
                     version: int = 1, source: str = "<records>",
                     role_ids: Collection[str] | None = None) -> Catalogue:
        """Rebuild a catalogue from `to_records` output (e.g. stored JSON), checked like the YAML file."""
        raw = {"title": title, "version": version, "entries": [_node_from_record(r) for r in records]}
        return parse(raw, source, dimension_ids, role_ids)

    def to_yaml(self) -> str:
        """The catalogue in the layout of data/catalogue.yaml, so a customised copy can be kept as a file."""
        doc = {"title": self.title, "version": self.version, "entries": [_yaml_node(e) for e in self.entries]}
        return "# PMOStep catalogue; data/catalogue.yaml explains the fields.\n" + yaml.safe_dump(
            doc, sort_keys=False, allow_unicode=True, width=110)


def load(path: str | Path | None = None, dimension_ids: Collection[str] | None = None,
         role_ids: Collection[str] | None = None) -> Catalogue:
    """Read and check a catalogue file; by default the shipped one, against the questionnaire's dimensions
    and the roles (the shipped roles unless `role_ids` are given)."""
    path = Path(path) if path is not None else DEFAULT_CATALOGUE
    source = _display(path)
    if dimension_ids is None:
        dimension_ids = [d.id for d in questionnaire.load().dimensions]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(source, [f"cannot be read ({exc.strerror})"]) from exc
    return loads(text, source, dimension_ids, role_ids)


@cache
def shipped(dimension_ids: tuple[str, ...]) -> Catalogue:
    """The shipped catalogue, read and checked once per process: pages ask for it on every rerun."""
    return load(DEFAULT_CATALOGUE, dimension_ids)


def loads(text: str, source: str, dimension_ids: Collection[str],
          role_ids: Collection[str] | None = None) -> Catalogue:
    """Check a catalogue given as YAML text (an uploaded file), read safely (core/safe_yaml.py)."""
    try:
        raw = safe_yaml.load(text)
    except safe_yaml.YamlTextError as exc:
        raise CatalogueError(source, [str(exc)]) from exc
    return parse(raw, source, dimension_ids, role_ids)


def parse(raw: Any, source: str, dimension_ids: Collection[str],
          role_ids: Collection[str] | None = None) -> Catalogue:
    """Validate a catalogue given as plain data; raises CatalogueError listing every problem found.

    Entries may name only the roles given (by default the shipped ones, data/roles.yaml).
    """
    catalogue, problems = _validate(raw, dimension_ids, role_ids)
    if problems:
        raise CatalogueError(source, [str(p) for p in problems])
    assert catalogue is not None
    return catalogue


def dependency_order(catalogue: Catalogue) -> list[str]:
    """Entry ids with every prerequisite before the entries that need it; ties keep file order."""
    position = {e.id: i for i, e in enumerate(catalogue.entries)}
    waiting = {e.id: len(e.prerequisites) for e in catalogue.entries}
    dependents: dict[str, list[str]] = {e.id: [] for e in catalogue.entries}
    for e in catalogue.entries:
        for prerequisite in e.prerequisites:
            dependents[prerequisite].append(e.id)
    ready = [(position[i], i) for i, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, entry_id = heapq.heappop(ready)
        order.append(entry_id)
        for dependent in dependents[entry_id]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, (position[dependent], dependent))
    return order


# --- Validation -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Problem:
    """One problem, kept structured so YAML and Excel can each say where it is in their own terms."""

    text: str
    entry: int = 0            # position of the entry from 1; 0 for the catalogue as a whole
    label: str = "catalogue"  # "entry 'id'", or "entry 3" when the id is unusable
    field: str = ""

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"


def _validate(raw: Any, dimension_ids: Collection[str],
              role_ids: Collection[str] | None) -> tuple[Catalogue | None, list[_Problem]]:
    if role_ids is None:
        role_ids = list(roles_module.names())
    if not isinstance(raw, Mapping):
        return None, [_Problem("must be a mapping with title, version and entries")]
    problems = []
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(_Problem(f"title must be non-empty text, not {title!r}"))
    version = raw.get("version")
    if not is_whole(version) or version < 1:
        problems.append(_Problem(f"version must be a whole number from 1 up, not {version!r}"))
    nodes = raw.get("entries")
    if not isinstance(nodes, list) or not nodes:
        problems.append(_Problem("entries must list at least one entry"))
        nodes = []
    elif len(nodes) > MAX_RECORDS:
        problems.append(_Problem(f"entries lists {len(nodes):,} entries; at most {MAX_RECORDS:,}"))
        nodes = []
    seen: dict[str, int] = {}
    readers = [_EntryReader(node, position, dimension_ids, role_ids, seen)
               for position, node in enumerate(nodes, 1)]
    entries = [reader.read() for reader in readers]
    problems += [p for reader in readers for p in reader.problems]
    problems += _name_problems(entries)
    problems += _prerequisite_problems(readers)
    if problems:
        return None, problems
    return Catalogue(title.strip(), version, tuple(e for e in entries if e is not None)), []


def _name_problems(entries: list[Entry | None]) -> list[_Problem]:
    """Names must differ (ignoring case): people choose and move entries by name."""
    problems, seen = [], {}
    for position, e in enumerate(entries, 1):
        if e is None:
            continue
        key = e.name.strip().lower()
        if key in seen:
            problems.append(_Problem(f"name '{e.name}' is already used by entry '{seen[key]}'", position,
                                     f"entry '{e.id}'", "name"))
        else:
            seen[key] = e.id
    return problems


class _EntryReader:
    """Reads one entry field by field, noting every problem instead of stopping at the first."""

    def __init__(self, node: Any, position: int, dimension_ids: Collection[str], role_ids: Collection[str],
                 seen: dict[str, int]):
        self.node: Mapping[str, Any] = node if isinstance(node, Mapping) else {}
        self.position = position
        self.dimension_ids = dimension_ids
        self.role_ids = role_ids
        self.problems: list[_Problem] = []
        self.prerequisites: tuple[str, ...] = ()
        self.label = f"entry {position}"
        self.is_mapping = isinstance(node, Mapping)
        self.id = self._identify(seen) if self.is_mapping else None
        if not self.is_mapping:
            self.problem("", f"must be a mapping of fields, not {node!r}")

    def _identify(self, seen: dict[str, int]) -> str | None:
        """The entry's id if usable (valid and not taken); otherwise None and the entry goes by position."""
        value = self.node.get("id")
        if is_empty(value):
            self.problem("id", "'id' is missing")
        elif not isinstance(value, str) or not ID_PATTERN.match(value):
            rule = "lower-case letters, digits and _, starting with a letter"
            self.problem("id", f"id {value!r} must be {rule}")
        elif value in seen:
            self.problem("id", f"id '{value}' is already used by entry {seen[value]}")
        else:
            seen[value] = self.position
            self.label = f"entry '{value}'"
            return value
        return None

    def problem(self, field_name: str, text: str) -> None:
        self.problems.append(_Problem(text, self.position, self.label, field_name))

    def read(self) -> Entry | None:
        """The Entry, or None when any field has a problem."""
        if not self.is_mapping:
            return None
        name = self.text("name")
        kind = self.choice("type", TYPES)
        description = self.text("description")
        deliverables = self.texts("deliverables", "deliverable")
        dimensions = self.dimensions()
        maturity_min, maturity_max = self.maturity()
        effort = self.effort()
        cost_band = self.choice("cost_band", COST_BANDS)
        change_load = self.whole("change_load", CHANGE_LOADS)
        horizon = self.choice("horizon", HORIZONS)
        self.prerequisites = self.texts("prerequisites", "prerequisite", required=False)
        pmo_type = self.choice("pmo_type", PMO_TYPES)
        roles = self.texts("roles", "role", self.role_ids)
        functions = self.texts("functions", "function", HOBBS_AUBRY_GROUPS)
        for key in self.node:
            if key not in FIELDS:
                self.problem(str(key), f"'{key}' is not a catalogue field (fields: {', '.join(FIELDS)})")
        if self.problems or self.id is None:
            return None
        return Entry(self.id, name, kind, description, deliverables, dimensions, maturity_min, maturity_max,
                     effort, cost_band, change_load, horizon, self.prerequisites, pmo_type, roles, functions)

    def value(self, key: str, required: bool = True) -> Any:
        value = self.node.get(key)
        if is_empty(value):
            if required:
                self.problem(key, f"'{key}' is missing")
            return None
        return value

    def text(self, key: str) -> str:
        value = self.value(key)
        if value is not None and not isinstance(value, str):
            self.problem(key, f"'{key}' must be text, not {value!r}")
            return ""
        return (value or "").strip()

    def choice(self, key: str, allowed: Collection[str]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.problem(key, f"{key} '{value}' is not one of {', '.join(allowed)}")
        return value

    def texts(self, key: str, noun: str, allowed: Collection[str] | None = None,
              required: bool = True) -> tuple[str, ...]:
        value = self.value(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(key, f"'{key}' must be a list of text items, not {value!r}")
            return ()
        items = tuple(v.strip() for v in value)
        for i, item in enumerate(items):
            if item in items[:i]:
                self.problem(key, f"{noun} '{item}' is listed twice")
            elif LIST_SEPARATOR in item:
                self.problem(key, f"{noun} '{item}' must not contain '{LIST_SEPARATOR}'")
            elif allowed is not None and item not in allowed:
                self.problem(key, f"{noun} '{item}' is not one of {', '.join(allowed)}")
        return items

    def whole(self, key: str, bounds: tuple[int, int]) -> int:
        value = self.value(key)
        low, high = bounds
        if value is None:
            return 0
        if not is_whole(value) or not low <= value <= high:
            self.problem(key, f"{key} must be a whole number from {low} to {high}, not {value!r}")
            return 0
        return value

    def effort(self) -> float:
        value = self.value("effort")
        if value is None:
            return 0.0
        if not is_number(value):
            self.problem("effort", f"effort must be a number of PMO person-weeks, not {value!r}")
            return 0.0
        if value <= 0:
            self.problem("effort", f"effort must be more than 0 person-weeks, not {value}")
        return float(value)

    def dimensions(self) -> dict[str, int]:
        value = self.value("dimensions")
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.problem("dimensions", f"dimensions must pair dimension ids with a strength, not {value!r}")
            return {}
        for dimension, strength in value.items():
            if dimension not in self.dimension_ids:
                self.problem("dimensions", f"dimension '{dimension}' is not in the questionnaire")
            if not is_whole(strength) or strength not in STRENGTHS:
                self.problem("dimensions", f"dimension '{dimension}' has strength {strength!r}; "
                                           f"it must be {', '.join(map(str, STRENGTHS))}")
        return dict(value)

    def maturity(self) -> tuple[int, int]:
        value = self.value("maturity")
        if value is None:
            return 0, 0
        if not isinstance(value, list) or len(value) != 2:
            self.problem("maturity", f"maturity must be [min, max], not {value!r}")
            return 0, 0
        low = self.level(value[0], "maturity_min", "minimum")
        high = self.level(value[1], "maturity_max", "maximum")
        if low and high and low > high:
            self.problem("maturity_min", f"maturity minimum {low} is above the maximum {high}")
        return low, high

    def level(self, value: Any, key: str, word: str) -> int:
        first, last = MATURITY_LEVELS
        if value is None:
            self.problem(key, f"maturity {word} is missing")
        elif not is_whole(value) or not first <= value <= last:
            self.problem(key, f"maturity {word} must be a level from {first} to {last}, not {value!r}")
        else:
            return value
        return 0


def _prerequisite_problems(readers: list[_EntryReader]) -> list[_Problem]:
    """Prerequisites that are unknown, the entry itself, or that go round in a cycle."""
    known = {r.id: r for r in readers if r.id}
    problems, graph = [], {}
    for reader in known.values():
        graph[reader.id] = []
        for prerequisite in reader.prerequisites:
            if prerequisite == reader.id:
                problems.append(_Problem("lists itself as a prerequisite", reader.position, reader.label,
                                         "prerequisites"))
            elif prerequisite not in known:
                problems.append(_Problem(f"prerequisite '{prerequisite}' is not in the catalogue",
                                         reader.position, reader.label, "prerequisites"))
            else:
                graph[reader.id].append(prerequisite)
    for cycle in _cycles(graph):
        first = known[cycle[0]]
        problems.append(_Problem(f"prerequisites go round in a cycle: {' -> '.join(cycle)}",
                                 first.position, first.label, "prerequisites"))
    return problems


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Prerequisite cycles as paths that end where they start (a -> b -> a), searched in file order."""
    state: dict[str, str] = {}
    path: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        state[node] = "on path"
        path.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == "on path":
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node)
    return cycles


def _display(path: Path) -> str:
    """The path as the user knows it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- Records and YAML ---------------------------------------------------------------------------------

def _record(entry: Entry) -> dict[str, Any]:
    record = {}
    for f in fields(Entry):
        value = getattr(entry, f.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        record[f.name] = value
    return record


def _node_from_record(record: Any) -> Any:
    """A record in the YAML entry layout, so records are checked by the same rules as the file."""
    if not isinstance(record, Mapping):
        return record
    node = {k: v for k, v in record.items() if k not in ("maturity_min", "maturity_max")}
    node["maturity"] = [record.get("maturity_min"), record.get("maturity_max")]
    return node


def _yaml_node(entry: Entry) -> dict[str, Any]:
    node = _node_from_record(_record(entry))
    node["effort"] = _plain_number(entry.effort)
    return {key: node[key] for key in FIELDS}


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# --- Excel --------------------------------------------------------------------------------------------

def template_xlsx(catalogue: Catalogue | None = None, role_names: Mapping[str, str] | None = None) -> bytes:
    """The catalogue (the shipped one by default) as a workbook to customise and upload with `from_xlsx`;
    its Read me sheet lists the roles an entry may name (the shipped ones unless `role_names` are given)."""
    if catalogue is None:
        catalogue = load()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for record in catalogue.to_records():
        sheet.append([_cell(record[column]) for column in COLUMNS])
    _style(sheet, wide=("name", "description", "deliverables", "dimensions"))
    readme = workbook.create_sheet(README_SHEET)
    readme.append(["Column", "What it holds", "Allowed values"])
    for row in _readme_rows(catalogue, roles_module.names() if role_names is None else role_names):
        readme.append(list(row))
    _style(readme, wide=("What it holds", "Allowed values"))
    workbook.properties.title = catalogue.title
    workbook.properties.version = str(catalogue.version)
    return safe_cells.xlsx_bytes(workbook)


def from_xlsx(content: bytes, dimension_ids: Collection[str], source: str = "<uploaded workbook>",
              role_ids: Collection[str] | None = None) -> Catalogue:
    """A customised catalogue from a workbook shaped like `template_xlsx`; problems name row and column."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise CatalogueError(source, [f"is not an Excel workbook ({exc})"]) from exc
    try:
        if SHEET not in workbook.sheetnames:
            sheets = ", ".join(workbook.sheetnames)
            raise CatalogueError(source, [f"has no sheet '{SHEET}' (sheets: {sheets})"])
        rows = list(workbook[SHEET].iter_rows(values_only=True))
        title = (workbook.properties.title or "").strip() or DEFAULT_TITLE
        version = int(workbook.properties.version) if str(workbook.properties.version).isdigit() else 1
    finally:
        workbook.close()
    columns = _header(rows, source)
    row_numbers, nodes = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: safe_cells.restore(row[i] if i < len(row) else None)
                 for i, column in columns.items()}
        if not all(is_empty(v) for v in cells.values()):
            row_numbers.append(number)
            nodes.append(_node_from_cells(cells))
    catalogue, problems = _validate({"title": title, "version": version, "entries": nodes}, dimension_ids,
                                    role_ids)
    if problems:
        raise CatalogueError(source, [_sheet_message(p, row_numbers) for p in problems])
    assert catalogue is not None
    return catalogue


def _header(rows: list[tuple[Any, ...]], source: str) -> dict[int, str]:
    """Sheet column index -> catalogue column; every header problem at once."""
    where = f"sheet '{SHEET}' row 1"
    if not rows:
        raise CatalogueError(source, [f"{where}: the header row is missing; columns: {', '.join(COLUMNS)}"])
    columns: dict[int, str] = {}
    problems = []
    for i, cell in enumerate(rows[0]):
        header = str(cell).strip().lower() if cell is not None else ""
        if header in columns.values():
            problems.append(f"{where}: column '{header}' appears twice")
        elif header in COLUMNS:
            columns[i] = header
        elif header:
            problems.append(f"{where}: column '{header}' is not a catalogue column")
    problems += [f"{where}: column '{c}' is missing" for c in COLUMNS if c not in columns.values()]
    if problems:
        raise CatalogueError(source, problems)
    return columns


def _node_from_cells(cells: dict[str, Any]) -> dict[str, Any]:
    """One sheet row as a YAML-layout entry; badly formed cells are passed on for validation to name."""
    node: dict[str, Any] = {}
    for column, value in cells.items():
        if isinstance(value, str):
            value = value.strip()
        if column in LIST_COLUMNS:
            value = _split(value)
        elif column == "dimensions":
            value = _dimension_pairs(value)
        elif column in NUMBER_COLUMNS:
            value = _number(value)
        node[column] = value
    return _node_from_record(node)


def _split(value: Any) -> Any:
    if not isinstance(value, str):
        return value if value is None else [str(value)]
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def _dimension_pairs(value: Any) -> Any:
    """'governance:3; reporting:2' -> {governance: 3, reporting: 2}; anything else is returned as is."""
    if not isinstance(value, str):
        return value
    pairs = [item.partition(":") for item in value.split(LIST_SEPARATOR) if item.strip()]
    if not all(sep for _, sep, _ in pairs):
        return value
    return {dimension.strip(): _number(strength.strip()) for dimension, _, strength in pairs}


def _number(value: Any) -> Any:
    """Numbers typed as text become numbers; whole floats become ints. Anything else is left to validation."""
    if isinstance(value, str):
        for kind in (int, float):
            try:
                value = kind(value)
                break
            except ValueError:
                continue
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cell(value: Any) -> Any:
    """An entry's field as the workbook writes it: lists joined, text without the control characters a
    cell cannot hold (an entry's text may come from YAML escapes or an earlier upload)."""
    if isinstance(value, list):
        return safe_cells.printable(f"{LIST_SEPARATOR} ".join(value)) or None
    if isinstance(value, dict):
        return safe_cells.printable(f"{LIST_SEPARATOR} ".join(f"{k}:{v}" for k, v in value.items()))
    if isinstance(value, float):
        return _plain_number(value)
    return safe_cells.printable(value)


def _sheet_message(problem: _Problem, row_numbers: list[int]) -> str:
    if not problem.entry:
        return f"sheet '{SHEET}': {problem.text}"
    column = "maturity_min" if problem.field == "maturity" else problem.field
    return (f"sheet '{SHEET}' row {row_numbers[problem.entry - 1]}, column '{column}' "
            f"({problem.label}): {problem.text}")


def _readme_rows(catalogue: Catalogue, role_names: Mapping[str, str]) -> list[tuple[str, str, str]]:
    dimensions = dict.fromkeys(d for e in catalogue.entries for d in e.dimensions)
    listed = f"separate items with '{LIST_SEPARATOR} '"
    return [
        ("id", "Unique id; other entries use it in their prerequisites",
         "lower-case letters, digits and _, starting with a letter"),
        ("name", "Short name shown in the app", "text"),
        ("type", "A tangible deliverable (product) or work the PMO does for others (service)",
         ", ".join(TYPES)),
        ("description", "One or two sentences: what it is and why an organisation wants it", "text"),
        ("deliverables", "What the organisation ends up holding or receiving", f"text; {listed}"),
        ("dimensions", "Questionnaire dimensions it improves, with strength 1 (a little), 2 (clearly) "
         "or 3 (main lever)", f"dimension:strength, {listed}; dimensions: {', '.join(dimensions)}"),
        ("maturity_min", "Lowest current maturity where the entry fits", "whole number 1 to 5"),
        ("maturity_max", "Highest current maturity where the entry still adds value",
         "whole number 1 to 5, not below maturity_min"),
        ("effort", "PMO person-weeks to build it, or to set up the service and run it through its first wave",
         "number above 0"),
        ("cost_band", "Money beyond PMO staff time (licences, external trainers, fees)",
         ", ".join(COST_BANDS)),
        ("change_load", "How much change it asks of people outside the PMO", "whole number 1 to 5"),
        ("horizon", "When its value shows to stakeholders", ", ".join(HORIZONS)),
        ("prerequisites", "Ids of entries that must be in place first (no cycles)",
         f"ids; {listed}; may be empty"),
        ("pmo_type", "TenStep PMO type where it first belongs: I reporting, II infrastructure, "
         "III coaching and training, IV resource centre", ", ".join(PMO_TYPES)),
        ("roles", "PMO roles that deliver it",
         ", ".join(f"{k} ({v})" for k, v in role_names.items()) + f"; {listed}"),
        ("functions", "Hobbs & Aubry function groups it serves",
         f"{', '.join(HOBBS_AUBRY_GROUPS)}; {listed}"),
    ]


def _style(sheet: Worksheet, wide: Collection[str]) -> None:
    """Bold frozen header and readable widths, so the sheet can be edited without reformatting."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 60 if cell.value in wide else 16
    sheet.freeze_panes = "B2"


# --- customising ---------------------------------------------------------------------------------------

EDITABLE = ("name", "description", "effort", "change_load", "cost_band", "horizon", "maturity_min",
            "maturity_max")


def edited(catalogue: Catalogue, changes: Mapping[int, Mapping[str, Any]], dimension_ids: Collection[str],
           source: str = "the edited catalogue", role_ids: Collection[str] | None = None) -> Catalogue:
    """The catalogue with some fields of some entries changed (row position -> field -> value), checked."""
    records = catalogue.to_records()
    for position, values in changes.items():
        unknown = sorted(set(values) - set(EDITABLE))
        if unknown:
            raise CatalogueError(source, [f"entry '{records[position]['id']}': {', '.join(unknown)} "
                                          "cannot be edited here"])
        records[position].update(values)
    return Catalogue.from_records(records, dimension_ids, title=catalogue.title, version=catalogue.version,
                                  source=source, role_ids=role_ids)


def with_entry(catalogue: Catalogue, record: Mapping[str, Any], dimension_ids: Collection[str],
               source: str = "the new entry", role_ids: Collection[str] | None = None) -> Catalogue:
    """The catalogue with one more entry (a record like `to_records` gives), checked with the rest."""
    return Catalogue.from_records([*catalogue.to_records(), dict(record)], dimension_ids,
                                  title=catalogue.title, version=catalogue.version, source=source,
                                  role_ids=role_ids)
