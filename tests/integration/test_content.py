"""reports/content.py: what every deliverable shows, cut by the same anonymity rules as the pages."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from pmostep import services
from pmostep.planning import comments
from pmostep.reports import content, tables
from pmostep.store import db
from tests.conftest import FORMULA_REMARK, SMALL_GROUP, SMALL_GROUP_REMARK


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


def test_response_rates_withhold_the_counts_of_small_groups(small):
    *_, c = small
    rates = {r["group"]: r for r in c.response_rates}
    assert rates["Project manager"]["responded"] == 7
    assert rates["Project manager"]["rate"] == pytest.approx(7 / 8)
    assert rates[SMALL_GROUP]["responded"] is None and rates[SMALL_GROUP]["rate"] is None
    assert content.response_rate(c) == pytest.approx(18 / 20)


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
