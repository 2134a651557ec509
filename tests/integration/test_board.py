"""The board report's HTML on the demo and on an assessment with groups below the minimum: page 1's
figures are the scores', the file fetches nothing, respondents' text stays text, small groups stay
unnamed but in the one sentence."""

from __future__ import annotations

import contextlib
import dataclasses
import html
import os
import re
import signal
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pmostep.reports import board, content
from pmostep.reports.content import ReportError
from tests.conftest import FORMULA_REMARK, SMALL_GROUP, SMALL_GROUP_REMARK, gathered

TAG = re.compile(r"<[^>]+>")
INLINE = re.compile(r"</?(?:b|strong|em|code|span)\b[^>]*>")
SECOND_SMALL_GROUP = "Portfolio or programme manager"


def read(page: str) -> str:
    """What a reader sees: tags removed, entities read, whitespace as single spaces."""
    text = re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(TAG.sub(" ", INLINE.sub("", text))).split())


def summary(page: str) -> str:
    return read(re.search(r'<section class="summary">.*?</section>', page, re.S).group(0))


def section(page: str, heading: str) -> str:
    return re.search(rf'<section class="detail"><h2>{heading}</h2>.*?</section>', page, re.S).group(0)


@pytest.fixture(scope="module")
def demo(demo_content):
    started = time.perf_counter()
    page = board.html(demo_content)
    print(f"\nboard.html for the demo: {time.perf_counter() - started:.2f} s, {len(page) // 1024} KiB")
    return demo_content, page


@pytest.fixture(scope="module")
def small(small_content):
    return small_content, board.html(small_content)


def test_page_one_shows_the_index_level_and_desired_as_the_scores_say(demo):
    c, page = demo
    o = c.whole.overall
    text = summary(page)
    assert f"{o['current']:.2f} maturity index, level {o['level']} ({o['level_name']}) of 5" in text
    assert f"desired {o['desired']:.2f}, level {o['desired_level']} ({o['desired_level_name']})" in text
    assert f"gap {o['gap']:.2f}" in text
    assert f"{c.report.respondents} respondents, response rate {content.response_rate(c):.0%}" in text
    assert "2.08 maturity index, level 2 (Repeatable)" in text      # the demo, as a sponsor reads it


def test_page_one_names_the_three_largest_gaps_disagreements_readiness_recommendations_waves(demo):
    c, page = demo
    text = summary(page)
    gaps = content.largest_gaps(c)
    assert len(gaps) == 3
    for _, g in gaps.iterrows():
        assert (f"{g['name']}: {g['current']:.2f} now, {g['desired']:.2f} desired (gap {g['gap']:.2f}, "
                f"priority {g['priority']:.2f})") in text             # two decimals, as the Gaps page
    places = [text.index(name) for name in gaps["name"]]
    assert places == sorted(places)                              # in the order that matters most first
    for statement in content.disagreements(c).head(3)["Statement"]:
        assert statement in text
    r = c.plan.readiness
    assert f"Readiness for change {r.reading.capitalize()} (culture {r.score:.2f}). {r.pace}" in text
    for r in content.top_recommendations(c):
        assert r.name in text
    for n, first, last in content.wave_dates(c):
        assert f"Wave {n} {first.day} {first:%b %Y} – {last.day} {last:%b %Y}" in text
    first = ", ".join(c.plan.names[i] for i in c.plan.roadmap.waves[0].items)
    assert "PMO charter and mandate" in first and "Project inventory" in first
    assert f"Wave 1 28 Sep 2026 – 27 Dec 2026 {first}" in text
    for ask in content.sponsor_decisions(c):
        assert ask in text


def test_no_internal_id_reaches_the_page(demo):
    c, page = demo
    text = read(page)
    ids = [d.id for d in c.questionnaire.dimensions] + [s.id for s in c.questionnaire.statements]
    ids += [e.id for e in c.plan.catalogue.entries]
    ids += [r for w in c.plan.roadmap.waves for r in w.roles]
    ids = [i for i in ids if re.search(r"[_\d]", i)]      # "risk" or "tools" are words, "meth_1" is an id
    assert len(ids) > 100
    found = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    assert found == []


def test_detail_sections_follow_in_order_and_each_starts_a_printed_page(demo):
    _, page = demo
    headings = re.findall(r'<section class="detail"><h2>([^<]+)</h2>', page)
    assert headings == ["Dimensions", "Statements", "Stakeholder groups", "Agreement topics", "Comments",
                        "Recommendations", "Roadmap by wave", "Not placed", "How computed"]
    assert ".detail { break-before: page; }" in page
    assert re.search(r"@page \{ size: A4; .*@bottom-left \{ content: \"Harbourline Logistics\\3a  PMO "
                     r"discovery 2026\"; .*@bottom-right \{ content: \"Page \" counter\(page\) \" of \" "
                     r"counter\(pages\)", page)


