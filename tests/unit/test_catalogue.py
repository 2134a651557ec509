"""The catalogue of PMO products and services: shipped content, validation messages, records, YAML, Excel."""

import io
import json
from collections import Counter

import openpyxl
import pytest
import yaml

from pmostep.core import questionnaire
from pmostep.core.records import is_empty, is_number, is_whole
from pmostep.products import catalogue, roles
from pmostep.products.catalogue import Catalogue, CatalogueError

ALL_ROLES = ", ".join(roles.names())
ALL_FIELDS = ", ".join(catalogue.FIELDS)


@pytest.fixture(scope="module")
def dims() -> list[str]:
    q = questionnaire.load()
    return [d.id for d in q.dimensions]


@pytest.fixture(scope="module")
def shipped(dims) -> Catalogue:
    return catalogue.load(dimension_ids=dims)


def entry(entry_id: str, **changes) -> dict:
    node = {
        "id": entry_id, "name": entry_id.replace("_", " ").title(), "type": "product",
        "description": "Something a PMO can offer.", "deliverables": ["A guide"],
        "dimensions": {"methodology": 3, "learning": 1}, "maturity": [1, 3], "effort": 4,
        "cost_band": "low", "change_load": 2, "horizon": "short", "prerequisites": [], "pmo_type": "II",
        "roles": ["methodology_specialist"], "functions": ["competencies"],
    }
    node.update(changes)
    return node


def tiny() -> dict:
    """A valid three-entry catalogue: methodology -> template library -> project audits."""
    return {"title": "Test catalogue", "version": 2, "entries": [
        entry("methodology"),
        entry("template_library", prerequisites=["methodology"]),
        entry("project_audits", type="service", prerequisites=["template_library"], maturity=[3, 5],
              roles=["quality_auditor"], functions=["learning", "monitoring"]),
    ]}


def audits(raw: dict) -> dict:
    return raw["entries"][2]


def problems_of(raw, dims) -> list[str]:
    with pytest.raises(CatalogueError) as err:
        catalogue.parse(raw, "broken.yaml", dims)
    assert str(err.value) == "broken.yaml: " + "; ".join(err.value.problems)
    return err.value.problems


# --- The shipped catalogue ------------------------------------------------------------------------

def test_shipped_catalogue_loads_with_both_types(shipped):
    assert shipped.title == "PMO products and services" and shipped.version == 1
    assert len(shipped.entries) >= 42
    types = Counter(e.type for e in shipped.entries)
    assert types["product"] >= 15 and types["service"] >= 15
    assert {e.horizon for e in shipped.entries} == set(catalogue.HORIZONS)
    assert {e.pmo_type for e in shipped.entries} == set(catalogue.PMO_TYPES)
    assert {e.cost_band for e in shipped.entries} == set(catalogue.COST_BANDS)
    assert {r for e in shipped.entries for r in e.roles} == set(roles.names())


def test_every_questionnaire_dimension_is_served(shipped, dims):
    assert len(dims) == 12
    for dim in dims:
        strengths = [e.dimensions[dim] for e in shipped.entries if dim in e.dimensions]
        assert len(strengths) >= 4, dim
        assert sum(s >= 2 for s in strengths) >= 2, dim


def test_every_hobbs_aubry_group_is_served(shipped):
    counts = Counter(f for e in shipped.entries for f in e.functions)
    assert set(counts) == set(catalogue.HOBBS_AUBRY_GROUPS)
    assert min(counts.values()) >= 4


def test_tenstep_named_products_and_services_are_there(shipped):
    named = {
        "consolidated_status_reporting": "service", "project_methodology": "product",
        "basic_pm_training": "service", "pm_coaching": "service", "earned_value_management": "service",
        "project_audits": "service", "pm_certification_support": "service", "portfolio_management": "service",
        "role_sort": "service", "pmo_awareness_sessions": "service", "template_library": "product",
        "lessons_learned_database": "product", "risk_database": "product", "quality_management": "product",
        "advanced_metrics": "product", "project_recovery": "service", "benefits_tracking": "service",
        "resource_capacity_planning": "service", "pmo_performance_review": "service",
        "methodology_management": "service", "advanced_pm_training": "service",
    }
    assert {i: shipped.entry(i).type for i in named} == named


