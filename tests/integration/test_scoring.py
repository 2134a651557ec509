"""Scoring against figures worked out by hand on a six-respondent fixture (tests/conftest.py).

Methodology, current state (NA = don't know, None = blank):
  r1 1 2 3 NA -> 2.0     r2 2 2 2 2 -> 2.0     r3 3 4 _ NA -> 3.5
  r4 NA NA NA NA -> none (counts in n_na)      r5 4 4 5 5 -> 4.5     r6 1 1 2 2 -> 1.5
  n = 5, mean 13.5 / 5 = 2.7, median 2.0, sd sqrt(6.3 / 4), IQR 3.5 - 2.0 = 1.5
Desired: r1 4, r2 3, r3 5, r4 4, r5 5, r6 2.5 -> n = 6, mean 23.5 / 6
Importance: 5, 4, 3 -> 4.0. Alpha over r2, r5, r6 (the only complete current rows): 0.98925.
"""

import json
import math

import pandas as pd
import pytest

from pmostep.foundation import assessments
from pmostep.planning import scoring
from pmostep.store import responses
from tests.conftest import METH, batch_from_rows, rating_rows

T_975_4 = 2.7764451051977987   # Student t, 97.5 %, 4 degrees of freedom (tables)
T_975_5 = 2.5705818366147395


def dim(report, dimension_id="methodology", group=0):
    frame = report.groups[group].dimensions
    return frame[frame["id"] == dimension_id].iloc[0]


def stmt(report, statement_id, group=0):
    frame = report.groups[group].statements
    return frame[frame["id"] == statement_id].iloc[0]


def test_dimension_figures_match_hand_computation(con, q, hand_assessment):
    a = hand_assessment(min_group_size=1)          # every rating counts: the formulas alone
    report = scoring.score(con, a, q)
    d = dim(report)
    assert report.respondents == 6              # r7 is in progress and not scored
    assert d["n"] == 5 and d["n_na"] == 1
    assert d["current"] == pytest.approx(2.7)
    assert d["current_median"] == pytest.approx(2.0)
    sd = math.sqrt(6.3 / 4)
    assert d["current_sd"] == pytest.approx(sd)
    assert d["current_iqr"] == pytest.approx(1.5)
    half = T_975_4 * sd / math.sqrt(5)
    assert d["current_ci_low"] == pytest.approx(2.7 - half)
    assert d["current_ci_high"] == pytest.approx(2.7 + half)
    assert d["n_desired"] == 6
    assert d["desired"] == pytest.approx(23.5 / 6)
    assert d["gap"] == pytest.approx(23.5 / 6 - 2.7)
    assert d["importance"] == pytest.approx(4.0)
    assert d["priority"] == pytest.approx((23.5 / 6 - 2.7) * 4.0)
    assert d["priority_rank"] == 1
    assert d["level"] == 2 and d["level_name"] == "Repeatable"
    assert d["desired_level"] == 3 and d["desired_level_name"] == "Defined"
    assert bool(d["disagreement"]) is True        # IQR 1.5 >= 1.0
    assert d["alpha"] == pytest.approx(4 / 3 * (1 - (7 / 3 + 7 / 3 + 3 + 3) / (124 / 3)))
    assert d["alpha"] == pytest.approx(0.98925, abs=1e-5)
    assert d["n_alpha"] == 3
    assert d["desired_ci_low"] == pytest.approx(23.5 / 6 - T_975_5 * d["desired_sd"] / math.sqrt(6))
    assert not d["suppressed"]


def test_gap_interval_adds_standard_errors(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=1), q)
    d = dim(report)
    desired = [4, 3, 5, 4, 5, 2.5]
    mean_d = sum(desired) / 6
    var_d = sum((x - mean_d) ** 2 for x in desired) / 5
    se = math.sqrt(6.3 / 4 / 5 + var_d / 6)
    assert d["gap_ci_low"] == pytest.approx(d["gap"] - T_975_4 * se)
    assert d["gap_ci_high"] == pytest.approx(d["gap"] + T_975_4 * se)


