"""Survey-platform exports written from known answers, laid out as shared/domain/survey-exports.md says.

Each writer takes the same `Answers` (from the demo generator, so with N/A, blanks and comments) and
returns (file name, bytes) the way that platform writes them; the tests import those files and check
that the scores equal the scores of the known answers.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from openpyxl import Workbook

from pmostep import demo
from pmostep.core.questionnaire import Questionnaire
from pmostep.initiation import platform_guide
from pmostep.store.responses import ResponseBatch

NA_TEXT = "Don't know / not applicable"


@dataclass
class Answers:
    """Known answers in wide form: one dict per respondent, target -> raw value (int, 'NA' or None)."""

    q: Questionnaire
    batch: ResponseBatch
    rows: list[dict]

    @classmethod
    def from_demo(cls, q: Questionnaire, respondents: int = 30, seed: int = 11) -> Answers:
        batch = demo.generate(q, respondents, seed, source="fixture")
        # Comments that must survive as text: a formula, commas and quotes, an embedded newline.
        extra = pd.DataFrame({"key": [1, 2, 3], "question_id": ["first_action", "first_action", "pain_point"],
                              "text": ["=SUM(A1)", 'Say "no" more often, please', "Line one\nline two"]})
        batch.comments = pd.concat([batch.comments[~batch.comments["key"].isin([1, 2, 3])], extra],
                                   ignore_index=True)
        rows = []
        for key in batch.respondents["key"]:
            row: dict = {"key": int(key)}
            rows.append(row)
        by_key = {r["key"]: r for r in rows}
        for a in batch.answers.itertuples():
            r = by_key[a.key]
            r[f"{a.statement_id}.current"] = "NA" if a.current_na else (None if pd.isna(a.current)
                                                                       else int(a.current))
            r[f"{a.statement_id}.desired"] = "NA" if a.desired_na else (None if pd.isna(a.desired)
                                                                       else int(a.desired))
        for i in batch.importance.itertuples():
            by_key[i.key][f"importance.{i.dimension_id}"] = int(i.value)
        for p in batch.profile.itertuples():
            by_key[p.key][f"profile.{p.field}"] = p.value
        for c in batch.comments.itertuples():
            by_key[c.key][f"comment.{c.question_id}"] = c.text
        return cls(q, batch, rows)

    def started(self, i: int) -> datetime:
        return datetime(2026, 3, 14, 9, 0) + timedelta(minutes=37 * i)


def label(value, q: Questionnaire, style: str = "label") -> object:
    """A rating as a platform would write it: 'label' ('3 - Defined'), 'plain' ('Defined'), 'number'."""
    if value is None:
        return None
    if value == "NA":
        return NA_TEXT
    if style == "number":
        return value
    if style == "plain":
        return q.level_label(value)
    return f"{value} - {q.level_label(value)}"


def importance_label(value, q: Questionnaire) -> object:
    return None if value is None else f"{value} - {q.importance_scale[value - 1].label}"


def cells(row: dict, cols: list[str], q: Questionnaire, style: str = "label") -> list:
    """A respondent's cells for the given targets, ratings and importance written as labels."""
    out = []
    for c in cols:
        v = {"points": 3, "feedback": "Well done"}.get(c, row.get(c))
        if c.endswith((".current", ".desired")):
            v = label(v, q, style)
        elif c.startswith("importance."):
            v = importance_label(v, q)
        out.append(v)
    return out


def _dimension_blocks(q: Questionnaire):
    for d in q.dimensions:
        yield d, "current", platform_guide.CURRENT_TITLE
        yield d, "desired", platform_guide.DESIRED_TITLE


