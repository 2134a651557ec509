"""The board report: one self-contained HTML file (inline CSS, charts as inline SVG, no script, no
network fetch, and a Content-Security-Policy that lets a browser run or fetch nothing, should a text
ever slip past the escaping), and the same file printed to PDF by headless Chromium.

Page 1 is the executive summary a sponsor reads in two minutes; the detail pages follow, each starting
on a new page. Print CSS puts the assessment's name and "Page n of N" in every page's footer. Every
text that comes from data goes through `html.escape`, so a comment with `<script>` shows as text.
"""

from __future__ import annotations

import contextlib
import html as html_module
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from pmostep.core.numbers import figure, known
from pmostep.core.safe_cells import printable
from pmostep.planning import comments as comments_module
from pmostep.reports import content, svg
from pmostep.reports.content import Content, ReportError

PAPERS = {"A4": "A4", "Letter": "letter"}
CHROMIUM_TIMEOUT = 60          # seconds; the demo prints in a few
# Nothing to fetch or run: the page's own <style> and style attributes, images only as data: URLs.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
POOLED = comments_module.POOLED_GROUP        # the label small groups' comments are pooled under


def _e(text: object) -> str:
    """Text as HTML shows it: escaped, without control characters (which HTML may not hold either)."""
    return html_module.escape(printable("" if text is None else str(text)), quote=True)


def _level(x: float | None) -> str:
    """A score or priority with two decimals, as the pages write them."""
    v = known(x)
    return "no score" if v is None else f"{v:.2f}"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


# Columns of sizes rather than scores, printed as the pages print them (2, 2.5, 68.3), not with two decimals.
SIZE_COLUMNS = {"Effort (pw)", "Person-weeks", "Score"}


def _cell(value: object, size: bool = False) -> str:
    """A table cell as printed: scores with two decimals, sizes as figures, missing values as a dash."""
    if _missing(value):
        return "–"
    if isinstance(value, float):
        return figure(value) if size else f"{value:.2f}"
    return _e(value)


def _table(frame: pd.DataFrame, caption: str = "", keep: int = 14) -> str:
    """A DataFrame as an HTML table, every header and cell escaped; figures right-aligned. A table of
    `keep` rows or fewer is kept on one page."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    head = "".join(f'<th class="num">{_e(c)}</th>' if n else f"<th>{_e(c)}</th>"
                   for c, n in zip(frame.columns, numeric, strict=True))
    sizes = [c in SIZE_COLUMNS for c in frame.columns]
    rows = []
    for record in frame.itertuples(index=False):
        cells = [f'<td class="num">{_cell(v, z)}</td>' if n else f"<td>{_cell(v)}</td>"
                 for v, n, z in zip(record, numeric, sizes, strict=True)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    kept = ' class="keep"' if len(frame) <= keep else ""
    return f"<table{kept}>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _css_string(text: str) -> str:
    """A CSS string literal of any text: everything but letters, digits and spaces as a hex escape, so
    nothing in a name can end the string or the style sheet."""
    return '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text) + '"'


CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #cccccc; --blue: #0072B2; --band: #f2f5f8; }
* { box-sizing: border-box; }
body { font-family: Helvetica, Arial, sans-serif; color: var(--ink); font-size: 10pt; line-height: 1.35;
       margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 18pt; margin: 0 0 2pt; }
h2 { font-size: 14pt; margin: 0 0 6pt; border-bottom: 2px solid var(--blue); padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
h4 { font-size: 10pt; margin: 8pt 0 3pt; }
h2, h3, h4, caption { break-after: avoid; }
table.keep { break-inside: avoid; }
td.nowrap { white-space: nowrap; }
figure.pair { display: flex; gap: 12pt; justify-content: space-between; }
figure.pair svg.chart { width: 48%; }
p { margin: 0 0 5pt; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; }
caption { text-align: left; font-weight: bold; padding-bottom: 2pt; }
th, td { border-bottom: 1px solid var(--rule); padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
tr, figure, svg, .box, li { break-inside: avoid; }
thead { display: table-header-group; }
figure { margin: 6pt 0 10pt; }
svg.chart { max-width: 100%; height: auto; }
.summary { font-size: 9.5pt; }
.summary h2 { font-size: 12pt; margin-top: 6pt; }
.summary .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 6pt 12pt; }
.summary .wide { grid-column: 1 / -1; }
.box { border: 1px solid var(--rule); border-radius: 3pt; padding: 5pt 7pt; }
.box h3 { margin: 0 0 3pt; font-size: 10.5pt; color: var(--blue); }
.box ul, .box ol { margin: 0; padding-left: 14pt; }
.box li { margin-bottom: 2pt; }
.figures { display: flex; gap: 10pt; align-items: baseline; flex-wrap: wrap; }
.big { font-size: 22pt; font-weight: bold; color: var(--blue); }
.summary table { font-size: 8.5pt; margin: 0; }
.detail { break-before: page; }
blockquote { margin: 4pt 12pt; color: var(--muted); }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
.comments li { margin-bottom: 3pt; }
@media print { body { max-width: none; padding: 0; } }
"""