def test_statement_figures_exclude_na_and_blanks(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=1), q)
    s1 = stmt(report, "meth_1")                    # 1 2 3 NA 4 1
    assert (s1["n"], s1["n_na"]) == (5, 1)
    assert s1["current"] == pytest.approx(2.2)
    assert s1["current_median"] == pytest.approx(2.0)
    s3 = stmt(report, "meth_3")                    # 3 2 _ NA 5 2
    assert (s3["n"], s3["n_na"]) == (4, 1)
    assert s3["current"] == pytest.approx(3.0)
    assert s3["current_iqr"] == pytest.approx(3.5 - 2.0)   # quartiles of 2 2 3 5 are 2.0 and 3.5
    assert bool(s3["disagreement"]) is True
    s4 = stmt(report, "meth_4")                    # NA 2 NA NA 5 2 -> 3 rated, 3 N/A
    assert (s4["n"], s4["n_na"]) == (3, 3)
    desired_2 = stmt(report, "meth_2")             # 4 NA 5 _ 5 3
    assert (desired_2["n_desired"], desired_2["n_desired_na"]) == (4, 1)
    assert desired_2["desired"] == pytest.approx(17 / 4)
    assert desired_2["desired_iqr"] == pytest.approx(5 - 3.75)      # quartiles of 3 4 5 5: 3.75 and 5
    assert s1["gap"] == pytest.approx(23 / 6 - 2.2)                 # desired 4 3 5 4 5 2 -> 23/6


def test_figures_from_fewer_ratings_than_the_minimum_are_blanked(con, q, hand_assessment):
    """Minimum 5: the six form one block. meth_3 (4 ratings) and meth_4 (3) are held back, so each
    respondent's methodology score uses meth_1 and meth_2 only: 1.5, 2, 3.5, -, 4, 1 -> 12 / 5."""
    report = scoring.score(con, hand_assessment(min_group_size=5), q)
    d = dim(report)
    assert d["n"] == 5 and d["current"] == pytest.approx(2.4)       # 5 scores: shown
    assert math.isnan(d["importance"])                              # 3 importance ratings: hidden
    assert d["priority"] == pytest.approx((d["desired"] - 2.4) * scoring.NEUTRAL_IMPORTANCE)
    s3 = stmt(report, "meth_3")                                     # 4 ratings: held back, not used
    assert (s3["n"], s3["n_held"], s3["n_na"]) == (0, 4, 1) and s3["suppressed"]
    assert all(math.isnan(s3[c]) for c in scoring.CURRENT_FIGURES if c != "alpha")
    assert (stmt(report, "meth_4")["n"], stmt(report, "meth_4")["n_held"]) == (0, 3)
    doc = report.to_dict()
    shown = next(x for x in doc["statements"] if x["id"] == "meth_3")
    assert shown["current"] is None and shown["current_median"] is None and shown["n_held"] == 4


def test_unrated_dimensions_are_listed_with_no_figures(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=1), q)
    dims = report.groups[0].dimensions
    assert list(dims["id"]) == [d.id for d in q.dimensions]
    governance = dim(report, "governance")
    assert governance["n"] == 0 and math.isnan(governance["current"])
    assert pd.isna(governance["priority_rank"])
    assert report.groups[0].overall["current"] == pytest.approx(2.7)   # mean over scored dimensions
    assert report.groups[0].overall["dimensions_scored"] == 1
    assert report.groups[0].overall["percent"] == pytest.approx((2.7 - 1) / 4 * 100, abs=0.05)


def test_alpha_is_empty_below_three_complete_respondents(con, q):
    a = assessments.create(con, "small", q, min_group_size=1)
    answers = (rating_rows("a", METH, [1, 2, 3, 4], [5, 5, 5, 5])      # current 2.5
               + rating_rows("b", METH, [3, 3, 4, 4], [4, 4, 4, 4]))   # current 3.5
    responses.add(con, a, q, batch_from_rows({"a": True, "b": True}, answers))
    d = dim(scoring.score(con, a, q))
    assert d["n_alpha"] == 2 and math.isnan(d["alpha"])
    half = 12.706204736174698 * math.sqrt(0.5) / math.sqrt(2)     # t(0.975, 1 df) x sd / sqrt(n)
    assert d["current_ci_low"] == pytest.approx(3.0 - half)


def test_whole_assessment_below_minimum_is_suppressed(con, q, hand_assessment):
    a = hand_assessment(min_group_size=7)
    report = scoring.score(con, a, q)
    assert report.whole is None and report.groups == []
    doc = report.to_dict()
    assert doc["suppressed"] is True and doc["dimensions"] == [] and doc["overall"] is None
    assert "2.7" not in json.dumps(doc)


def test_breakdown_by_group_suppresses_small_groups(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=5), q, by="group")
    assert report.groups == []
    assert report.suppressed == ["Executive or sponsor", "Project manager"]
    doc = report.to_dict()
    assert doc["groups"] == []
    assert {s["group"] for s in doc["suppressed"]} == {"Executive or sponsor", "Project manager"}
    assert all(set(s) == {"group", "reason"} for s in doc["suppressed"])