def test_detail_pages_hold_the_figures_of_the_scores(demo):
    c, page = demo
    dims = read(section(page, "Dimensions"))
    for _, d in c.whole.dimensions.iterrows():
        figures = f"{d['current']:.2f} {d['desired']:.2f} {d['gap']:.2f}"
        assert f"{d['name']} {d['n']} {d['n_na']} {figures}" in dims
    roadmap = read(section(page, "Roadmap by wave"))
    for _, row in content.projection(c).iterrows():
        assert row["Dimension"] + " " + " ".join(f"{v:.2f}" for v in row.iloc[1:]) in roadmap
    unplaced = read(section(page, "Not placed"))
    for entry in content.unplaced(c)["Entry"]:
        assert entry in unplaced
    groups = read(section(page, "Stakeholder groups"))
    for name, n, _ in content.group_tables(c):
        assert f"{name} (n={n})" in groups


def test_every_chart_is_drawn_with_a_title_and_a_text_alternative(demo):
    _, page = demo
    charts = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(charts) == 5
    for chart in charts:
        assert re.search(r'role="img" aria-label="[^"]+"', chart)
        assert re.search(r"<title>[^<]+</title><desc>[^<]+</desc>", chart)
    titles = [re.search(r"<title>([^<]+)</title>", chart).group(1) for chart in charts]
    assert titles == ["Current and desired maturity per dimension",
                      "The largest gaps that matter most (priority = gap x importance)",
                      "PMO effort per wave", "Change load per wave",
                      "Projected maturity index at the end of each wave"]


def test_the_file_fetches_nothing_and_runs_nothing(demo, small):
    for _, page in (demo, small):
        lowered = page.lower()
        assert "<script" not in lowered and "<link" not in lowered and "@import" not in lowered
        assert "@font-face" not in lowered and "<img" not in lowered and "<iframe" not in lowered
        assert re.findall(r"\b(?:src|href)\s*=", lowered) == []
        assert all(u.startswith("#") for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", lowered))
        assert not re.search(r"\son\w+\s*=", lowered)                   # no event handlers either


class _Tags(HTMLParser):
    """Every element's tag name, as a browser reads the page (text and escaped text are not tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append(tag)


def test_a_content_security_policy_lets_a_browser_run_and_fetch_nothing(demo, small):
    for _, page in (demo, small):
        head = re.search(r"<head>(.*?)</head>", page, re.S).group(1)
        assert head.startswith('<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
                               "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
        reader = _Tags()
        reader.feed(page)
        assert "script" not in reader.tags and {"style", "svg", "table"} <= set(reader.tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in small[1]       # the respondent's script is text


def _running() -> dict[int, int]:
    """Process id -> process group of every live process (zombies, already dead, left out)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):
            state, _, group = stat.read_text().rpartition(")")[2].split()[:3]
            if state != "Z":
                found[int(stat.parent.name)] = int(group)
    return found


def test_a_chromium_that_hangs_is_stopped_with_every_child(small, tmp_path, monkeypatch):
    """A real process that never prints and has a child of its own, as Chromium's renderers are."""
    pids = tmp_path / "pids"
    fake = tmp_path / "bin" / "chromium"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nsleep 300 &\necho $$ $! > "{pids}"\nsleep 300\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(board, "CHROMIUM_TIMEOUT", 1)
    started = time.perf_counter()
    try:
        with pytest.raises(ReportError, match=r"^Chromium did not print the board report in 1 s$"):
            board.pdf(small[0])
        assert time.perf_counter() - started < 10
        leader, child = (int(p) for p in pids.read_text().split())
        for _ in range(50):                               # SIGKILL is delivered, not waited for
            left = {p for p, group in _running().items() if p in (leader, child) or group == leader}
            if not left:
                break
            time.sleep(0.1)
        assert left == set()                  # the script, its child and its foreground sleep: all gone
    finally:
        for pid in (int(p) for p in pids.read_text().split()) if pids.exists() else ():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_respondents_text_stays_text(small):
    _, page = small
    assert "<script" not in page
    assert html.escape(SMALL_GROUP_REMARK) in page
    assert html.escape(FORMULA_REMARK) in page
    assert SMALL_GROUP_REMARK in read(section(page, "Comments"))


