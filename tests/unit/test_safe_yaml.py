"""Hostile YAML (pmostep/core/safe_yaml.py and the readers on top of it): refused fast, with a message that
names the file and the line, that stays short whatever the file held, and with nothing stored.

100 KB of `[[[[...]]]]` (50,000 brackets deep) once took 85 s of CPU and then a RecursionError; it is
refused at its 65th bracket (line 1, column 65).
"""

import time

import pytest
import yaml

from pmostep.core import errors, questionnaire, records, safe_yaml
from pmostep.planning import know_how
from pmostep.planning.know_how import KnowHowError
from pmostep.products import catalogue, roles
from pmostep.products.catalogue import CatalogueError

NESTED = "[" * 50_000 + "]" * 50_000          # 100 KB


@pytest.fixture(scope="module")
def q():
    return questionnaire.load()


@pytest.fixture(scope="module")
def cat(q):
    return catalogue.shipped(tuple(d.id for d in q.dimensions))


def refused(text: str) -> str:
    with pytest.raises(safe_yaml.YamlTextError) as err:
        safe_yaml.load(text)
    return str(err.value)


def role(rid: str) -> dict:
    return {"id": rid, "name": f"Role {rid}", "purpose": "P.", "responsibilities": ["R"], "skills": ["S"],
            "grade": "Manager", "pmo_types": ["I"]}


def test_deep_nesting_is_refused_fast_at_the_line_and_column_where_it_goes_too_deep():
    started = time.process_time()
    assert refused(NESTED) == "nests lists and mappings more than 64 deep (line 1, column 65)"
    assert time.process_time() - started < 2
    block = "".join(" " * (2 * i) + "-\n" for i in range(70))            # the same in block style
    assert refused(block) == "nests lists and mappings more than 64 deep (line 65, column 129)"
    assert refused("{a: " * 1000) == "nests lists and mappings more than 64 deep (line 1, column 257)"


def test_64_levels_are_read():
    deepest = safe_yaml.load("[" * 64 + "x" + "]" * 64)
    for _ in range(63):
        deepest = deepest[0]
    assert deepest == ["x"]


def test_a_recursion_error_is_never_a_traceback(monkeypatch):
    monkeypatch.setattr(safe_yaml, "MAX_DEPTH", 10**6)
    assert refused("[" * 3000 + "]" * 3000) == "nests lists and mappings too deeply (at most 1000000)"


def test_too_many_values_are_refused_fast():
    started = time.process_time()
    text = "roles:\n" + "- {id: r}\n" * 30_000          # 3 values, then 3 per record: 90,003 values
    # the 50,001st is the 16,666th record's last value: line 16,667, the r of "- {id: r}"
    assert refused(text) == "holds more than 50,000 values (from line 16667, column 8)"
    assert time.process_time() - started < 3
    assert len(safe_yaml.load("[" + "x, " * 49_999 + "]")) == 49_999      # 50,000 values with the list


def test_the_know_how_and_the_catalogue_name_the_file(q, cat):
    with pytest.raises(KnowHowError) as err:
        know_how.build(q, cat, {"problems": NESTED})
    assert err.value.problems == ["the assessment's problems (extension): nests lists and mappings more than "
                                  "64 deep (line 1, column 65)"]
    with pytest.raises(CatalogueError) as err:
        catalogue.loads(NESTED, "nested.yaml", [d.id for d in q.dimensions])
    assert str(err.value) == "nested.yaml: nests lists and mappings more than 64 deep (line 1, column 65)"


def test_a_file_of_too_many_records_is_refused_whole():
    many = yaml.safe_dump({"roles": [role(f"r{i}") for i in range(records.MAX_RECORDS + 1)]})
    assert roles.loads(many, "r.yaml") == ((), ["r.yaml: 'roles' lists 1,001 records; at most 1,000"])
    assert len(roles.loads(yaml.safe_dump({"roles": [role(f"r{i}") for i in range(1000)]}), "r.yaml")[0]) \
        == 1000


def test_a_catalogue_of_too_many_entries_is_refused(q, cat):
    dims = [d.id for d in q.dimensions]
    entries = [dict(cat.to_records()[0], id=f"e{i}", name=f"Entry {i}", prerequisites=[])
               for i in range(records.MAX_RECORDS + 1)]
    with pytest.raises(CatalogueError) as err:
        catalogue.Catalogue.from_records(entries, dims, source="big.yaml")
    assert err.value.problems == ["catalogue: entries lists 1,001 entries; at most 1,000"]


def test_at_most_50_problems_are_listed_then_how_many_more(q, cat):
    bad = yaml.safe_dump({"roles": [{"id": f"r{i}"} for i in range(300)]})   # 6 fields missing in each
    with pytest.raises(KnowHowError) as err:
        know_how.build(q, cat, {"roles": bad})
    assert len(err.value.problems) == errors.MAX_PROBLEMS + 1
    assert err.value.problems[-1] == "and 1,750 more problems"
    assert str(err.value) == "; ".join(err.value.problems) and len(str(err.value)) < 10_000
    entries = [{"id": f"e{i}"} for i in range(300)]
    with pytest.raises(CatalogueError) as err:
        catalogue.parse({"title": "T", "version": 1, "entries": entries}, "c.yaml",
                        [d.id for d in q.dimensions])
    assert len(err.value.problems) == 51 and err.value.problems[-1].startswith("and ")


def test_a_problem_quoting_a_huge_value_is_cut(q):
    with pytest.raises(CatalogueError) as err:
        catalogue.parse({"title": ["x" * 100_000], "version": 1, "entries": []}, "c.yaml",
                        [d.id for d in q.dimensions])
    first = err.value.problems[0]
    assert len(first) == errors.MAX_PROBLEM_CHARS and first.startswith("catalogue: title must be non-empty "
                                                                       "text, not ['xxx")
    assert first.endswith("...")
    assert errors.listed(["a", "b"]) == ["a", "b"]
    assert errors.listed(["p"] * 51) == ["p"] * 50 + ["and 1 more problem"]