FOOTER = "font-family: Helvetica, Arial, sans-serif; font-size: 8pt; color: #555;"


def _page_css(c: Content, paper: str) -> str:
    return (f"@page {{ size: {PAPERS[paper]}; margin: 16mm 14mm 18mm;"
            f" @bottom-left {{ content: {_css_string(c.assessment.name)}; {FOOTER} }}"
            f' @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {FOOTER} }} }}')


def _box(title: str, body: str, wide: bool = False) -> str:
    return f'<div class="box{" wide" if wide else ""}"><h3>{_e(title)}</h3>{body}</div>'


def _section(title: str, body: str) -> str:
    """A detail section: starts on a new page when printed."""
    return f'<section class="detail"><h2>{_e(title)}</h2>{body}</section>'


# --- page 1 -------------------------------------------------------------------------------------------


def _standing(c: Content) -> str:
    o = c.whole.overall
    answered = content.answered(c)
    return (f'<div class="box wide"><h3>Where the organisation stands</h3><div class="figures">'
            f'<span class="big">{_level(o["current"])}</span> '
            f'<span>maturity index, level {_e(o["level"])} ({_e(o["level_name"])}) of '
            f'{c.questionnaire.scale_max}</span> '
            f'<span>desired <b>{_level(o["desired"])}</b>, level {_e(o["desired_level"])} '
            f'({_e(o["desired_level_name"])})</span> <span>gap <b>{_level(o["gap"])}</b></span></div>'
            f'<p class="muted">{_e(answered)}; {_e(o["dimensions_scored"])} dimensions scored.</p></div>')


def _gaps_box(c: Content) -> str:
    gaps = content.largest_gaps(c)
    if not len(gaps):
        return _box("The largest gaps", "<p>No dimension has a desired state above its current one.</p>")
    items = "".join(f"<li><b>{_e(g['name'])}</b>: {_level(g['current'])} now, {_level(g['desired'])} desired "
                    f"(gap {_level(g['gap'])}, priority {_level(g['priority'])})</li>"
                    for _, g in gaps.iterrows())
    return _box(f"The {len(gaps)} largest gaps that matter most", f"<ol>{items}</ol>")


def _disagree_box(c: Content) -> str:
    topics = content.disagreements(c).head(3)
    if not len(topics):
        body = "<p>No statement reaches the threshold: stakeholders broadly agree.</p>"
    else:
        body = "<ul>" + "".join(f"<li>{_e(t['Statement'])} <span class=\"muted\">({_e(t['Dimension'])}, "
                                f"IQR {figure(t['IQR'])})</span></li>" for _, t in topics.iterrows())
        body += "</ul>"
    return _box("Where stakeholders disagree", body)


