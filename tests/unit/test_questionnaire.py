"""The discovery questionnaire: content rules, validation messages, JSON shape."""

import copy

import pytest
import yaml

from pmostep.core import questionnaire
from pmostep.core.questionnaire import QuestionnaireError


def raw_default() -> dict:
    return yaml.safe_load(questionnaire.DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8"))


def test_default_questionnaire_covers_the_project_world(q):
    assert len(q.dimensions) >= 10
    assert len(q.statements) >= 40
    assert all(3 <= len(d.statements) <= 5 for d in q.dimensions)
    ids = {d.id for d in q.dimensions}
    for required in ("methodology", "governance", "portfolio", "resources", "reporting", "people", "tools",
                     "risk", "benefits", "learning", "stakeholders", "culture"):
        assert required in ids
    assert [p.value for p in q.scale] == [1, 2, 3, 4, 5]
    assert q.scale[0].label == "Ad hoc" and q.scale[-1].label == "Optimised"
    assert all(p.description for p in q.scale)
    assert q.not_applicable_label.startswith("Don't know")
    assert {p.id for p in q.profile} >= {"group", "business_unit", "involvement", "tenure"}
    assert len(q.comments) == 2
    assert q.id and q.version >= 1


def test_json_shape(q):
    doc = q.to_dict()
    assert {"id", "version", "scale", "not_applicable", "dimensions", "profile", "comments"} <= set(doc)
    assert doc["scale"][0] == {"value": 1, "label": "Ad hoc", "description": q.scale[0].description}
    assert doc["not_applicable"] == {"label": q.not_applicable_label}
    assert set(doc["dimensions"][0]) >= {"id", "name", "statements"}
    assert set(doc["dimensions"][0]["statements"][0]) == {"id", "text"}
    assert set(doc["profile"][0]) == {"id", "text", "options"}
    assert set(doc["comments"][0]) == {"id", "text"}


def problems_of(raw: dict) -> list[str]:
    with pytest.raises(QuestionnaireError) as err:
        questionnaire.parse(raw, source="broken.yaml")
    assert str(err.value).startswith("broken.yaml: ")
    return err.value.problems


def test_missing_statement_text_names_the_statement():
    raw = raw_default()
    del raw["dimensions"][1]["statements"][2]["text"]
    assert problems_of(raw) == ["statement 'gov_3': 'text' is missing"]


def test_duplicate_id_names_both_places():
    raw = raw_default()
    raw["dimensions"][2]["statements"][0]["id"] = "meth_1"
    assert problems_of(raw) == [
        "dimension 'portfolio' statement 1: id 'meth_1' is already used by "
        "dimension 'methodology' statement 1"
    ]


def test_statement_count_per_dimension():
    raw = raw_default()
    raw["dimensions"][0]["statements"] = raw["dimensions"][0]["statements"][:2]
    assert problems_of(raw) == ["dimension 'methodology': has 2 statements; each dimension needs 3 to 5"]


def test_scale_must_count_up_from_one():
    raw = raw_default()
    raw["scale"][2]["value"] = 7
    assert problems_of(raw) == ["scale point 3: value must be 3 (points are numbered 1, 2, 3, ... in order)"]


def test_every_problem_is_reported_at_once():
    raw = raw_default()
    raw["version"] = "one"
    raw["profile"][0]["options"] = ["Only one"]
    raw["dimensions"][3]["id"] = "Bad Id"
    problems = problems_of(raw)
    assert len(problems) == 3
    assert any("version 'one'" in p for p in problems)
    assert any("profile question 'group': must list at least two options" in p for p in problems)
    assert any("id 'Bad Id'" in p for p in problems)


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nscale: [1, 2\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"bad\.yaml: is not valid YAML"):
        questionnaire.load(path)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(QuestionnaireError, match=r"nowhere\.yaml: cannot be read"):
        questionnaire.load(tmp_path / "nowhere.yaml")


def test_round_trip_through_stored_json(q):
    again = questionnaire.parse(copy.deepcopy(q.source))
    assert again == q


def test_importance_must_be_a_mapping():
    raw = raw_default()
    raw["importance"] = "high"
    with pytest.raises(questionnaire.QuestionnaireError, match="importance: must be a mapping"):
        questionnaire.parse(raw)
