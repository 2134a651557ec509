"""Recognising which platform wrote an export, from its header signature, and reading its headers.

Every platform ends up as the same shape: one header text per column, split where the platform
allows into a question title and an item (the row of a grid), plus the columns that carry a respondent
id, timestamps, and completion or preview markers. See shared/domain/survey-exports.md for the layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa

from .files import RawTable

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

# The ImportId header row: JSON ({"ImportId":"QID1"}) or, from the 2016 'Insights' exporter, Python's
# dict quoting ({'ImportId': 'QID1'}); matched on the key alone, in any quoting and spacing.
IMPORT_ID = re.compile(r"""^\{\s*["']?ImportId["']?\s*:""")
BRACKETED = re.compile(r"^(?P<title>.*?)\s*\[(?P<item>[^\[\]]*)\]$", re.S)
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
        return _one_row(TEMPLATE, first, rows, {"respondent_id": 0})
    if (any(IMPORT_ID.match(c) for c in second + third)
            or ({"startdate", "responseid"} <= set(low))
            or low[:3] == ["v1", "v2", "v3"]):
        return _qualtrics(first, second, third, rows)
    if {"respondent id", "respondentid"} & set(low[:2]) and {"collector id", "collectorid"} & set(low):
        return _surveymonkey(first, second, rows)
    if low[:1] == ["id"] and {"start time", "completion time"} <= set(low):
        return _microsoft_forms(first, rows)
    if low[:1] == ["timestamp"]:
        return _google(first, rows)
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


def _one_row(platform: str, headers: list[str], rows: pa.Table, roles: dict[str, int]) -> Export:
    columns = []
    for i, h in enumerate(headers):
        title, item = _split_bracketed(h)
        columns.append(Column(i, h, title, item))
    return Export(platform, 1, columns, _data(rows, 1), roles)


def _data(rows: pa.Table, header_rows: int) -> pa.Table:
    return rows.slice(header_rows)


def _microsoft_forms(headers: list[str], rows: pa.Table) -> Export:
    low = _lower(headers)
    roles = _roles(low, {"respondent_id": ("id",), "started": ("start time",),
                         "completed": ("completion time",)})
    columns = [Column(i, h, None, None) for i, h in enumerate(headers)]
    return Export(MICROSOFT_FORMS, 1, columns, _data(rows, 1), roles)


def _google(headers: list[str], rows: pa.Table) -> Export:
    export = _one_row(GOOGLE_FORMS, headers, rows, {"completed": 0})
    return export


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
        code_text = re.match(r"^(?P<code>[A-Za-z][A-Za-z0-9]*\[[A-Za-z0-9]+\])\. (?P<text>.*)$", h, re.S)
        if code_text:       # 'Q1[SQ001]. Question text [Row]'
            title, item = _split_bracketed(code_text.group("text"))
            columns.append(Column(i, h, title, item, key=code_text.group("code")))
            continue
        code = LIME_CODE.match(h)
        if code and " " not in h:
            columns.append(Column(i, h, code.group("title"), code.group("item"), key=h))
            continue
        title, item = _split_bracketed(h)
        columns.append(Column(i, h, title, item))
    return Export(LIMESURVEY, 1, columns, _data(rows, 1), roles)


def _surveymonkey(first: list[str], second: list[str], rows: pa.Table) -> Export:
    low = _lower(first)
    roles = _roles(low, {"respondent_id": ("respondent id", "respondentid"),
                         "started": ("start date", "startdate"), "completed": ("end date", "enddate")})
    columns = []
    title = ""
    meta = set(roles.values()) | {i for i, c in enumerate(low) if c in {
        "collector id", "collectorid", "ip address", "email address", "first name", "last name",
        "custom data 1"}}
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
    return Export(SURVEYMONKEY, 2, columns, _data(rows, 2), roles)


def _qualtrics(first: list[str], second: list[str], third: list[str], rows: pa.Table) -> Export:
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
    return Export(QUALTRICS, header_rows, columns, _data(rows, header_rows), roles)