def _readiness_box(c: Content) -> str:
    if c.plan is None:
        return _box("Readiness for change", "<p>Not read yet: too few answers to plan.</p>")
    r = c.plan.readiness
    score = f" (culture {r.score:.2f})" if r.score is not None else ""
    reading = f"<p><b>{_e(r.reading.capitalize())}</b>{_e(score)}. {_e(r.pace)}</p>"
    return _box("Readiness for change", reading)


def _recommendations_box(c: Content) -> str:
    top = content.top_recommendations(c)
    if not top:
        return _box("Top recommendations", "<p>None yet: too few answers to recommend.</p>")
    decided = {} if c.plan is None else {i: ch.decision for i, ch in c.plan.choices.items()}
    items = "".join(f"<li><b>{_e(r.name)}</b> <span class=\"muted\">({_e(r.type)}, score {figure(r.score)}, "
                    f"{_e(decided.get(r.item, 'open'))})</span></li>" for r in top)
    return _box("Top recommendations", f"<ol>{items}</ol>")


def _waves_box(c: Content) -> str:
    if c.plan is None:
        return _box("The waves", "<p>No roadmap yet: no entry is accepted.</p>", wide=True)
    if not content.placed(c):
        return _box("The waves", f"<p>{_e(content.no_roadmap(c))}</p>", wide=True)
    dates = content.wave_dates(c)
    names = c.plan.names
    rows = "".join(f"<tr><td class=\"nowrap\">Wave {n}</td>"
                   f"<td class=\"nowrap\">{first.day} {first:%b %Y} – {last.day} {last:%b %Y}</td>"
                   f"<td>{_e(', '.join(names.get(i, i) for i in w.items)) or 'nothing placed'}</td></tr>"
                   for (n, first, last), w in zip(dates, c.plan.roadmap.waves, strict=True))
    return _box("The waves", "<table><thead><tr><th>Wave</th><th>Dates</th><th>Entries</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>", wide=True)


def _decisions_box(c: Content) -> str:
    asks = content.sponsor_decisions(c)
    body = "<ul>" + "".join(f"<li>{_e(a)}</li>" for a in asks) + "</ul>" if asks else "<p>None yet.</p>"
    return _box("Decisions asked of the sponsor", body, wide=True)


def _summary(c: Content) -> str:
    a = c.assessment
    facts = [a.organisation, f"sponsor {a.sponsor_name}" + (f", {a.sponsor_role}" if a.sponsor_role else "")
             if a.sponsor_name else "", f"generated {content.day(c.generated)}"]
    line = " · ".join(f for f in facts if f)
    filters = content.filters_line(c)
    view = (f'<p class="muted">View: {_e(filters)} (the recommendations and the roadmap are the whole '
            "assessment's)</p>" if filters else "")
    return (f'<section class="summary"><h1>{_e(a.name)}</h1><p class="muted">{_e(line)}</p>{view}'
            f"<h2>Executive summary</h2><div class=\"grid\">{_standing(c)}{_gaps_box(c)}{_disagree_box(c)}"
            f"{_readiness_box(c)}{_recommendations_box(c)}{_waves_box(c)}{_decisions_box(c)}</div></section>")


# --- detail pages -------------------------------------------------------------------------------------


def _scale(c: Content) -> list[tuple[int, str]]:
    return [(p.value, p.label) for p in c.questionnaire.scale]


def _dimensions(c: Content) -> str:
    dims = c.whole.dimensions
    chart = svg.current_vs_desired(list(zip(dims["name"], dims["current"], dims["desired"], strict=True)),
                                   _scale(c))
    table = content.dimensions(c)
    low, high = table.pop("Gap 95% CI low"), table.pop("Gap 95% CI high")
    table.insert(6, "Gap 95% CI", [f"{lo:.2f}–{hi:.2f}" if known(lo) is not None else "–"
                                   for lo, hi in zip(low, high, strict=True)])
    gaps = content.largest_gaps(c)
    gap_chart = "" if not len(gaps) else svg.gap_bars(
        list(zip(gaps["name"], gaps["gap"], gaps["priority"], strict=True)),
        "The largest gaps that matter most (priority = gap x importance)")
    return (f'<section class="detail"><h2>Dimensions</h2><figure>{chart}</figure>'
            f"<figure>{gap_chart}</figure>{_table(table)}</section>")