def test_shipped_entries_are_realistic(shipped):
    for e in shipped.entries:
        assert 2 <= e.effort <= 20, e.id
        assert 1 <= len(e.description.split(". ")) <= 2, e.id
        for p in e.prerequisites:       # a prerequisite never asks for more maturity than what builds on it
            assert shipped.entry(p).maturity_min <= e.maturity_min, (e.id, p)
    assert shipped.entry("consolidated_status_reporting").maturity_min == 1
    assert shipped.entry("portfolio_optimisation").maturity_min >= 3
    chain = shipped.entry("project_audits").prerequisites
    assert "template_library" in chain and shipped.entry("template_library").prerequisites == (
        "project_methodology",)


def test_dependency_order_puts_prerequisites_first(shipped):
    order = catalogue.dependency_order(shipped)
    assert sorted(order) == sorted(shipped.by_id)
    for e in shipped.entries:
        assert all(order.index(p) < order.index(e.id) for p in e.prerequisites), e.id


def test_dependency_order_keeps_file_order_between_independent_entries(dims):
    raw = tiny()
    raw["entries"].reverse()
    raw["entries"].append(entry("awareness"))
    cat = catalogue.parse(raw, "t.yaml", dims)
    assert [e.id for e in cat.entries] == ["project_audits", "template_library", "methodology", "awareness"]
    assert catalogue.dependency_order(cat) == [
        "methodology", "template_library", "project_audits", "awareness"]


def test_lookup_by_id(dims):
    cat = catalogue.parse(tiny(), "t.yaml", dims)
    assert list(cat.by_id) == ["methodology", "template_library", "project_audits"]
    assert cat.entry("project_audits").maturity_min == 3 and cat.entry("project_audits").effort == 4.0
    assert cat.entry("project_audits").dimensions == {"methodology": 3, "learning": 1}
    with pytest.raises(KeyError):
        cat.entry("nothing")


def test_a_band_of_one_level_is_allowed(dims):
    raw = tiny()
    audits(raw)["maturity"] = [4, 4]
    cat = catalogue.parse(raw, "t.yaml", dims)
    assert (cat.entry("project_audits").maturity_min, cat.entry("project_audits").maturity_max) == (4, 4)


# --- Validation: one test per kind of problem ----------------------------------------------------