def test_breakdown_by_group_figures(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=2), q, by="group")
    names = [g.group for g in report.groups]
    assert names == ["Executive or sponsor", "Project manager"]    # questionnaire option order
    pm = dim(report, group=names.index("Project manager"))
    assert pm["n"] == 3 and pm["current"] == pytest.approx((2.0 + 2.0 + 3.5) / 3)
    ex = dim(report, group=names.index("Executive or sponsor"))
    assert (ex["n"], ex["n_na"]) == (2, 1)                         # r4 answered only N/A
    assert ex["current"] == pytest.approx((4.5 + 1.5) / 2)
    assert math.isnan(ex["importance"])                            # nobody in the group rated it
    assert ex["priority"] == pytest.approx(((4 + 5 + 2.5) / 3 - 3.0) * 3.0)
    assert report.groups[names.index("Project manager")].respondents == 3


def test_group_with_too_few_ratings_in_a_dimension_shows_counts_only(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=3), q, by="group")
    ex = dim(report, group=0)
    assert report.groups[0].group == "Executive or sponsor" and report.groups[0].respondents == 3
    # r5 and r6 alone rated: 2 ratings of each statement in the executives' block, held back.
    assert ex["n"] == 0 and math.isnan(ex["current"]) and ex["suppressed"]
    assert stmt(report, "meth_1", group=0)["n_held"] == 2
    assert report.groups[0].overall["current"] is None


def test_hidden_groups_cannot_be_recovered_by_subtraction(con, q):
    """6 project managers and 1 executive: the executive's answers are in no figure, so the managers'
    figures and the whole assessment's cannot be subtracted to reveal them."""
    a = assessments.create(con, "subtract", q, min_group_size=5)
    keys = {f"pm{i}": True for i in range(6)} | {"exec": True}
    answers = [row for k in keys for row in rating_rows(k, METH, [5, 5, 5, 5] if k == "exec" else
                                                            [2, 2, 2, 2], [5, 5, 5, 5])]
    profile = [(k, "group", "Executive or sponsor" if k == "exec" else "Project manager") for k in keys]
    responses.add(con, a, q, batch_from_rows(keys, answers, profile=profile))
    report = scoring.score(con, a, q, by="group")
    assert [(g.group, g.respondents) for g in report.groups] == [("Project manager", 6)]
    assert report.suppressed == [] and report.pending == 1      # the executive waits for more executives
    whole = scoring.score(con, a, q)
    assert whole.respondents == 6 and dim(whole)["current"] == 2.0     # not (6 x 2 + 5) / 7


def test_disagreement_threshold_is_inclusive_despite_rounding(con, q):
    a = assessments.create(con, "iqr", q, min_group_size=1)
    # Respondent means 5/3 and 8/3: an IQR of 1.0 that floating point makes 0.9999999999999998.
    rows = {"a": [1, 2, 2, None], "b": [1, 2, 2, None], "c": [2, 3, 3, None], "d": [2, 3, 3, None]}
    answers = [row for k, cur in rows.items() for row in rating_rows(k, METH, cur, [4, 4, 4, 4])]
    responses.add(con, a, q, batch_from_rows(dict.fromkeys(rows, True), answers))
    d = dim(scoring.score(con, a, q))
    assert d["current_iqr"] == pytest.approx(1.0)
    assert bool(d["disagreement"]) is True


def test_all_na_group_is_scored_as_nothing(con, q):
    a = assessments.create(con, "allna", q)
    keys = {f"x{i}": True for i in range(5)}
    answers = [row for k in keys for row in rating_rows(k, METH, ["NA"] * 4, ["NA"] * 4)]
    responses.add(con, a, q, batch_from_rows(keys, answers))
    report = scoring.score(con, a, q)
    assert report.whole is not None and report.whole.overall["current"] is None
    assert dim(report)["n_na"] == 5


def test_breakdown_by_unanswered_field_is_not_stated(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=1), q, by="business_unit")
    assert [g.group for g in report.groups] == [scoring.NOT_STATED]
    assert dim(report)["current"] == pytest.approx(2.7)


def test_unknown_breakdown_field_is_refused(con, q, hand_assessment):
    with pytest.raises(scoring.ScoringError, match="profile fields are group"):
        scoring.score(con, hand_assessment(), q, by="salary")


def test_json_shape(con, q, hand_assessment):
    doc = scoring.score(con, hand_assessment(), q).to_dict()
    assert doc["assessment"] == "hand" and doc["respondents"] == 6
    first = doc["dimensions"][0]
    for key in ("id", "name", "n", "current", "desired", "gap", "n_na", "current_median", "current_sd",
                "current_iqr", "current_ci_low", "current_ci_high", "priority", "level_name", "alpha",
                "disagreement"):
        assert key in first
    assert first["id"] == "methodology" and first["name"] == "Methodology and standards"
    assert doc["dimensions"][1]["current"] is None
    json.dumps(doc)   # serialisable: no NaN, no numpy types