def _csv(rows: list[list], delimiter: str = ",", quoting=csv.QUOTE_MINIMAL, line_end: str = "\r\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=line_end)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _xlsx(rows: list[list], sheet: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"         # text that looks like a formula stays text
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Microsoft Forms: one header row, statement text only, the desired block suffixed with 2 -------------

def microsoft_forms(ans: Answers, style: str = "label", fmt: str = "xlsx", desired_first: bool = False,
                    quiz: bool = False) -> tuple[str, bytes]:
    """desired_first: the '...2' columns come before their statements (Forms can reorder columns);
    quiz: 'Points - <question>' and 'Feedback - <question>' after every rating column."""
    q = ans.q
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header += [p.text for p in q.profile]
    cols = [f"profile.{p.id}" for p in q.profile]
    for d, side, _ in _dimension_blocks(q):
        for s in d.statements:
            header.append(s.text if side == "current" else f"{s.text}2")
            cols.append(f"{s.id}.{side}")
    header += [d.name for d in q.dimensions]
    cols += [f"importance.{d.id}" for d in q.dimensions]
    header += [c.text for c in q.comments]
    cols += [f"comment.{c.id}" for c in q.comments]
    meta, header = header[:6], header[6:]
    if desired_first:
        order = sorted(range(len(cols)), key=lambda i: (not cols[i].endswith(".desired"), i))
        header, cols = [header[i] for i in order], [cols[i] for i in order]
    if quiz:
        quizzed_header, quizzed_cols = [], []
        for h, c in zip(header, cols, strict=True):
            quizzed_header.append(h)
            quizzed_cols.append(c)
            if c.endswith((".current", ".desired")):
                quizzed_header += [f"Points - {h}", f"Feedback - {h}"]
                quizzed_cols += ["points", "feedback"]
        header, cols = quizzed_header, quizzed_cols
    rows = [meta + header]
    for i, r in enumerate(ans.rows):
        start = ans.started(i)
        when = [start, start + timedelta(minutes=9)]
        if fmt == "csv":      # Excel's Save As CSV, US locale
            when = [f"{t.month}/{t.day}/{t:%y} {t.hour}:{t:%M:%S}" for t in when]
        rows.append([i + 1, *when, "anonymous", None, None, *cells(r, cols, q, style)])
    if fmt == "csv":
        return "platform_guide.csv", _csv(rows).encode("utf-8-sig")
    return "PMO discovery(1-30).xlsx", _xlsx(rows)


# --- Google Forms: Timestamp first, grids as 'Title [Row]' ----------------------------------------------

def google_forms(ans: Answers, fmt: str = "csv", timestamps: str = "sheets", style: str = "label",
                 encoding: str = "utf-8", delimiter: str = ",") -> tuple[str, bytes]:
    q = ans.q
    header = ["Timestamp", "Email Address"] + [p.text for p in q.profile]
    cols = [f"profile.{p.id}" for p in q.profile]
    for d, side, title in _dimension_blocks(q):
        header += [f"{title}: {d.name} [{s.text}]" for s in d.statements]
        cols += [f"{s.id}.{side}" for s in d.statements]
    header += [f"{platform_guide.IMPORTANCE_TITLE} [{d.name}]" for d in q.dimensions]
    cols += [f"importance.{d.id}" for d in q.dimensions]
    header += [c.text for c in q.comments]
    cols += [f"comment.{c.id}" for c in q.comments]
    rows = [header]
    for i, r in enumerate(ans.rows):
        t = ans.started(i)
        stamp = (f"{t.month}/{t.day}/{t.year} {t.hour}:{t:%M:%S}" if timestamps == "sheets"
                 else f"{t:%Y/%m/%d} {(t.hour - 1) % 12 + 1}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'} GMT+1")
        rows.append([stamp, f"person{i}@example.org", *cells(r, cols, q, style)])
    if fmt == "xlsx":
        return "Form Responses.xlsx", _xlsx(rows, "Form Responses 1")
    text = _csv(rows, delimiter=delimiter)
    return "PMO discovery.csv", text.encode(encoding)


# --- SurveyMonkey: two header rows, question text only above a question's first column ----------------

SM_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
           "First Name", "Last Name", "Custom Data 1"]


def surveymonkey(ans: Answers, fmt: str = "xlsx", style: str = "plain") -> tuple[str, bytes]:
    q = ans.q
    top, sub, cols = list(SM_META), [None] * len(SM_META), []
    for p in q.profile:
        top.append(p.text)
        sub.append("Response")
        cols.append(f"profile.{p.id}")
    for d, side, title in _dimension_blocks(q):
        for j, s in enumerate(d.statements):
            top.append(f"{title}: {d.name}" if j == 0 else None)
            sub.append(s.text)
            cols.append(f"{s.id}.{side}")
    for j, d in enumerate(q.dimensions):
        top.append(platform_guide.IMPORTANCE_TITLE if j == 0 else None)
        sub.append(d.name)
        cols.append(f"importance.{d.id}")
    for c in q.comments:
        top.append(c.text)
        sub.append("Open-Ended Response")
        cols.append(f"comment.{c.id}")
    rows = [top, sub]
    for i, r in enumerate(ans.rows):
        t = ans.started(i)
        row = [114212340000 + i, 431234567, f"{t:%m/%d/%Y %I:%M:%S %p}",
               f"{t + timedelta(minutes=8):%m/%d/%Y %I:%M:%S %p}", "203.0.113.7", None, None, None, None]
        for c in cols:
            v = r.get(c)
            if c.endswith((".current", ".desired")):
                v = label(v, q, style)
            elif c.startswith("importance."):
                v = v
            row.append(v)
        rows.append(row)
    if fmt == "csv":
        return "Sheet_1.csv", _csv(rows).encode("utf-8")
    return "Data_All_261127.xlsx", _xlsx(rows)