def _statements(c: Content) -> str:
    table = content.statements(c)
    parts = []
    for name, rows in table.groupby("Dimension", sort=False):
        parts.append(f"<h3>{_e(name)}</h3>" + _table(rows.drop(columns=["Dimension"])))
    return _section("Statements", "".join(parts))


def _groups(c: Content) -> str:
    shown = content.group_tables(c)
    parts = []
    if shown:
        for measure in ("Current", "Gap"):
            matrix = pd.DataFrame({"Dimension": shown[0][2]["Dimension"].to_numpy()})
            for name, n, table in shown:
                matrix[f"{name} (n={n})"] = table[measure].to_numpy()
            parts.append(_table(matrix, caption=f"{measure} by stakeholder group"))
    else:
        parts.append("<p>No stakeholder group is large enough to be shown on its own.</p>")
    rates = content.rate_table(c)
    if len(rates):
        parts.append(_table(rates.map(content.rate_text), caption="Response rates"))
    note = content.rates_note(c)
    if note:
        parts.append(f"<p>{_e(note)}</p>")
    sentence = content.suppressed_sentence(c)
    if sentence:
        parts.append(f"<p>{_e(sentence)}</p>")
    return _section("Stakeholder groups", "".join(parts))


def _agreement(c: Content) -> str:
    topics = content.disagreements(c)
    body = (_table(topics) if len(topics) else
            "<p>No statement reaches the threshold (an interquartile range of 1.5 levels or more).</p>")
    return (f'<section class="detail"><h2>Agreement topics</h2><p>Statements people rate very differently: '
            f"the topics to discuss in a workshop, widest spread first.</p>{body}</section>")


def _comments(c: Content) -> str:
    if not len(c.comments):
        return _section("Comments", "<p>No comments.</p>")
    parts = []
    for question, rows in c.comments.groupby("question", sort=False):
        items = "".join(f"<li>{_e(r['text'])} <span class=\"muted\">({_e(r['group'])})</span></li>"
                        for _, r in rows.iterrows())
        parts.append(f"<h3>{_e(question)}</h3><ul class=\"comments\">{items}</ul>")
    return (f'<section class="detail"><h2>Comments</h2><p class="muted">Comments of groups smaller than '
            f'{c.min_group_size} are pooled under "{_e(POOLED)}".</p>{"".join(parts)}</section>')


def _recommendations(c: Content) -> str:
    table = content.recommendations(c)
    if not len(table):
        return _section("Recommendations", "<p>Too few answers to recommend.</p>")
    keep = [col for col in ("Rank", "Entry", "Type", "Score", "Decision", "Workshop vote", "Why")
            if col in table.columns]
    table = table[keep].assign(Decision=table["Decision"].replace("", "open"),
                               Type=table["Type"].str.capitalize())
    return (f'<section class="detail"><h2>Recommendations</h2><p>The catalogue ranked for this assessment, '
            f"with each entry's decision and the reason for its rank.</p>{_table(table)}</section>")


def _index_path(c: Content) -> tuple[list[float], float] | None:
    """The maturity index today and at the end of each wave, and the desired index: the mean over the
    dimensions with a current and a desired score and a projection (as the index itself is computed)."""
    p = c.plan
    ids = [d.id for d in c.questionnaire.dimensions
           if known(p.current.get(d.id)) is not None and known(p.desired.get(d.id)) is not None
           and all(known(w.projected.get(d.id)) is not None for w in p.roadmap.waves)]
    if not ids or not p.roadmap.waves:
        return None
    path = [sum(p.current[i] for i in ids) / len(ids)]
    path += [sum(w.projected[i] for i in ids) / len(ids) for w in p.roadmap.waves]
    return path, sum(p.desired[i] for i in ids) / len(ids)