def test_t_quantiles_match_tables():
    import pandas as pd
    t = scoring._t(pd.Series([5, 6, 1]))
    assert t[0] == pytest.approx(T_975_4)
    assert t[1] == pytest.approx(T_975_5)
    assert math.isnan(t[2])


def test_distribution_counts_answers_and_hides_thin_statements(con, q, hand_assessment):
    a = hand_assessment(min_group_size=4)
    dist = scoring.distribution(con, a, q, "methodology")
    meth_1 = dist[(dist["statement_id"] == "meth_1") & (dist["side"] == "current")]
    assert dict(zip(meth_1["answer"], meth_1["n"], strict=True)) == {"1": 2, "2": 1, "3": 1, "4": 1, "na": 1}
    assert "meth_4" not in set(dist.loc[dist["side"] == "current", "statement_id"])   # 3 ratings < 4
    small = scoring.distribution(con, hand_assessment(min_group_size=7, slug="few"), q, "methodology")
    assert small.empty


def test_filter_scores_only_the_chosen_respondents(con, q, hand_assessment):
    a = hand_assessment(min_group_size=2)
    report = scoring.score(con, a, q, filters={"group": ["Project manager"]})
    assert report.respondents == 3 and report.withheld is None
    assert dim(report)["current"] == pytest.approx((2.0 + 2.0 + 3.5) / 3)   # r1, r2, r3 only
    assert report.to_dict()["filters"] == {"group": ["Project manager"]}
    # Empty selections do not filter.
    assert scoring.score(con, a, q, filters={"group": [], "business_unit": []}).respondents == 6


def test_filter_on_an_unanswered_field_matches_not_stated(con, q, hand_assessment):
    a = hand_assessment(min_group_size=2)
    assert scoring.score(con, a, q, filters={"involvement": [scoring.NOT_STATED]}).respondents == 6
    report = scoring.score(con, a, q, filters={"involvement": ["More than 80%"]})
    assert report.respondents == 0 and report.whole is None
    with pytest.raises(scoring.ScoringError, match="cannot filter involvement by 'Daily': its options are"):
        scoring.score(con, a, q, filters={"involvement": ["Daily"]})


def test_filter_smaller_than_the_minimum_is_withheld(con, q, hand_assessment):
    report = scoring.score(con, hand_assessment(min_group_size=4), q, filters={"group": ["Project manager"]})
    assert report.whole is None and report.groups == []
    assert "leave 3 published respondents, fewer than the 4" in report.withheld
    assert report.to_dict()["reason"] == report.withheld


def test_filter_leaving_out_too_few_is_withheld(con, q):
    # Five respondents, minimum 2: the lone executive waits, so keeping the four managers is the whole.
    a = assessments.create(con, "five", q, name="Five", min_group_size=2)
    keys = ["p1", "p2", "p3", "p4", "x1"]
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 2, 2], [4, 4, 4, 4])]
    groups = [(k, "group", "Project manager" if k.startswith("p") else "Executive or sponsor") for k in keys]
    responses.add(con, a, q, batch_from_rows(dict.fromkeys(keys, True), answers, profile=groups))
    report = scoring.score(con, a, q, filters={"group": ["Project manager"]})
    assert report.whole.respondents == scoring.score(con, a, q).whole.respondents == 4
    assert report.pending == 1
    alone = scoring.score(con, a, q, filters={"group": ["Executive or sponsor"]})
    assert alone.whole is None and alone.withheld.startswith("These filters leave 0 published respondents")


def test_filter_on_unknown_field_is_refused(con, q, hand_assessment):
    with pytest.raises(scoring.ScoringError, match="cannot filter by 'shoe_size'"):
        scoring.score(con, hand_assessment(), q, filters={"shoe_size": ["42"]})


def test_distribution_respects_filters(con, q, hand_assessment):
    a = hand_assessment(min_group_size=2)
    dist = scoring.distribution(con, a, q, "methodology", {"group": ["Executive or sponsor"]})
    first = dist[(dist["statement_id"] == "meth_1") & (dist["side"] == "current")]
    assert dict(zip(first["answer"], first["n"], strict=True)) == {"1": 1, "4": 1, "na": 1}   # r6, r5, r4
    assert scoring.distribution(con, hand_assessment(min_group_size=4, slug="h4"), q, "methodology",
                                {"group": ["Executive or sponsor"]}).empty
