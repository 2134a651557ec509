"""Recognising which platform wrote an export, from its header signature, and reading its headers.

Every platform ends up as the same shape: one header text per column, split where the platform
allows into a question title and an item (the row of a grid), plus the columns that carry a respondent
id, timestamps, and completion or preview markers. See shared/domain/survey-exports.md for the layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa

from pmostep.core import safe_cells
from pmostep.initiation.imports.files import RawTable

MICROSOFT_FORMS = "microsoft_forms"
GOOGLE_FORMS = "google_forms"
SURVEYMONKEY = "surveymonkey"
QUALTRICS = "qualtrics"
LIMESURVEY = "limesurvey"
TEMPLATE = "pmostep_template"
GENERIC = "generic"

PLATFORM_NAMES = {
    MICROSOFT_FORMS: "Microsoft Forms",
    GOOGLE_FORMS: "Google Forms",
    SURVEYMONKEY: "SurveyMonkey",
    QUALTRICS: "Qualtrics",
    LIMESURVEY: "LimeSurvey",
    TEMPLATE: "PMOStep Excel template",
    GENERIC: "Unrecognised layout (one header row)",
}

TEMPLATE_ID_HEADER = "Respondent"
TEMPLATE_SHEET = "Responses"

# The ImportId header row: JSON ({"ImportId":"QID1"}), Python's dict quoting from the 2016 'Insights'
# exporter ({'ImportId': 'QID1'}), or quotes doubled by a second CSV round trip; matched on the key.
IMPORT_ID = re.compile(r"""^\{\s*["']*ImportId["']*\s*:""")
BRACKETED = re.compile(r"^(?P<title>.*?)\s*\[(?P<item>[^\[\]]*)\]$", re.S)
# "Code and text" headings: the code (with [subquestion] parts, or none), LimeSurvey's '. ', the text.
LIME_CODE_TEXT = re.compile(r"^(?P<code>[A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_]+\])*)\. (?P<text>.*)$", re.S)
LIME_CODE = re.compile(r"^(?P<title>[A-Za-z][A-Za-z0-9]*)[\[_](?P<item>[A-Za-z0-9]+)\]?$")


@dataclass
class Column:
    index: int
    header: str            # the full header as shown to the user
    title: str | None      # question title for grids / matrices (None for plain questions)
    item: str | None       # the grid row (statement) text, or None
    key: str | None = None  # a platform code (Qualtrics Q5_1, LimeSurvey CUR[SQ001])


@dataclass
class Export:
    platform: str
    header_rows: int
    columns: list[Column]
    data: pa.Table                                          # data rows only, columns "0".."n-1"
    roles: dict[str, int] = field(default_factory=dict)    # respondent_id, started, completed, status ...
    signs: list[str] = field(default_factory=list)         # what in the file named the platform, in words

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES[self.platform]

    def file_row(self, data_row: int) -> int:
        """The 1-based row number a spreadsheet shows for a data row (header rows counted)."""
        return self.header_rows + data_row + 1


def _lower(cells: list[str]) -> list[str]:
    return [c.casefold() for c in cells]


def _strip_bom(text: str) -> str:
    return text.lstrip("\ufeff")


def detect(table: RawTable) -> Export:
    """Recognise the platform and build the Export; GENERIC when no signature matches."""
    rows = table.rows
    if rows.num_rows == 0:
        return Export(GENERIC, 0, [], rows)
    head = table.head(3) + [[], []]
    first = [_strip_bom(c) for c in head[0]]
    low = _lower(first)
    if low and low[0].startswith("id. "):        # LimeSurvey's "code and text": 'id. Response ID'
        low = _lime_plain(low)
    second, third = head[1], head[2]

    if table.sheet == TEMPLATE_SHEET and low[:1] == [TEMPLATE_ID_HEADER.casefold()]:
        # PMOStep wrote this sheet: take off the quotes it put before text a spreadsheet would run.
        return _one_row(TEMPLATE, [safe_cells.restore(h) for h in first], safe_cells.restore_table(rows),
                        {"respondent_id": 0},
                        [f"a '{TEMPLATE_SHEET}' sheet starting with a '{TEMPLATE_ID_HEADER}' column"])
    qualtrics_signs = _qualtrics_signs(low, second, third)
    if qualtrics_signs:
        return _qualtrics(first, second, third, rows, qualtrics_signs)
    if low[:1] == ["id"] and {"start time", "completion time"} <= set(low):
        return _microsoft_forms(first, rows)
    if low[:1] == ["timestamp"]:
        return _one_row(GOOGLE_FORMS, first, rows, {"completed": 0}, ["a first column named Timestamp"])
    monkey_signs = _surveymonkey_signs(low, second)
    if len(monkey_signs) >= 2:          # one alone is too common (a Respondent ID, a Start Date)
        return _surveymonkey(first, second, rows, monkey_signs)
    if low[:4] == ["id", "submitdate", "lastpage", "startlanguage"] or (
        low[:1] == ["response id"] and "date submitted" in low
    ):
        return _limesurvey(first, rows)
    return _one_row(GENERIC, first, rows, {})


def _role_index(low: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in low:
            return low.index(name)
    return None


def _roles(low: list[str], spec: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found = {}
    for role, names in spec.items():
        idx = _role_index(low, names)
        if idx is not None:
            found[role] = idx
    return found


def _split_bracketed(header: str) -> tuple[str | None, str | None]:
    match = BRACKETED.match(header)
    if match and match.group("item").strip():
        return match.group("title").strip() or None, match.group("item").strip()
    return None, None


def _one_row(platform: str, headers: list[str], rows: pa.Table, roles: dict[str, int],
             signs: list[str] | None = None) -> Export:
    columns = []
    for i, h in enumerate(headers):
        title, item = _split_bracketed(h)
        columns.append(Column(i, h, title, item))
    return Export(platform, 1, columns, _data(rows, 1), roles, signs or [])


def _data(rows: pa.Table, header_rows: int) -> pa.Table:
    return rows.slice(header_rows)


def _microsoft_forms(headers: list[str], rows: pa.Table) -> Export:
    low = _lower(headers)
    roles = _roles(low, {"respondent_id": ("id",), "started": ("start time",),
                         "completed": ("completion time",)})
    columns = [Column(i, h, None, None) for i, h in enumerate(headers)]
    return Export(MICROSOFT_FORMS, 1, columns, _data(rows, 1), roles,
                  ["a first column ID, with Start time and Completion time columns"])


def _lime_plain(low: list[str]) -> list[str]:
    """'submitdate. date submitted' -> 'date submitted' (the text part of code-and-text headings)."""
    return [re.sub(r"^[a-z0-9]+\. ", "", c) for c in low]


def _limesurvey(headers: list[str], rows: pa.Table) -> Export:
    low = _lime_plain(_lower(headers))
    roles = _roles(low, {"respondent_id": ("id", "response id"),
                         "completed": ("submitdate", "date submitted"),
                         "started": ("startdate", "date started")})
    columns = []
    for i, h in enumerate(headers):
        code_text = LIME_CODE_TEXT.match(h)
        if code_text:       # 'Q1[SQ001]. Question text [Row]', 'SCREEN1. Question text', 'id. Response ID'
            title, item = _split_bracketed(code_text.group("text"))
            columns.append(Column(i, h, title, item, key=code_text.group("code")))
            continue
        code = LIME_CODE.match(h)
        if code and " " not in h:
            columns.append(Column(i, h, code.group("title"), code.group("item"), key=h))
            continue
        title, item = _split_bracketed(h)
        columns.append(Column(i, h, title, item))
    sign = ("first columns id, submitdate, lastpage, startlanguage" if low[:1] == ["id"]
            else "first column Response ID, with a Date submitted column")
    return Export(LIMESURVEY, 1, columns, _data(rows, 1), roles, [sign])


SM_RESPONDENT_ID = ("respondent id", "respondentid")
SM_COLLECTOR_ID = ("collector id", "collectorid")
SM_STARTED, SM_ENDED = ("start date", "startdate"), ("end date", "enddate")
SM_SUB_ITEMS = ("response", "open-ended response", "other (please specify)")
SM_META = (*SM_RESPONDENT_ID, *SM_COLLECTOR_ID, *SM_STARTED, *SM_ENDED, "ip address", "email address",
           "first name", "firstname", "last name", "lastname", "custom data", "custom data 1")


def _is_sub_item_row(low: list[str], second: list[str]) -> bool:
    """Whether SurveyMonkey's second row holds sub-items, not a first respondent.

    Older CSVs have one header row. The sub-item row is empty under the id and date columns, which a
    respondent's row always fills; without those columns, a sub-item label ('Response') tells.
    """
    cells = _lower(second)
    if not any(cells):
        return False
    filled_by_everyone = [i for i, c in enumerate(low)
                          if c in (*SM_RESPONDENT_ID, *SM_COLLECTOR_ID, *SM_STARTED, *SM_ENDED)]
    if filled_by_everyone:
        return all(not cells[i] for i in filled_by_everyone if i < len(cells))
    return any(c in SM_SUB_ITEMS for c in cells)


def _surveymonkey_signs(low: list[str], second: list[str]) -> list[str]:
    """The SurveyMonkey signs seen: users delete columns (Collector ID often), so no one is required."""
    names = set(low)
    signs = []
    if set(SM_RESPONDENT_ID) & set(low[:2]):
        signs.append("a Respondent ID column")
    if set(SM_COLLECTOR_ID) & names:
        signs.append("a Collector ID column")
    if set(SM_STARTED) & names and set(SM_ENDED) & names:
        signs.append("Start Date and End Date columns")
    if _is_sub_item_row(low, second):
        signs.append("a second header row of sub-items (Response, Open-Ended Response ...)")
    return signs


def _surveymonkey(first: list[str], second: list[str], rows: pa.Table, signs: list[str]) -> Export:
    low = _lower(first)
    roles = _roles(low, {"respondent_id": SM_RESPONDENT_ID, "started": SM_STARTED, "completed": SM_ENDED})
    if not _is_sub_item_row(low, second):
        columns = [Column(i, h, None, None) for i, h in enumerate(first)]
        return Export(SURVEYMONKEY, 1, columns, _data(rows, 1), roles, signs)
    columns = []
    title = ""
    meta = set(roles.values()) | {i for i, c in enumerate(low) if c in SM_META}
    for i, top in enumerate(first):
        sub = second[i] if i < len(second) else ""
        if top:
            title = top
        if i in meta:
            columns.append(Column(i, top, None, None))
        elif sub.casefold() in ("response", "open-ended response", ""):
            columns.append(Column(i, title, None, None))
        else:
            columns.append(Column(i, f"{title} [{sub}]" if title else sub, title or None, sub))
    return Export(SURVEYMONKEY, 2, columns, _data(rows, 2), roles, signs)


def _qualtrics_signs(low: list[str], second: list[str], third: list[str]) -> list[str]:
    signs = []
    if any(IMPORT_ID.match(c) for c in second + third):
        signs.append("a header row of ImportIds")
    if {"startdate", "responseid"} <= set(low):
        signs.append("StartDate and ResponseId columns")
    if low[:3] == ["v1", "v2", "v3"]:
        signs.append("the legacy exporter's V1, V2, V3 ... codes")
    return signs


def _qualtrics(first: list[str], second: list[str], third: list[str], rows: pa.Table,
               signs: list[str]) -> Export:
    legacy = _lower(first)[:3] == ["v1", "v2", "v3"]   # codes, then labels such as ResponseID, StartDate
    keys, labels = first, second
    header_rows = 3 if any(IMPORT_ID.match(c) for c in third) else 2
    names = _lower(labels if legacy else keys)
    roles = _roles(names, {"respondent_id": ("responseid", "response id"),
                           "started": ("startdate",), "completed": ("enddate",),
                           "status": ("status",), "finished": ("finished",)})
    columns = []
    for i, key in enumerate(keys):
        label = labels[i] if i < len(labels) and labels[i] else key
        columns.append(Column(i, label, None, None, key=key))
    return Export(QUALTRICS, header_rows, columns, _data(rows, header_rows), roles, signs)
