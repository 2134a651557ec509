"""The self-check (planning/self_check.py) through its use case, services.tick_symptoms: ids checked against
the assessment's know-how, all or nothing, and gone with the assessment."""

import pytest

from pmostep import services
from pmostep.planning import decisions, know_how, self_check
from pmostep.planning.self_check import SelfCheckError


def symptoms_of(con, q, slug: str, problem: str) -> list[str]:
    a, _ = services.assessment_with_questionnaire(con, slug)
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    k = know_how.for_assessment(con, a, q, cat)
    return [s.id for s in next(p for p in k.problems if p.id == problem).symptoms]


def test_ticking_and_unticking_symptoms_is_stored_with_the_assessment(con, q, hand_assessment):
    a = hand_assessment()
    first, second, *_ = symptoms_of(con, q, "hand", "no_sponsor")
    services.tick_symptoms(con, "hand", "no_sponsor", [first, second])
    services.tick_symptoms(con, "hand", "no_sponsor", [first])             # again: no change, no error
    assert self_check.ticked(con, a.id) == {"no_sponsor": frozenset({first, second})}
    services.tick_symptoms(con, "hand", "no_sponsor", [first], seen=False)
    assert self_check.ticked(con, a.id) == {"no_sponsor": frozenset({second})}
    services.tick_symptoms(con, "hand", "no_sponsor", [second], seen=False)
    assert self_check.ticked(con, a.id) == {}


def test_unknown_problems_and_symptoms_are_refused_and_nothing_is_stored(con, q, hand_assessment):
    a = hand_assessment()
    first = symptoms_of(con, q, "hand", "no_sponsor")[0]
    with pytest.raises(SelfCheckError, match="no problem 'nonsense' in this assessment's know-how"):
        services.tick_symptoms(con, "hand", "nonsense", [first])
    with pytest.raises(SelfCheckError) as refused:
        services.tick_symptoms(con, "hand", "no_sponsor", [first, "made_up", "also_made_up"])
    assert str(refused.value).startswith("problem 'no_sponsor' has no symptom 'also_made_up', 'made_up': ")
    assert self_check.ticked(con, a.id) == {}                               # the good one is not kept


def test_deleting_an_assessment_deletes_its_ticked_symptoms(con, q, hand_assessment):
    a = hand_assessment()
    hand_assessment(slug="other")
    first = symptoms_of(con, q, "hand", "no_sponsor")[0]
    services.tick_symptoms(con, "hand", "no_sponsor", [first])
    services.tick_symptoms(con, "other", "no_sponsor", [first])
    other = services.assessment_with_questionnaire(con, "other")[0]
    services.delete_assessment(con, "hand")
    assert self_check.ticked(con, a.id) == {}
    assert self_check.ticked(con, other.id) == {"no_sponsor": frozenset({first})}


def test_the_check_reads_the_know_how_in_the_unit_of_work_that_stores_the_ticks(con, q, hand_assessment,
                                                                                 monkeypatch):
    # The know-how's extensions are read on the cursor that ticks, inside its transaction, not on the
    # connection before it (where an extension saved in between would slip past the check).
    hand_assessment()
    first = symptoms_of(con, q, "hand", "no_sponsor")[0]
    used: dict[str, object] = {}
    check_with, tick_with = know_how.fetch_extensions, self_check.tick

    def checked(cur, *args):
        used["check"] = cur
        return check_with(cur, *args)

    def ticked(cur, *args):
        used["tick"] = cur
        return tick_with(cur, *args)

    monkeypatch.setattr(know_how, "fetch_extensions", checked)
    monkeypatch.setattr(self_check, "tick", ticked)
    services.tick_symptoms(con, "hand", "no_sponsor", [first])
    assert used["check"] is used["tick"] and used["check"] is not con