def _roadmap(c: Content) -> str:
    if c.plan is None:
        return _section("Roadmap by wave", "<p>No roadmap yet: no entry is accepted.</p>")
    if not content.placed(c):
        return _section("Roadmap by wave", "<p>No wave holds an entry yet: page 1 says why, and what the "
                                           "sponsor decides first.</p>")
    p, s = c.plan, c.plan.settings
    waves = p.roadmap.waves
    labels = [f"Wave {w.number}" for w in waves]
    effort = svg.columns(labels, [w.effort for w in waves], "PMO effort per wave", "Person-weeks", "Wave",
                         s.capacity, f"capacity {figure(s.capacity)} pw")
    load = svg.columns(labels, [float(w.change_load) for w in waves], "Change load per wave",
                       "Change-load points", "Wave", float(s.change_budget),
                       f"change budget {figure(s.change_budget)}")
    parts = [f"<p>{len(waves)} waves of {s.wave_weeks} weeks from {content.day(c.start)}; capacity "
             f"{figure(s.capacity)} PMO person-weeks and a change budget of {figure(s.change_budget)} points "
             f"per wave, {_e(p.budget_reason)}.</p>", f'<figure class="pair">{effort} {load}</figure>']
    table = content.waves(c)
    for (n, first, last) in content.wave_dates(c):
        rows = table[table["Wave"] == n].drop(columns=["Wave"])
        placed = _table(rows) if len(rows) else "<p>Nothing placed in this wave.</p>"
        parts.append(f"<h3>Wave {n}: {content.day(first)} to {content.day(last)}</h3>{placed}")
    index = _index_path(c)
    parts.append("<h3>Projected maturity</h3>")
    if index is not None:
        path, goal = index
        chart = svg.line(["Today", *labels], path, _scale(c),
                         "Projected maturity index at the end of each wave", "End of wave",
                         "Projected maturity index", goal, f"Desired {goal:.2f}")
        parts.append(f"<figure>{chart}</figure>")
    parts.append(_table(content.projection(c)))
    parts.append("<h3>Staffing</h3>" + _table(content.staffing(c)))
    return _section("Roadmap by wave", "".join(parts))


def _unplaced(c: Content) -> str:
    table = content.unplaced(c)
    body = _table(table) if len(table) else "<p>Every accepted entry is placed on the roadmap.</p>"
    return _section("Not placed", body)


def _workshops(c: Content) -> str:
    if not c.workshops:
        return ""
    parts = "".join(f"<h3>{_e(title)}</h3>" + _table(rounds) for title, rounds in c.workshops)
    return _section("Workshop rounds", parts)


# --- how computed: the documentation's markdown, simply --------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`]+)`")
_ITEM = re.compile(r"^(-|\d+\.)\s+(.*)$")


def _inline(text: str) -> str:
    """Escape first, then bold, italics and code: the markup is ours, the text stays text."""
    out = _CODE.sub(r"<code>\1</code>", _e(text))
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", out))


