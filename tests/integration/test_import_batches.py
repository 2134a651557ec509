"""Import batches (initiation/imports/batches.py) through the pipeline: the same responses found again
in the same, another or a later file, other people with the same ids, undo, and a failed write."""

from __future__ import annotations

import pytest

from pmostep import services
from pmostep.foundation import assessments
from pmostep.initiation.imports import pipeline
from pmostep.planning import scoring
from tests import exports
from tests.importing import do_import, id_of


@pytest.fixture(scope="module")
def answers(q) -> exports.Answers:
    return exports.Answers.from_demo(q, respondents=30, seed=11)


def test_same_file_twice_adds_nothing_and_overlap_adds_only_new(con, q, answers):
    name, data = exports.microsoft_forms(answers)
    _, first = do_import(con, q, name, data)
    assert first.respondents_added == 30
    again = pipeline.prepare(con, q, name, data, id_of(con, "imported"))
    assert again.previous_import is not None and again.duplicates == 30 and again.respondents_to_add == 0
    assert services.import_prepared(con, q, again, "imported").respondents_added == 0
    # A later export of the same form: the 30 earlier responses plus 10 new ones.
    more = exports.Answers.from_demo(q, respondents=40, seed=11)
    more.rows[:30] = answers.rows
    _, later = do_import(con, q, *exports.microsoft_forms(more))
    assert later.respondents_added == 10 and later.prepared.duplicates == 30
    assert scoring.score(con, assessments.get(con, "imported"), q).respondents == 40


def test_rows_without_ids_are_recognised_by_fingerprint(con, q, answers):
    do_import(con, q, *exports.google_forms(answers))
    name, data = exports.google_forms(answers, delimiter=";")       # other bytes, same responses
    prepared = pipeline.prepare(con, q, name, data, id_of(con, "imported"))
    assert prepared.previous_import is None and prepared.duplicates == 30


def test_the_same_responses_in_another_format_are_recognised(con, q, answers):
    do_import(con, q, *exports.google_forms(answers))                         # Sheets CSV
    prepared = pipeline.prepare(con, q, *exports.google_forms(answers, timestamps="forms"),   # Forms-UI CSV
                             id_of(con, "imported"))
    assert prepared.duplicates == 30 and prepared.respondents_to_add == 0
    do_import(con, q, *exports.microsoft_forms(answers), slug="forms")        # xlsx with date cells
    again = pipeline.prepare(con, q, *exports.microsoft_forms(answers, fmt="csv"), id_of(con, "forms"))
    assert again.duplicates == 30                                             # re-saved as CSV


def test_same_ids_with_other_answers_are_other_people(con, q, answers):
    do_import(con, q, *exports.template(answers))                             # respondents R1..R30
    others = exports.Answers.from_demo(q, respondents=30, seed=12)
    _, result = do_import(con, q, *exports.template(others))                 # another sheet, R1..R30
    assert result.respondents_added == 30


def test_undo_removes_exactly_that_import(con, q, answers):
    _, first = do_import(con, q, *exports.google_forms(answers))
    more = exports.Answers.from_demo(q, respondents=12, seed=99)
    _, second = do_import(con, q, *exports.surveymonkey(more))
    a = assessments.get(con, "imported")
    assert scoring.score(con, a, q).respondents == 42
    assert services.undo_import(con, second.batch_id) == 12
    assert scoring.score(con, a, q).respondents == 30
    with pytest.raises(pipeline.ImportRefused, match="already undone"):
        services.undo_import(con, second.batch_id)
    listed = {b.id: b.undone_at for b in pipeline.batches.list_for(con, a.id)}
    assert listed[first.batch_id] is None and listed[second.batch_id] is not None
    # After an undo the same file can be imported again.
    _, again = do_import(con, q, *exports.surveymonkey(more))
    assert again.respondents_added == 12


def test_a_failed_write_leaves_the_database_as_it_was(con, q, answers, monkeypatch):
    do_import(con, q, *exports.google_forms(answers))
    before = con.execute("SELECT count(*) FROM respondents").fetchone()[0]
    more = exports.Answers.from_demo(q, respondents=8, seed=5)
    prepared = pipeline.prepare(con, q, *exports.surveymonkey(more), id_of(con, "imported"))

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline.responses, "add", fail)
    with pytest.raises(RuntimeError):
        services.import_prepared(con, q, prepared, "imported")
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == before
    assert len(pipeline.batches.list_for(con, id_of(con, "imported"))) == 1
