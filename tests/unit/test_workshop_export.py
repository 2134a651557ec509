"""Every round's results as one long table (pmostep/workshop/export.py): one row per activity, round,
group, item and measure; a round below the minimum gives its count only; texts stay safe in a CSV."""

from __future__ import annotations

import pandas as pd

from pmostep.core import safe_cells
from pmostep.workshop import activities as act
from pmostep.workshop import export
from pmostep.workshop.activities import Activity, ActivityDraft


def _round(kind: str, items: tuple[str, ...], answers: list[dict], groups: list, approved=None, m: int = 2):
    draft = ActivityDraft(kind, kind, items, "entry" if items else None)
    a = Activity(7, 1, 0, draft, 1, "locked", True, None, {i: i.upper() for i in items})
    frame = pd.DataFrame({"token": range(len(answers)), "grp": groups, "answer": answers,
                          "answer_id": range(len(answers)), "approved": approved or [None] * len(answers)},
                         dtype=object)
    result = act.results(a, 1, frame, m).to_dict()
    return {"id": 7, "kind": kind, "title": f"A {kind}", "rounds": [result],
            "items": [{"id": i, "label": i.upper()} for i in items]}


def test_a_dots_round_gives_a_row_per_group_item_and_measure():
    dots = [{"dots": {"x": 1, "y": 0}}, {"dots": {"x": 0, "y": 2}}] * 2
    table = export.long_table([_round("dots", ("x", "y"), dots, ["PM", "PM", "Exec", "Exec"])])
    assert list(table.columns) == export.COLUMNS
    room_x = table[(table["group"] == export.ROOM) & (table["item"] == "x")]
    assert dict(zip(room_x["measure"], room_x["value"], strict=True)) == {"dots": 2, "share": 0.3333,
                                                                          "voters": 2}
    assert set(table["group"]) == {export.ROOM, "PM", "Exec"} and set(table["item_name"]) == {"X", "Y"}
    assert set(table["n"]) == {4} and set(table["round"]) == {1}


def test_a_round_below_the_minimum_gives_its_count_only():
    table = export.long_table([_round("dots", ("x", "y"), [{"dots": {"x": 1, "y": 0}}], [None], m=3)])
    assert table[["group", "measure", "value"]].values.tolist() == [[export.ROOM, "answered", 1]]


def test_texts_are_listed_with_their_words_and_written_safely():
    texts = [{"text": "=HYPERLINK(\"x\")"}, {"text": "Budget late"}]
    table = export.long_table([_round("text", (), texts, [None, None], approved=[True, True])])
    shown = table[table["measure"] == "approved_text"]["value"].tolist()
    assert shown == ["=HYPERLINK(\"x\")", "Budget late"]
    assert "word_count" in set(table["measure"]) and "'=HYPERLINK" in safe_cells.csv_text(table)