# --- Qualtrics: three header rows (codes, labels, ImportIds); -99; preview rows ---------------------------

Q_META = [("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
          ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
          ("Status", "Response Type", '{"ImportId":"status"}'),
          ("Progress", "Progress", '{"ImportId":"progress"}'),
          ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
          ("Finished", "Finished", '{"ImportId":"finished"}'),
          ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
          ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
          ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
          ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}')]


def qualtrics(ans: Answers, fmt: str = "csv", numeric: bool = False, extra_rows: bool = True,
              bom: bool = True) -> tuple[str, bytes]:
    q = ans.q
    keys = [m[0] for m in Q_META]
    labels = [m[1] for m in Q_META]
    ids = [m[2] for m in Q_META]
    cols = []
    qn = 1
    for p in q.profile:
        keys.append(f"Q{qn}")
        labels.append(p.text)
        ids.append(json.dumps({"ImportId": f"QID{qn}"}))
        cols.append(f"profile.{p.id}")
        qn += 1
    for d, side, title in _dimension_blocks(q):
        for j, s in enumerate(d.statements, start=1):
            keys.append(f"Q{qn}_{j}")
            labels.append(f"{title}: {d.name} - {s.text}")
            ids.append(json.dumps({"ImportId": f"QID{qn}_{j}"}))
            cols.append(f"{s.id}.{side}")
        qn += 1
    for j, d in enumerate(q.dimensions, start=1):
        keys.append(f"Q{qn}_{j}")
        labels.append(f"{platform_guide.IMPORTANCE_TITLE} - {d.name}")
        ids.append(json.dumps({"ImportId": f"QID{qn}_{j}"}))
        cols.append(f"importance.{d.id}")
    qn += 1
    for c in q.comments:
        keys.append(f"Q{qn}")
        labels.append(c.text)
        ids.append(json.dumps({"ImportId": f"QID{qn}_TEXT"}))
        cols.append(f"comment.{c.id}")
        qn += 1
    rows = [keys, labels, ids]

    def data_row(i, r, status="IP Address", finished="True"):
        t = ans.started(i)
        row = [f"{t:%Y-%m-%d %H:%M:%S}", f"{t + timedelta(minutes=7):%Y-%m-%d %H:%M:%S}", status, 100, 420,
               finished, f"{t + timedelta(minutes=7):%Y-%m-%d %H:%M:%S}", f"R_{i:04d}abcdEFGH{i:03d}",
               "anonymous", "EN"]
        for c in cols:
            v = r.get(c)
            if c.endswith((".current", ".desired")):
                if v is None:
                    v = -99           # seen but unanswered
                elif numeric:
                    v = 99 if v == "NA" else v
                else:
                    v = label(v, q, "plain")
            row.append(v)
        return row

    for i, r in enumerate(ans.rows):
        rows.append(data_row(i, r))
    if extra_rows:
        rows.append(data_row(900, ans.rows[0], status="Survey Preview"))
        rows.append(data_row(901, ans.rows[1], finished="False"))
    if fmt == "xlsx":
        return "PMO_discovery.xlsx", _xlsx(rows)
    return "PMO_discovery.csv", _csv(rows).encode("utf-8-sig" if bom else "utf-8")


# --- LimeSurvey: BOM, every field quoted, ';' from the API; blank submitdate for incomplete ------------

def limesurvey(ans: Answers, headings: str = "full", delimiter: str = ";",
               answers: str = "full") -> tuple[str, bytes]:
    q = ans.q
    meta_codes = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    meta_full = ["Response ID", "Date submitted", "Last page", "Start language", "Seed", "Date started",
                 "Date last action"]
    header = list(meta_codes if headings == "code" else meta_full)
    cols = []
    for i, p in enumerate(q.profile, start=1):
        header.append(f"P{i}" if headings == "code" else p.text)
        cols.append(f"profile.{p.id}")
    for n, (d, side, title) in enumerate(_dimension_blocks(q), start=1):
        for j, s in enumerate(d.statements, start=1):
            header.append(f"G{n}[SQ{j:03d}]" if headings == "code" else f"{title}: {d.name} [{s.text}]")
            cols.append(f"{s.id}.{side}")
    for j, d in enumerate(q.dimensions, start=1):
        title = platform_guide.IMPORTANCE_TITLE
        header.append(f"IMP[SQ{j:03d}]" if headings == "code" else f"{title} [{d.name}]")
        cols.append(f"importance.{d.id}")
    for i, c in enumerate(q.comments, start=1):
        header.append(f"C{i}" if headings == "code" else c.text)
        cols.append(f"comment.{c.id}")
    rows = [header]
    for i, r in enumerate(ans.rows):
        t = ans.started(i)
        row = [i + 1, f"{t + timedelta(minutes=9):%Y-%m-%d %H:%M:%S}", 14, "en", 1417820114 + i,
               f"{t:%Y-%m-%d %H:%M:%S}", f"{t + timedelta(minutes=9):%Y-%m-%d %H:%M:%S}"]
        for c in cols:
            v = r.get(c)
            if answers == "codes":        # answer codes: A1..A5, and DK for the "don't know" option
                if c.endswith((".current", ".desired")) or c.startswith("importance."):
                    v = None if v is None else ("DK" if v == "NA" else f"A{v}")
            elif c.endswith((".current", ".desired")):
                v = label(v, q, "plain")
            elif c.startswith("importance."):
                v = None if v is None else q.importance_scale[v - 1].label
            row.append(v)
        rows.append(row)
    incomplete = [len(ans.rows) + 1, None, 3, "en", 1, "2026-03-20 10:00:00", "2026-03-20 10:02:00"]
    rows.append(incomplete + [None] * len(cols))
    text = _csv(rows, delimiter=delimiter, quoting=csv.QUOTE_ALL) + "\r\n"
    return "results-survey123456.csv", text.encode("utf-8-sig")


# --- PMOStep's own template, filled in -----------------------------------------------------------------

def template(ans: Answers) -> tuple[str, bytes]:
    from openpyxl import load_workbook

    q = ans.q
    wb = load_workbook(io.BytesIO(platform_guide.template_xlsx(q)))
    ws = wb["Responses"]
    headers = platform_guide.template_headers(q)
    cols = ["respondent"] + [f"profile.{p.id}" for p in q.profile]
    for d, side, _ in _dimension_blocks(q):
        cols += [f"{s.id}.{side}" for s in d.statements]
    cols += [f"importance.{d.id}" for d in q.dimensions] + [f"comment.{c.id}" for c in q.comments]
    assert len(cols) == len(headers)
    for i, r in enumerate(ans.rows, start=2):
        for j, v in enumerate([f"R{i - 1}", *cells(r, cols[1:], q)], start=1):
            if v is not None:
                cell = ws.cell(row=i, column=j, value=v)
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return "pmostep-answers.xlsx", buffer.getvalue()


def qualtrics_legacy(ans: Answers) -> tuple[str, bytes]:
    """The old exporter: V1..V10 codes over ResponseID, ..., Finished; question text in row 2; BOM."""
    q = ans.q
    meta = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress",
            "Status", "StartDate", "EndDate", "Finished"]
    codes = [f"V{i}" for i in range(1, 11)]
    labels = list(meta)
    cols = []
    for n, (d, side, title) in enumerate(_dimension_blocks(q), start=1):
        for j, s in enumerate(d.statements, start=1):
            codes.append(f"Q{n}_{j}")
            labels.append(f"{title}: {d.name}-{s.text}")
            cols.append(f"{s.id}.{side}")
    rows = [codes + [""], labels + [""]]
    for i, r in enumerate(ans.rows):
        t = ans.started(i)
        row = [f"R_{i:05d}legacy", "Default Response Set", "Anonymous", None, None, "130.92.34.66", 0,
               f"{t:%Y-%m-%d %H:%M:%S}", f"{t + timedelta(minutes=5):%Y-%m-%d %H:%M:%S}", 1]
        row += [None if r.get(c) is None else (99 if r.get(c) == "NA" else r.get(c)) for c in cols]
        rows.append(row + [None])
    return "legacy.csv", _csv(rows).encode("utf-8-sig")