KINDS = [
    ("missing field", lambda r: audits(r).pop("name"), "entry 'project_audits': 'name' is missing"),
    ("blank text", lambda r: audits(r).update(description="  "),
     "entry 'project_audits': 'description' is missing"),
    ("empty list", lambda r: audits(r).update(deliverables=[]),
     "entry 'project_audits': 'deliverables' is missing"),
    ("text of wrong type", lambda r: audits(r).update(name=5),
     "entry 'project_audits': 'name' must be text, not 5"),
    ("list of wrong type", lambda r: audits(r).update(deliverables="Audit report"),
     "entry 'project_audits': 'deliverables' must be a list of text items, not 'Audit report'"),
    ("dimensions of wrong type", lambda r: audits(r).update(dimensions=["learning"]),
     "entry 'project_audits': dimensions must pair dimension ids with a strength, not ['learning']"),
    ("effort of wrong type", lambda r: audits(r).update(effort="three"),
     "entry 'project_audits': effort must be a number of PMO person-weeks, not 'three'"),
    ("change load not whole", lambda r: audits(r).update(change_load=2.5),
     "entry 'project_audits': change_load must be a whole number from 1 to 5, not 2.5"),
    ("missing id", lambda r: audits(r).pop("id"), "entry 3: 'id' is missing"),
    ("bad id format", lambda r: audits(r).update(id="Project Audits"),
     "entry 3: id 'Project Audits' must be lower-case letters, digits and _, starting with a letter"),
    ("duplicate id", lambda r: audits(r).update(id="template_library"),
     "entry 3: id 'template_library' is already used by entry 2"),
    ("unknown type", lambda r: audits(r).update(type="deliverable"),
     "entry 'project_audits': type 'deliverable' is not one of product, service"),
    ("unknown horizon", lambda r: audits(r).update(horizon="soon"),
     "entry 'project_audits': horizon 'soon' is not one of short, medium, long"),
    ("unknown cost band", lambda r: audits(r).update(cost_band="cheap"),
     "entry 'project_audits': cost_band 'cheap' is not one of low, medium, high"),
    ("unknown pmo type", lambda r: audits(r).update(pmo_type="V"),
     "entry 'project_audits': pmo_type 'V' is not one of I, II, III, IV"),
    ("unknown role", lambda r: audits(r).update(roles=["auditor"]),
     f"entry 'project_audits': role 'auditor' is not one of {ALL_ROLES}"),
    ("unknown function", lambda r: audits(r).update(functions=["audit"]),
     "entry 'project_audits': function 'audit' is not one of monitoring, competencies, multi_project, "
     "strategic, learning"),
    ("item listed twice", lambda r: audits(r).update(roles=["quality_auditor", "quality_auditor"]),
     "entry 'project_audits': role 'quality_auditor' is listed twice"),
    ("separator inside an item", lambda r: audits(r).update(deliverables=["Report; findings"]),
     "entry 'project_audits': deliverable 'Report; findings' must not contain ';'"),
    ("strength too high", lambda r: audits(r).update(dimensions={"learning": 4}),
     "entry 'project_audits': dimension 'learning' has strength 4; it must be 1, 2, 3"),
    ("strength not a number", lambda r: audits(r).update(dimensions={"learning": "high"}),
     "entry 'project_audits': dimension 'learning' has strength 'high'; it must be 1, 2, 3"),
    ("dimension not in the questionnaire", lambda r: audits(r).update(dimensions={"lerning": 3}),
     "entry 'project_audits': dimension 'lerning' is not in the questionnaire"),
    ("maturity below 1", lambda r: audits(r).update(maturity=[0, 3]),
     "entry 'project_audits': maturity minimum must be a level from 1 to 5, not 0"),
    ("maturity above 5", lambda r: audits(r).update(maturity=[2, 6]),
     "entry 'project_audits': maturity maximum must be a level from 1 to 5, not 6"),
    ("maturity min above max", lambda r: audits(r).update(maturity=[4, 2]),
     "entry 'project_audits': maturity minimum 4 is above the maximum 2"),
    ("maturity not a band", lambda r: audits(r).update(maturity=3),
     "entry 'project_audits': maturity must be [min, max], not 3"),
    ("effort zero", lambda r: audits(r).update(effort=0),
     "entry 'project_audits': effort must be more than 0 person-weeks, not 0"),
    ("effort negative", lambda r: audits(r).update(effort=-1.5),
     "entry 'project_audits': effort must be more than 0 person-weeks, not -1.5"),
    ("change load too high", lambda r: audits(r).update(change_load=6),
     "entry 'project_audits': change_load must be a whole number from 1 to 5, not 6"),
    ("change load zero", lambda r: audits(r).update(change_load=0),
     "entry 'project_audits': change_load must be a whole number from 1 to 5, not 0"),
    ("unknown prerequisite", lambda r: audits(r).update(prerequisites=["methodolgy"]),
     "entry 'project_audits': prerequisite 'methodolgy' is not in the catalogue"),
    ("self prerequisite", lambda r: audits(r).update(prerequisites=["project_audits"]),
     "entry 'project_audits': lists itself as a prerequisite"),
    ("unknown field", lambda r: audits(r).update(prerequisite=["methodology"]),
     f"entry 'project_audits': 'prerequisite' is not a catalogue field (fields: {ALL_FIELDS})"),
    ("entry not a mapping", lambda r: r["entries"].append("benefits_tracking"),
     "entry 4: must be a mapping of fields, not 'benefits_tracking'"),
    ("bad version", lambda r: r.update(version=0),
     "catalogue: version must be a whole number from 1 up, not 0"),
    ("missing title", lambda r: r.pop("title"), "catalogue: title must be non-empty text, not None"),
    ("no entries", lambda r: r.update(entries=[]), "catalogue: entries must list at least one entry"),
]


