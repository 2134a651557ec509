"""reports/content.py: what every deliverable shows, cut by the same anonymity rules as the pages."""

from __future__ import annotations

import itertools
import shutil
from datetime import date, timedelta

import pytest

from pmostep import services
from pmostep.planning import comments
from pmostep.reports import content, tables
from pmostep.store import db, responses
from tests.conftest import (
    FORMULA_REMARK,
    SMALL_GROUP,
    SMALL_GROUP_REMARK,
    batch_from_rows,
    gathered,
    rating_rows,
    worked_out,
)


@pytest.fixture(scope="module")
def small(small_file):
    con = db.connect(small_file)
    a, q = services.assessment_with_questionnaire(con, "small")
    yield con, a, q, content.gather(con, a, q, today=date(2026, 12, 2), raw=True)
    con.close()


def test_small_groups_are_named_once_and_their_comments_pooled(small):
    *_, c = small
    assert content.suppressed_groups(c) == ["Executive or sponsor", "Portfolio or programme manager"]
    assert content.suppressed_sentence(c) == ("Groups too small to show (fewer than 5 respondents): "
                                              "Executive or sponsor, Portfolio or programme manager.")
    assert [name for name, _, _ in content.group_tables(c)] == ["Project manager", "Project team member"]
    remarks = c.comments[c.comments["text"].isin([SMALL_GROUP_REMARK, FORMULA_REMARK])]
    assert len(remarks) == 2 and set(remarks["group"]) == {comments.POOLED_GROUP}
    assert SMALL_GROUP not in set(c.comments["group"])


def test_response_rates_withhold_the_counts_of_small_groups_so_none_can_be_worked_out(small):
    """The executives (2 of 3 invited) and "Other or not stated" (the 3 portfolio managers, whom the
    Foundation does not list) are withheld. The total (18) gives only their sum (5); the overall rate
    would give the executives (it counts 7 + 6 + 2 of 21 invited) and the group tables print the other
    two counts, so the rate is withheld too."""
    *_, c = small
    rows = {r.group: (r.invited, r.responded, r.status) for r in c.response_rates.rows}
    assert rows == {"Project manager": (8, 7, content.SHOWN), "Project team member": (10, 6, content.SHOWN),
                    SMALL_GROUP: (3, None, content.WITHHELD),
                    content.OTHER_GROUP: (None, None, content.WITHHELD)}
    assert content.response_rate(c) is None and content.response_rate_words(c) == "withheld"
    printed = {name: n for name, n, _ in content.group_tables(c)}
    assert printed == {"Project manager": 7, "Project team member": 6}
    assert worked_out(c.response_rates, c.report.respondents, printed) == []
    assert content.rates_note(c) == ("Counts of groups below the minimum of 5 are withheld. The overall "
                                     "response rate is withheld too: with the counts shown it would give "
                                     "them away.")


def test_the_response_rate_counts_the_invited_groups_only_and_stays_within_them(demo_content):
    c = demo_content
    invited = sum(g.invited for g in c.assessment.stakeholder_groups)
    shown = [r for r in c.response_rates.rows if r.status == content.SHOWN]
    assert len(shown) == len(c.assessment.stakeholder_groups) == len(c.response_rates.rows)
    assert all(r.responded <= r.invited for r in shown)
    assert content.response_rate(c) == pytest.approx(sum(r.responded for r in shown) / invited)
    assert content.response_rate(c) <= 1
    assert content.answered(c) == f"150 respondents, response rate {content.response_rate(c):.0%}"


def test_a_respondent_waiting_for_publication_changes_no_response_count(small_file, tmp_path, q):
    """A project manager completes the survey after the others: alone, not yet published (pending), so
    the rates, like the scores, still count 7 project managers."""
    path = tmp_path / "pending.duckdb"
    shutil.copy(small_file, path)
    before = gathered(path, "small")
    con = db.connect(path)
    a, aq = services.assessment_with_questionnaire(con, "small")
    answers = rating_rows("late", [s.id for s in aq.statements], [3] * len(aq.statements),
                          [4] * len(aq.statements))
    late = batch_from_rows({"late": True}, answers, [("late", "group", "Project manager")])
    with db.transaction(con) as cur:
        responses.add(cur, a, aq, late)
    con.close()
    after = gathered(path, "small")
    assert after.report.pending == 1 and after.report.respondents == before.report.respondents == 18
    assert after.response_rates == before.response_rates
    assert content.rate_table(after).equals(content.rate_table(before))


