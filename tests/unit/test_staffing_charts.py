"""The staffing plan's figure and tables (pmostep/reports/staffing_charts.py), from the hand roadmap of
tests/unit/test_staffing.py: FTE stacked by role with the short segment outlined, the staff line, and the
tables with names (never ids)."""

from __future__ import annotations

from datetime import date

from pmostep.deployment import staffing
from pmostep.deployment.roadmap import Roadmap, Settings
from pmostep.reports import staffing_charts as sc
from tests.unit.test_staffing import ROADMAP, STAFF, START


def plan():
    return staffing.build(ROADMAP, STAFF, START)


def test_the_chart_stacks_fte_by_role_and_outlines_the_short_wave():
    fig = sc.fte_chart(plan())
    assert fig.layout.title.text == "FTE the roadmap needs per wave by role, against the PMO's staff"
    assert fig.layout.xaxis.title.text == "Wave"
    assert fig.layout.yaxis.title.text == "Full-time equivalents (FTE)"
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert list(bars) == ["PMO analyst", "PMO lead", "Trainer", "Methodologist"]     # Coach: not needed
    trainer = bars["Trainer"]
    assert list(trainer.y) == [0.4, 1.5, 0.0]
    assert list(trainer.marker.line.color) == ["white", sc.SHORT_COLOUR, "white"]
    assert list(trainer.text) == ["Trainer 0.4", "Trainer 1.5 (has 0.5)", ""]
    assert list(bars["PMO lead"].marker.line.color) == ["white"] * 3          # 1.0 needed of 1.0: not short
    [total] = [t for t in fig.data if t.type == "scatter"]
    assert list(total.text) == ["1.2 FTE", "2 FTE", "1 FTE"]
    assert fig.layout.annotations[0].text == "Staff entered for these roles: 1.5 FTE"   # lead 1 + trainer 0.5


def test_nothing_needed_draws_nothing():
    empty = Roadmap(Settings(waves=2), [], [], [])
    assert sc.fte_chart(staffing.build(empty, STAFF, START)) is None


def test_the_tables_name_roles_and_leave_staff_not_entered_blank():
    fte = sc.fte_table(plan())
    assert list(fte.columns) == ["Role", "Staff now (FTE)", "Wave 1", "Wave 2", "Wave 3"]
    assert fte["Role"].tolist() == ["PMO analyst", "PMO lead", "Trainer", "Methodologist", "Coach"]
    assert fte["Staff now (FTE)"].isna().tolist() == [True, False, False, True, False]
    moments = sc.moments_table(plan())
    assert moments.values.tolist()[3][:4] == ["Methodologist", "Wave 2", date(2026, 12, 7), 0.2]
    assert "Coach" not in moments["Role"].tolist()