def test_groups_below_the_minimum_are_named_only_in_the_one_sentence(small):
    c, page = small
    sentence = content.suppressed_sentence(c)
    assert SMALL_GROUP in sentence and SECOND_SMALL_GROUP in sentence
    text = read(page)
    assert text.count(sentence) == 1
    rest = text.replace(sentence, " ")
    # Besides the sentence, the executives are named once: their row of the response rates, which
    # gives their invitations (a Foundation fact) and withholds their count and rate.
    assert rest.count(SMALL_GROUP) == 1 and f"{SMALL_GROUP} 3 withheld withheld" in rest
    assert SECOND_SMALL_GROUP not in rest
    # the executives' remark sits under the pooled label, and their response count is withheld
    comments = read(section(page, "Comments"))
    assert f"{SMALL_GROUP_REMARK} ({board.POOLED})" in comments
    groups = read(section(page, "Stakeholder groups"))
    assert content.rates_note(c) in groups
    shown = [name for name, _, _ in content.group_tables(c)]
    assert shown and all(f"{name} (n=" in groups for name in shown)


def rate_rows(page: str) -> list[list[str]]:
    """The cells of the response rates' table, as a reader sees them."""
    table = re.search(r"<table[^>]*><caption>Response rates</caption>.*?</table>", page, re.S).group(0)
    return [[read(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]


def test_the_response_rates_show_every_row_with_the_same_labels_as_the_other_deliverables(small, demo):
    """Withheld rows and rows without invitations are rows too, not dropped: the same rows and words as
    the workbook's Foundation sheet and the slides (content.rate_table)."""
    c, page = small
    assert rate_rows(page) == [
        ["Project manager", "8", "7", "88%"], ["Project team member", "10", "6", "60%"],
        [SMALL_GROUP, "3", "withheld", "withheld"],
        ["Other or not stated", "—", "withheld", "not invited by list"]]
    assert rate_rows(page) == content.rate_table(c).map(content.rate_text).values.tolist()
    assert "response rate" not in summary(page)                # withheld: it would give the executives away
    c, page = demo
    assert rate_rows(page) == content.rate_table(c).map(content.rate_text).values.tolist()
    assert len(rate_rows(page)) == len(c.assessment.stakeholder_groups)


def test_how_computed_renders_the_docs_markdown_as_text(demo):
    _, page = demo
    part = section(page, "How computed")
    assert "<strong>minimum group size</strong>" in part
    assert "<li>A <strong>statement</strong> is flagged" in part
    assert "<ol><li>A respondent&#x27;s <strong>dimension score</strong>" in part
    assert "<th>culture score</th>" in part and "<td>3.0 or more</td>" in part
    assert "<em>PMO charter</em>" in part and "<code>n_na</code>" in part
    assert "**" not in read(part) and "| ---" not in part


def test_markdown_escapes_before_it_marks_up():
    assert board.markdown("**<b>x</b>** and `a<b`") == (
        "<p><strong>&lt;b&gt;x&lt;/b&gt;</strong> and <code>a&lt;b</code></p>")


def test_build_is_the_html_in_utf8_and_only_a4_and_letter_print(demo):
    c, page = demo
    assert board.build(c) == page.encode("utf-8")
    assert "\u2013" in page                               # the wave dates' en dash, encoded as UTF-8
    with pytest.raises(ReportError, match="A4 or Letter"):
        board.pdf(c, paper="A3")


def test_a_filtered_view_says_so_and_gives_no_response_rate(demo, demo_file):
    c, _ = demo
    filtered = gathered(demo_file, "demo", filters={"group": ["Project manager"]})
    text = summary(board.html(filtered))
    o = filtered.whole.overall
    assert ("View: Stakeholder group: Project manager (the recommendations and the roadmap are the whole "
            "assessment's)") in text
    assert f"{o['current']:.2f} maturity index" in text
    assert f"{c.whole.overall['current']:.2f} maturity" not in text
    assert f"{filtered.report.respondents} respondents; " in text and "response rate" not in text


def test_without_a_plan_the_report_says_what_is_missing(demo):
    c, _ = demo
    page = board.html(dataclasses.replace(c, plan=None))
    text = summary(page)
    assert "Readiness for change Not read yet: too few answers to plan." in text
    assert "Top recommendations None yet: too few answers to recommend." in text
    assert "The waves No roadmap yet: no entry is accepted." in text
    assert "No roadmap yet" in read(section(page, "Roadmap by wave"))
    assert "Every accepted entry is placed" in read(section(page, "Not placed"))