def test_raw_rows_name_only_groups_large_enough(small):
    *_, c = small
    assert c.raw is not None and len(c.raw) == 18
    assert sorted(c.raw["Respondent"]) == list(range(1, 19))
    assert set(c.raw["Stakeholder group"]) == {"Project manager", "Project team member", ""}
    assert (c.raw["Stakeholder group"] == "").sum() == 5            # both small groups, together


def test_no_raw_rows_unless_asked(small):
    con, a, q, _ = small
    assert content.gather(con, a, q).raw is None


def test_largest_gaps_are_the_gaps_page_ranking(small):
    *_, c = small
    ranking = tables.priority_ranking(c.whole.dimensions, "name", "Dimension")
    positive = ranking[ranking["Gap"] > 0]
    assert content.largest_gaps(c)["name"].tolist() == positive["Dimension"].head(3).tolist()


def test_waves_start_the_monday_after_today_while_the_assessment_is_open(small):
    *_, c = small
    dates = content.wave_dates(c)
    assert c.start == date(2026, 12, 7) and c.start.weekday() == 0
    assert dates[0][1] == c.start
    weeks = c.plan.settings.wave_weeks
    for (_, first, last), (_, following, _) in itertools.pairwise(dates):
        assert last - first == timedelta(weeks=weeks, days=-1)
        assert following == last + timedelta(days=1)


def test_sponsor_is_asked_to_approve_wave_1_by_its_entries(small):
    *_, c = small
    first = c.plan.roadmap.waves[0]
    ask = content.sponsor_decisions(c)[0]
    assert ask.startswith("Approve wave 1") and all(c.plan.names[i] in ask for i in first.items)


def test_a_withheld_filter_is_refused_with_its_reason(small):
    con, a, q, _ = small
    with pytest.raises(content.ReportError) as refused:
        content.gather(con, a, q, filters={"group": [SMALL_GROUP]})
    assert str(refused.value).startswith("These filters leave 2 published respondents, fewer than the 5 ")
    assert str(refused.value).count("These filters") == 1


def test_too_few_respondents_is_refused(tmp_path, q):
    con = db.connect(tmp_path / "empty.duckdb")
    services.register_questionnaire(con, q)
    a = services.create_assessment(con, "empty", q)
    with pytest.raises(content.ReportError, match="at least 5 respondents"):
        content.gather(con, a, q)


def test_workshop_rounds_name_items_for_people(tmp_path, q):
    from pmostep.workshop import live
    from tests.conftest import room_workshop

    con, w, title = room_workshop(tmp_path / "room.duckdb", q, 2)
    (rating,) = (x["id"] for x in live.room(con, w.id)["activities"])
    services.open_round(con, rating)
    for n, (current, desired) in enumerate([(2, 4), (3, 5)]):
        token = services.join(con, w.code)
        services.answer(con, w.code, token, rating, {"current": current, "desired": desired}, f"r{n}")
    services.lock_round(con, rating)
    table = content.workshop_rounds(live.activity_results(con, w.id))
    con.close()
    assert list(table.columns) == list(content.WORKSHOP_COLUMNS.values())
    assert set(table["Activity"]) == {title} and set(table["Item"]) == {q.dimensions[0].name}
    mean = table[(table["Measure"] == "current_mean") & (table["Group"] == "All participants")]["Value"]
    assert mean.tolist() == [2.5]


def test_before_any_entry_is_accepted_the_sponsor_decides_on_the_top_recommendations(undecided_content):
    """No wave holds an entry: nothing to approve, no FTE to staff, no wave 1 with empty brackets."""
    c = undecided_content
    assert not content.placed(c) and all(not w.items for w in c.plan.roadmap.waves)
    assert content.no_roadmap(c) == ("No entry has been accepted yet, so the roadmap has no waves: it "
                                     "follows the decisions on the recommendations (the Recommendations "
                                     "page).")
    asks = content.sponsor_decisions(c)
    top = [r.name for r in content.top_recommendations(c)[:3]]
    assert asks[0] == content.decide_first(c) == (
        f"Decide on the top recommendations: {', '.join(top)} (accept or reject each); the waves follow "
        "from what is accepted.")
    assert not [a for a in asks if "wave 1" in a.lower() or "FTE" in a or "still open" in a]


def test_the_sponsor_approves_the_first_wave_that_holds_entries(pinned_file):
    """Every accepted entry pinned to wave 2: the ask is to approve wave 2, from its own start."""
    c = gathered(pinned_file, "small", today=date(2026, 12, 2))
    second = c.plan.roadmap.waves[1]
    assert not c.plan.roadmap.waves[0].items and second.items
    names = ", ".join(c.plan.names[i] for i in second.items)
    assert content.sponsor_decisions(c)[0] == f"Approve wave 2 ({names}), starting 8 March 2027."