@pytest.mark.parametrize(("mutate", "expected"), [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_each_problem_names_entry_and_field(mutate, expected, dims):
    raw = tiny()
    mutate(raw)
    assert problems_of(raw, dims) == [expected]


def test_a_catalogue_that_is_not_a_mapping(dims):
    assert problems_of(["methodology"], dims) == [
        "catalogue: must be a mapping with title, version and entries"]


def test_several_problems_are_reported_together_in_file_order(dims):
    raw = tiny()
    raw["entries"][0]["horizon"] = "later"
    raw["entries"][0]["effort"] = 0
    raw["entries"][1]["id"] = "Template Library"
    raw["entries"][2]["dimensions"] = {"learning": 5, "lerning": 2}
    raw["entries"][2]["prerequisites"] = ["template_library", "methodolgy"]
    assert problems_of(raw, dims) == [
        "entry 'methodology': effort must be more than 0 person-weeks, not 0",
        "entry 'methodology': horizon 'later' is not one of short, medium, long",
        "entry 2: id 'Template Library' must be lower-case letters, digits and _, starting with a letter",
        "entry 'project_audits': dimension 'learning' has strength 5; it must be 1, 2, 3",
        "entry 'project_audits': dimension 'lerning' is not in the questionnaire",
        "entry 'project_audits': prerequisite 'template_library' is not in the catalogue",
        "entry 'project_audits': prerequisite 'methodolgy' is not in the catalogue",
    ]


def test_cycle_message_names_the_path(dims):
    raw = tiny()
    raw["entries"][0]["prerequisites"] = ["project_audits"]
    assert problems_of(raw, dims) == [
        "entry 'methodology': prerequisites go round in a cycle: "
        "methodology -> project_audits -> template_library -> methodology",
    ]


def test_each_separate_cycle_is_reported_once(dims):
    raw = tiny()
    raw["entries"][1]["prerequisites"] = ["project_audits"]
    raw["entries"].append(entry("a", prerequisites=["b"]))
    raw["entries"].append(entry("b", prerequisites=["a", "methodology"]))
    assert problems_of(raw, dims) == [
        "entry 'template_library': prerequisites go round in a cycle: "
        "template_library -> project_audits -> template_library",
        "entry 'a': prerequisites go round in a cycle: a -> b -> a",
    ]


def test_load_names_the_file_and_the_yaml_line(tmp_path, dims):
    path = tmp_path / "custom.yaml"
    path.write_text("title: x\nversion: 1\nentries:\n  - id: a\n   name: b\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        catalogue.load(path, dims)
    assert err.value.source == str(path)
    assert err.value.problems == [
        "is not valid YAML at line 5, column 4: expected <block end>, but found '<block mapping start>'"]


def test_load_reports_a_missing_file_and_problems_with_the_file_name(tmp_path, dims):
    with pytest.raises(CatalogueError) as err:
        catalogue.load(tmp_path / "none.yaml", dims)
    assert err.value.problems == ["cannot be read (No such file or directory)"]
    raw = tiny()
    raw["entries"][2]["prerequisites"] = ["methodolgy"]
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        catalogue.load(path, dims)
    assert str(err.value) == (
        f"{path}: entry 'project_audits': prerequisite 'methodolgy' is not in the catalogue")


def test_default_source_is_shown_relative_to_the_project(dims):
    with pytest.raises(CatalogueError) as err:
        catalogue.load(dimension_ids=[d for d in dims if d != "culture"])
    assert str(err.value).startswith(
        "data/catalogue.yaml: entry 'pmo_charter': dimension 'culture' is not in the questionnaire; ")


# --- Records and YAML -------------------------------------------------------------------------------

def test_records_are_plain_json_with_maturity_split(shipped):
    records = shipped.to_records()
    assert len(records) == len(shipped.entries)
    first = records[0]
    assert list(first) == list(catalogue.COLUMNS)
    assert first["id"] == "pmo_charter" and first["type"] == "product"
    assert first["dimensions"] == {"governance": 3, "stakeholders": 2, "culture": 1}
    assert (first["maturity_min"], first["maturity_max"]) == (1, 3)
    assert first["effort"] == 2.0 and first["change_load"] == 1 and first["prerequisites"] == []
    assert first["roles"] == ["pmo_lead"] and first["functions"] == ["strategic"]
    assert "maturity" not in first
    assert json.loads(json.dumps(records)) == records


def test_records_round_trip(shipped, dims):
    records = json.loads(json.dumps(shipped.to_records()))
    again = Catalogue.from_records(records, dims, title=shipped.title, version=shipped.version)
    assert again == shipped
    assert again.entries[5].prerequisites == shipped.entries[5].prerequisites


def test_records_are_checked_like_the_file(shipped, dims):
    records = shipped.to_records()
    records[2]["maturity_max"] = 9
    with pytest.raises(CatalogueError) as err:
        Catalogue.from_records(records, dims)
    assert str(err.value) == ("<records>: entry 'project_inventory': "
                              "maturity maximum must be a level from 1 to 5, not 9")


def test_yaml_round_trip(shipped, dims):
    text = shipped.to_yaml()
    assert text.startswith("# PMOStep catalogue")
    raw = yaml.safe_load(text)
    assert list(raw) == ["title", "version", "entries"]
    assert list(raw["entries"][0]) == list(catalogue.FIELDS)
    assert raw["entries"][0]["maturity"] == [1, 3] and raw["entries"][0]["effort"] == 2
    assert catalogue.parse(raw, "again.yaml", dims) == shipped


# --- Excel ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(shipped) -> bytes:
    return catalogue.template_xlsx(shipped)


def edited(template: bytes, change) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    change(workbook["Catalogue"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_problems(content: bytes, dims) -> list[str]:
    with pytest.raises(CatalogueError) as err:
        catalogue.from_xlsx(content, dims, source="custom.xlsx")
    assert str(err.value).startswith("custom.xlsx: ")
    return err.value.problems


def column(sheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def row_of(sheet, entry_id: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == entry_id)


def test_template_layout(template, shipped):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    assert workbook.sheetnames == ["Catalogue", "Read me"]
    sheet = workbook["Catalogue"]
    assert [c.value for c in sheet[1]] == list(catalogue.COLUMNS)
    assert sheet.max_row == len(shipped.entries) + 1
    assert sheet.cell(2, column(sheet, "dimensions")).value == "governance:3; stakeholders:2; culture:1"
    status = row_of(sheet, "consolidated_status_reporting")
    prerequisites = sheet.cell(status, column(sheet, "prerequisites")).value
    assert prerequisites == "project_inventory; status_report_template"
    assert sheet.cell(status, column(sheet, "roles")).value == "pmo_analyst; pmo_lead"
    assert sheet.cell(2, column(sheet, "prerequisites")).value is None
    assert sheet.cell(2, column(sheet, "maturity_max")).value == 3
    readme = workbook["Read me"]
    assert [c.value for c in readme[1]] == ["Column", "What it holds", "Allowed values"]
    assert [r[0].value for r in readme.iter_rows(min_row=2)] == list(catalogue.COLUMNS)
    assert all(r[1].value and r[2].value for r in readme.iter_rows(min_row=2))


def test_xlsx_template_round_trips(template, shipped, dims):
    assert catalogue.from_xlsx(template, dims) == shipped


def test_default_template_is_the_shipped_catalogue(shipped, dims):
    assert catalogue.from_xlsx(catalogue.template_xlsx(), dims) == shipped


def test_xlsx_tolerates_numbers_as_text_and_blank_rows(template, shipped, dims):
    def change(sheet):
        sheet.cell(2, column(sheet, "effort")).value = " 3.5 "
        sheet.cell(2, column(sheet, "change_load")).value = "2"
        sheet.insert_rows(3)
    cat = catalogue.from_xlsx(edited(template, change), dims)
    assert cat.entry("pmo_charter").effort == 3.5 and cat.entry("pmo_charter").change_load == 2
    assert len(cat.entries) == len(shipped.entries)


def test_xlsx_bad_cells_name_row_and_column(template, dims):
    def change(sheet):
        row = row_of(sheet, "project_audits")
        sheet.cell(row, column(sheet, "dimensions")).value = "learning 3; governance:2"
        sheet.cell(row, column(sheet, "effort")).value = -2
        sheet.cell(row, column(sheet, "roles")).value = "quality auditor"
        sheet.cell(3, column(sheet, "maturity_min")).value = 4
        sheet.cell(3, column(sheet, "maturity_max")).value = 2
        sheet.cell(4, column(sheet, "prerequisites")).value = "pmo_charter; methodolgy"
        sheet.delete_rows(5)         # rows below move up; messages must use the new row numbers
    content = edited(template, change)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Catalogue"]
    row = row_of(sheet, "project_audits")
    assert xlsx_problems(content, dims) == [
        "sheet 'Catalogue' row 3, column 'maturity_min' (entry 'pmo_awareness_sessions'): "
        "maturity minimum 4 is above the maximum 2",
        f"sheet 'Catalogue' row {row}, column 'dimensions' (entry 'project_audits'): "
        "dimensions must pair dimension ids with a strength, not 'learning 3; governance:2'",
        f"sheet 'Catalogue' row {row}, column 'effort' (entry 'project_audits'): "
        "effort must be more than 0 person-weeks, not -2",
        f"sheet 'Catalogue' row {row}, column 'roles' (entry 'project_audits'): "
        f"role 'quality auditor' is not one of {ALL_ROLES}",
        "sheet 'Catalogue' row 4, column 'prerequisites' (entry 'project_inventory'): "
        "prerequisite 'methodolgy' is not in the catalogue",
        "sheet 'Catalogue' row 5, column 'prerequisites' (entry 'consolidated_status_reporting'): "
        "prerequisite 'status_report_template' is not in the catalogue",
    ]


def test_xlsx_empty_required_cell_and_bad_strength(template, dims):
    def change(sheet):
        sheet.cell(7, column(sheet, "name")).value = None
        sheet.cell(7, column(sheet, "dimensions")).value = "reporting:x"
    assert xlsx_problems(edited(template, change), dims) == [
        "sheet 'Catalogue' row 7, column 'name' (entry 'project_communications'): 'name' is missing",
        "sheet 'Catalogue' row 7, column 'dimensions' (entry 'project_communications'): "
        "dimension 'reporting' has strength 'x'; it must be 1, 2, 3",
    ]


def test_xlsx_header_problems_name_row_1(template, dims):
    def change(sheet):
        sheet.cell(1, column(sheet, "effort")).value = "effrot"
        sheet.cell(1, column(sheet, "horizon")).value = "Cost_Band "
    assert xlsx_problems(edited(template, change), dims) == [
        "sheet 'Catalogue' row 1: column 'effrot' is not a catalogue column",
        "sheet 'Catalogue' row 1: column 'cost_band' appears twice",
        "sheet 'Catalogue' row 1: column 'effort' is missing",
        "sheet 'Catalogue' row 1: column 'horizon' is missing",
    ]


def test_xlsx_that_is_not_a_catalogue_workbook(dims):
    assert xlsx_problems(b"id,name\n", dims)[0].startswith("is not an Excel workbook")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    out = io.BytesIO()
    workbook.save(out)
    assert xlsx_problems(out.getvalue(), dims) == ["has no sheet 'Catalogue' (sheets: Sheet1)"]
    assert xlsx_problems(edited(catalogue.template_xlsx(catalogue.parse(tiny(), "t", dims)),
                                lambda s: s.delete_rows(2, 3)), dims) == [
        "sheet 'Catalogue': entries must list at least one entry"]


def test_customised_catalogue_keeps_title_and_version(dims):
    cat = catalogue.parse(tiny(), "t.yaml", dims)
    again = catalogue.from_xlsx(catalogue.template_xlsx(cat), dims)
    assert (again.title, again.version) == ("Test catalogue", 2)
    assert again == cat


def test_edits_and_new_entries_are_checked_with_the_whole_catalogue(dims):
    cat = catalogue.load(dimension_ids=dims)
    position = [e.id for e in cat.entries].index("project_audits")
    edited = catalogue.edited(cat, {position: {"effort": 9, "name": "Project audits (light)"}}, dims)
    assert edited.entry("project_audits").effort == 9
    assert edited.entry("project_audits").name == "Project audits (light)"
    with pytest.raises(CatalogueError) as err:
        catalogue.edited(cat, {position: {"change_load": 7}}, dims)
    assert "entry 'project_audits'" in str(err.value) and "change_load" in str(err.value)
    with pytest.raises(CatalogueError, match="prerequisites cannot be edited here"):
        catalogue.edited(cat, {position: {"prerequisites": []}}, dims)
    record = {**cat.to_records()[0], "id": "vendor_reviews", "name": "Vendor reviews",
              "prerequisites": ["project_audits"]}
    bigger = catalogue.with_entry(cat, record, dims)
    assert len(bigger.entries) == len(cat.entries) + 1
    assert bigger.entry("vendor_reviews").name == "Vendor reviews"
    with pytest.raises(CatalogueError, match="'pmo_charter'"):
        catalogue.with_entry(cat, cat.to_records()[0], dims)            # the id is taken


def test_uploaded_yaml_text_is_checked(dims):
    cat = catalogue.load(dimension_ids=dims)
    assert catalogue.loads(cat.to_yaml(), "upload.yaml", dims) == cat
    with pytest.raises(CatalogueError, match=r"upload\.yaml: is not valid YAML at line"):
        catalogue.loads("entries: [a\n", "upload.yaml", dims)


def test_names_must_differ(dims):
    raw = yaml.safe_load(catalogue.load(dimension_ids=dims).to_yaml())
    raw["entries"][1]["name"] = raw["entries"][0]["name"].upper()
    with pytest.raises(CatalogueError) as err:
        catalogue.parse(raw, "t.yaml", dims)
    first, second = raw["entries"][0]["id"], raw["entries"][1]["id"]
    assert f"entry '{second}': name '{raw['entries'][1]['name']}' is already used by entry '{first}'" \
        in str(err.value)


def test_yaml_aliases_are_refused(dims):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(CatalogueError, match=r"uses YAML aliases"):
        catalogue.loads(bomb, "bomb.yaml", dims)


def test_the_catalogue_reads_values_with_the_records_checks():
    """One definition of an empty, whole or finite value for every file read (core/records.py)."""
    assert (catalogue.is_empty, catalogue.is_whole, catalogue.is_number) == (is_empty, is_whole, is_number)
    assert not any(hasattr(catalogue, f"_is_{n}") for n in ("empty", "whole", "number"))