def markdown(text: str) -> str:
    """Paragraphs, bullet and numbered lists, block quotes, small headings and tables of the docs."""
    blocks: list[tuple[str, list]] = []        # (kind, lines or items)
    for raw in text.splitlines():
        stripped = raw.strip()
        kind = blocks[-1][0] if blocks else ""
        item = _ITEM.match(stripped)
        if not stripped:
            blocks.append(("", []))
        elif stripped.startswith("#"):
            blocks.append(("h", [stripped.lstrip("#").strip()]))
        elif stripped.startswith("|"):
            if kind != "table":
                blocks.append(("table", []))
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            if not all(set(cell) <= set("-: ") for cell in cells):
                blocks[-1][1].append(cells)
        elif stripped.startswith(">"):
            if kind != "quote":
                blocks.append(("quote", []))
            blocks[-1][1].append(stripped.lstrip(">").strip())
        elif item and raw == raw.lstrip():
            tag = "ul" if item.group(1) == "-" else "ol"
            if kind != tag:
                blocks.append((tag, []))
            blocks[-1][1].append(item.group(2))
        elif kind in ("ul", "ol") and raw != raw.lstrip():
            blocks[-1][1][-1] += " " + stripped
        elif kind == "p":
            blocks[-1][1].append(stripped)
        else:
            blocks.append(("p", [stripped]))
    out = []
    for kind, lines in blocks:
        if kind == "p":
            out.append(f"<p>{_inline(' '.join(lines))}</p>")
        elif kind == "h":
            out.append(f"<h4>{_inline(lines[0])}</h4>")
        elif kind == "quote":
            out.append(f"<blockquote>{_inline(' '.join(lines))}</blockquote>")
        elif kind in ("ul", "ol"):
            out.append(f"<{kind}>" + "".join(f"<li>{_inline(i)}</li>" for i in lines) + f"</{kind}>")
        elif kind == "table" and lines:
            head = "".join(f"<th>{_inline(cell)}</th>" for cell in lines[0])
            body = "".join("<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>"
                           for row in lines[1:])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(out)


def _how_computed() -> str:
    parts = "".join(f"<h3>{_e(heading)}</h3>{markdown(text)}" for heading, text in content.how_computed())
    return _section("How computed", parts)


# --- the document ---------------------------------------------------------------------------------------


def _document(c: Content, paper: str = "A4") -> str:
    if paper not in PAPERS:
        raise ReportError(f"Paper '{paper}' is not offered: choose A4 or Letter")
    sections = [_summary(c), _dimensions(c), _statements(c), _groups(c), _agreement(c), _comments(c),
                _recommendations(c), _roadmap(c), _unplaced(c), _workshops(c), _how_computed()]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{_e(c.assessment.name)}: board report</title>"
            f"<style>{CSS}{_page_css(c, paper)}</style></head><body>{''.join(sections)}</body></html>\n")


def html(c: Content) -> str:
    """The board report as one self-contained HTML page (A4 print layout)."""
    return _document(c)


def build(c: Content) -> bytes:
    return html(c).encode("utf-8")


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        raise ReportError("PDF needs Chromium: apt-get install chromium")
    return found


def pdf(c: Content, paper: str = "A4") -> bytes:
    """The board report printed by headless Chromium on A4 or Letter; its own profile per run, so that
    two prints side by side never share one."""
    page = _document(c, paper)
    chromium = _chromium()
    # A profile Chromium still writes to as it dies must not turn the timeout's message into a traceback.
    with tempfile.TemporaryDirectory(prefix="pmostep-board-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        source, out = folder / "board.html", folder / "board.pdf"
        source.write_text(page, encoding="utf-8")
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   "--disable-background-networking", "--no-first-run",
                   f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={out}", source.as_uri()]
        stderr, returncode = _run(command, CHROMIUM_TIMEOUT)
        if not out.exists() or out.stat().st_size == 0:
            detail = (stderr.strip().splitlines() or [f"exit status {returncode}"])[-1]
            raise ReportError(f"Chromium could not print the board report: {detail}")
        return out.read_bytes()


def _run(command: list[str], timeout: float) -> tuple[str, int]:
    """(stderr, exit status) of a command in a session of its own. On timeout the whole process
    group is killed: Chromium's renderer and GPU children would outlive a kill of the browser alone."""
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:       # leaving it closes the pipes, waits
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):        # the group may be gone already
                os.killpg(process.pid, signal.SIGKILL)
            raise ReportError(f"Chromium did not print the board report in {timeout:g} s") from None
    return err, process.returncode
