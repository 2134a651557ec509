"""`python -m pmostep`: the command line over the same core the app uses.

Every subcommand takes --db (default: $PMOSTEP_DB, else data/pmostep.duckdb), prints errors to stderr
and exits non-zero on failure. JSON output fields are a public contract: add fields, never rename them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pmostep import demo, services
from pmostep.core import questionnaire, safe_cells
from pmostep.core.errors import PMOStepError
from pmostep.core.questionnaire import Questionnaire
from pmostep.deployment import plan, staffing
from pmostep.foundation import assessments
from pmostep.initiation import platform_guide
from pmostep.initiation.imports import batches, pipeline
from pmostep.initiation.imports import limits as import_limits
from pmostep.initiation.imports import profiles as mapping_profiles
from pmostep.initiation.imports.profiles import MappingProfile
from pmostep.planning import decisions, know_how, practices, scoring
from pmostep.planning.practices import STEPS
from pmostep.products import catalogue, roles
from pmostep.reports import content, deliverables
from pmostep.store import db
from pmostep.workshop import agenda as workshop_agenda
from pmostep.workshop import export as workshop_export
from pmostep.workshop import live as workshop_live

EXIT_ERROR = 1


class CliError(PMOStepError):
    """A failure to report to the user as one line, without a traceback."""


# Commands that only read: while another process (the app) holds the database, they read a copy.
READING_COMMANDS = {"assessments", "scores", "imports", "catalog", "recommend", "roadmap", "report",
                    "problems", "practices", "roles", "staffing"}


def _connect(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    path = db.resolve_path(args.db)
    try:
        con = db.connect(path)
    except db.DatabaseInUse as exc:
        if args.command not in READING_COMMANDS and not getattr(args, "reads_only", False):
            raise CliError(f"{exc}. DuckDB lets one process at a time use the file: stop that process "
                           f"(the app, if it is `streamlit run`), then run `{args.command}` again, or make "
                           "the change in the app") from exc
        print(f"note: {exc}; reading a copy of it taken now", file=sys.stderr)
        return args.closing.enter_context(db.snapshot(path))
    except duckdb.IOException as exc:
        raise CliError(f"cannot open database {path}: {exc}") from exc
    args.closing.callback(con.close)
    return con


def _questionnaire(args: argparse.Namespace) -> Questionnaire:
    return questionnaire.load(args.questionnaire) if args.questionnaire else questionnaire.load()


def _print_json(doc: Any) -> None:
    print(json.dumps(doc, indent=2, ensure_ascii=False, default=str, allow_nan=False))


def _day(text: str, option: str) -> date:
    """The date an option gives, or a one-line error naming the option (exit status 1, not argparse's 2)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        with contextlib.suppress(ValueError):                   # the form, but no such day: 2031-02-30
            return date.fromisoformat(text)
    raise CliError(f"{option} must be a date written YYYY-MM-DD, not {text!r}")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, not {text!r}")
    return int(text)


def cmd_init(args: argparse.Namespace) -> None:
    path = db.resolve_path(args.db)
    con = _connect(args)
    services.register_questionnaire(con, _questionnaire(args))
    print(f"database {path} is at schema version {db.schema_version(con)}")


def cmd_new(args: argparse.Namespace) -> None:
    con = _connect(args)
    a = services.create_assessment(con, args.slug, _questionnaire(args), name=args.name,
                                   organisation=args.organisation or "", min_group_size=args.min_group_size)
    print(f"created assessment '{a.slug}' ({a.name})")


def cmd_demo(args: argparse.Namespace) -> None:
    if args.respondents < 1:
        raise CliError("--respondents must be at least 1")
    con = _connect(args)
    a = services.load_demo(con, _questionnaire(args), respondents=args.respondents, seed=args.seed)
    print(f"loaded the demo assessment '{a.slug}' for {a.organisation} "
          f"with {args.respondents} respondents (seed {args.seed})")


def cmd_assessments(args: argparse.Namespace) -> None:
    rows = assessments.list_all(_connect(args))
    if args.format == "json":
        _print_json(rows)
    elif not rows:
        print("no assessments yet: create one with `python -m pmostep new SLUG` or load `demo`")
    else:
        frame = pd.DataFrame(rows)[["slug", "name", "organisation", "status", "respondents", "created_at"]]
        print(frame.to_string(index=False))


def cmd_questionnaire(args: argparse.Namespace) -> None:
    q = _questionnaire(args)
    if args.format == "json":
        _print_json(q.to_dict())
        return
    if args.format == "guide":
        print(platform_guide.guide(q), end="")
        return
    print(f"{q.title} ({q.id}, version {q.version})")
    print("Scale: " + ", ".join(f"{p.value} {p.label}" for p in q.scale) + f"; {q.not_applicable_label}")
    for d in q.dimensions:
        print(f"\n{d.name} [{d.id}]")
        for s in d.statements:
            print(f"  {s.id:<9} {s.text}")
    print("\nProfile:")
    for p in q.profile:
        print(f"  {p.id:<14} {p.text} ({' / '.join(p.options)})")
    print("\nOpen questions:")
    for c in q.comments:
        print(f"  {c.id:<14} {c.text}")


TABLE_COLUMNS = ["name", "n", "current", "desired", "gap", "gap_ci_low", "gap_ci_high", "importance",
                 "priority", "level_name", "alpha", "disagreement"]


def cmd_scores(args: argparse.Namespace) -> None:
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    report = scoring.score(con, a, q, by=args.by, filters=_filters(args.filter))
    if args.format == "json":
        _print_json(report.to_dict())
        return
    if args.format == "csv":
        frames = [g.dimensions.assign(group=g.group) for g in report.groups]
        if frames:
            frame = pd.concat(frames)
            frame = frame[["group"] + [c for c in frame.columns if c != "group"]]
            print(safe_cells.csv_text(frame), end="")
        for name in report.suppressed:
            print(f"suppressed: {name} (fewer than {report.min_group_size} respondents)", file=sys.stderr)
        if report.withheld:
            print(f"withheld: {report.withheld}", file=sys.stderr)
        return
    print(f"{a.name} [{a.slug}]: {report.respondents} respondents")
    if report.filters:
        print("filters: " + "; ".join(f"{f}={','.join(v)}" for f, v in report.filters.items()))
    if report.pending:
        print(f"{report.pending} completed responses wait to be published (they join {report.min_group_size} "
              "or more at a time)")
    if report.withheld:
        print(f"withheld: {report.withheld}")
        for filters in report.instead:
            print("  allowed instead: " + (" ".join(f"--filter {f}={','.join(v)}" for f, v in filters.items())
                                           or "no filters"))
        return
    for g in report.groups:
        o = g.overall
        if o["current"] is None:
            print(f"\n{g.group} (n={g.respondents}): not scored (too few ratings in every dimension)")
        else:
            print(f"\n{g.group} (n={g.respondents}): maturity index {o['current']:.2f} "
                  f"({o['level_name']}), desired {o['desired']:.2f}, gap {o['gap']:.2f}")
        print(g.dimensions[TABLE_COLUMNS].round(2).to_string(index=False))
    for name in report.suppressed:
        print(f"\n{name}: suppressed (fewer than {report.min_group_size} respondents)")


def _filters(given: list[str] | None) -> dict[str, list[str]]:
    """--filter FIELD=VALUE[,VALUE...] options as field -> values (one option per field)."""
    filters: dict[str, list[str]] = {}
    for text in given or []:
        field_id, sep, values = text.partition("=")
        field_id = field_id.strip()
        if not sep or not field_id or not values.strip():
            raise CliError(f"--filter {text!r}: write FIELD=VALUE[,VALUE...], e.g. group=Project manager")
        if field_id in filters:
            raise CliError(f"--filter {field_id} is given twice: list its values once, separated by commas")
        filters[field_id] = [v.strip() for v in values.split(",") if v.strip()]
    return filters


def cmd_report(args: argparse.Namespace) -> None:
    if args.raw and args.format != "xlsx":          # an option that would do nothing is refused, not ignored
        raise CliError(f"--raw adds the workbook's rows per respondent: it needs --format xlsx, not "
                       f"{args.format}")
    if args.paper is not None and args.format != "pdf":
        raise CliError(f"--paper is the PDF's page size: it needs --format pdf, not {args.format}")
    start = None if args.start is None else _day(args.start, "--start")
    output = args.output
    if output is not None and not output.parent.is_dir():       # said before seconds of building
        raise CliError(f"cannot write {output}: the folder {output.parent} does not exist")
    filters = _filters([*args.filters, *(args.filter or [])])
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    c = content.gather(con, a, q, filters=filters, start=start, raw=args.raw)
    data = deliverables.build(args.format, c, paper=args.paper or deliverables.PAPERS[0])
    output = output or Path(deliverables.file_name(args.format, a.slug, c.generated))
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(f"Wrote {output} ({max(1, round(len(data) / 1024))} KB)")


def cmd_template(args: argparse.Namespace) -> None:
    args.output.write_bytes(platform_guide.template_xlsx(_questionnaire(args)))
    print(f"wrote {args.output}")


def _mapping(con: duckdb.DuckDBPyConnection, ref: str | None, q: Questionnaire) -> MappingProfile | None:
    if not ref:
        return None
    path = Path(ref)
    if path.exists():
        return mapping_profiles.from_yaml(path.read_text(encoding="utf-8"), q, source=str(path))
    return mapping_profiles.load(con, ref, q)


def cmd_import(args: argparse.Namespace) -> None:
    if not args.file.exists():
        raise CliError(f"{args.file} does not exist")
    con = _connect(args)
    exists = assessments.exists(con, args.assessment)
    if exists:
        a, q = services.assessment_with_questionnaire(con, args.assessment)
    else:
        assessments.validate_slug(args.assessment)
        q = _questionnaire(args)
    profile = _mapping(con, args.mapping, q)
    limits = import_limits.limits(args.max_size_mb, args.max_unpacked_mb, args.max_columns, args.max_cells)
    planned = pipeline.prepare(con, q, args.file.name, args.file.read_bytes(), a.id if exists else None,
                            profile=profile, encoding=args.encoding, limits=limits)
    refused = None
    keep = planned.mapping_profile(args.save_mapping, profile) if args.save_mapping else None
    result = pipeline.ImportResult(planned, args.assessment, False, 0, None, dry_run=args.dry_run)
    try:                     # --dry-run writes nothing
        result = services.import_prepared(con, q, planned, args.assessment, dry_run=args.dry_run,
                                          accept_warnings=args.accept_warnings, mapping=keep)
    except pipeline.ImportRefused as exc:
        refused = str(exc)
    doc = result.to_dict()
    doc["assessment_existed"] = exists
    if refused:
        doc["refused"] = refused
    if args.format == "json":
        _print_json(doc)
    else:
        _print_import(doc)
    if args.dry_run:
        if planned.fatal:
            raise CliError(planned.fatal)
        return
    if refused:
        raise CliError(f"nothing imported: {refused}")
    if result.respondents_added == 0:
        raise CliError("nothing imported: every response in the file is already in the assessment, "
                       "skipped, or empty")


def _print_import(doc: dict) -> None:
    print(f"{doc['file']}: {doc['platform_name']}, {doc['rows_read']} rows read")
    if doc["platform_signs"]:
        print(f"recognised from: {'; '.join(doc['platform_signs'])}")
    if doc.get("encoding"):
        guessed = ""
        if doc.get("encoding_guessed"):
            guessed = " (a guess: give --encoding NAME if the text looks wrong)"
        print(f"text encoding: {doc['encoding']}{guessed}")
    mapped = [c for c in doc["columns"] if c["target"] != "ignore"]
    print(f"columns: {len(mapped)} mapped, {len(doc['columns_ignored'])} ignored")
    if doc.get("previous_import"):
        print(f"this exact file was imported before, on {doc['previous_import']['imported_at']}")
    print(f"duplicates: {doc['duplicates']}, skipped: {doc['skipped']}")
    for s in doc["skipped_rows"][:20]:
        print(f"  row {s['row']}: {s['reason']}")
    for note in doc["notes"]:
        print(f"note: {note}")
    if doc["problems_total"]:
        print(f"problems: {doc['problems_total']}")
        for p in doc["problems"][:50]:
            print(f"  row {p['row']}, column '{p['column']}': {p['message']}")
    if doc.get("dry_run"):
        print(f"dry run: {doc['respondents_to_add']} respondents would be added; nothing was written")
    elif doc["respondents_added"]:
        created = " (new assessment created)" if doc["assessment_created"] else ""
        print(f"imported {doc['respondents_added']} respondents into '{doc['assessment']}'{created}, "
              f"import id {doc['import_id']}")


def cmd_imports(args: argparse.Namespace) -> None:
    con = _connect(args)
    a = assessments.get(con, args.assessment)
    rows = [b.to_dict() for b in batches.list_for(con, a.id)]
    if args.format == "json":
        _print_json(rows)
    elif not rows:
        print(f"no imports into '{a.slug}' yet")
    else:
        frame = pd.DataFrame(rows)
        frame["sha256"] = frame["sha256"].str[:12]
        print(frame[["id", "file_name", "platform", "sha256", "rows_read", "respondents_added", "duplicates",
                     "skipped", "imported_at", "undone_at"]].to_string(index=False))


def cmd_undo_import(args: argparse.Namespace) -> None:
    removed = services.undo_import(_connect(args), args.import_id)
    print(f"import {args.import_id} undone: {removed} respondents removed")


def cmd_link(args: argparse.Namespace) -> None:
    link = services.open_link(_connect(args), args.assessment, args.invitee)
    print(link.path)


def cmd_catalog(args: argparse.Namespace) -> None:
    con = _connect(args)
    if args.assessment:
        a, q = services.assessment_with_questionnaire(con, args.assessment)
        cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    else:
        cat = catalogue.shipped(tuple(d.id for d in _questionnaire(args).dimensions))
    if args.format == "json":
        _print_json(cat.to_records())
        return
    print(f"{cat.title} (version {cat.version}): {len(cat.entries)} entries")
    for e in cat.entries:
        dims = ", ".join(f"{d}:{s}" for d, s in e.dimensions.items())
        print(f"  {e.id:<34} {e.type:<8} {e.effort:>5g} pw  load {e.change_load}  levels "
              f"{e.maturity_min}-{e.maturity_max}  {dims}")


def _know_how(args: argparse.Namespace) -> tuple[know_how.KnowHow, catalogue.Catalogue]:
    """The shipped know-how, or the assessment's own (its extensions and catalogue) with --assessment."""
    if not args.assessment:
        q = _questionnaire(args)
        cat = catalogue.shipped(tuple(d.id for d in q.dimensions))
        return know_how.shipped(q, cat), cat
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    cat, _ = decisions.catalogue(con, a.id, [d.id for d in q.dimensions])
    return know_how.for_assessment(con, a, q, cat), cat


def cmd_practices(args: argparse.Namespace) -> None:
    k, cat = _know_how(args)
    names = {**{p.id: p.name for p in k.problems}, **{e.id: e.name for e in cat.entries}}
    found = practices.search(k.practices, args.search or "", args.step, names=names)
    if args.format == "json":
        _print_json([{"practice": p.id, "name": p.name, "step": p.step, "summary": p.summary,
                      "how": list(p.how), "problems": list(p.problems), "entries": list(p.entries)}
                     for p in found])
        return
    print(f"{len(found)} of {len(k.practices)} practices")
    for step, title in STEPS.items():
        shown = [p for p in found if p.step == step]
        if shown:
            print(f"\n{title}")
        for p in shown:
            print(f"  {p.id:<32} {p.name}\n      prevents: {'; '.join(names[i] for i in p.problems)}")


def cmd_roles(args: argparse.Namespace) -> None:
    k, cat = _know_how(args)
    if args.format == "json":
        _print_json([{"role": r.id, "name": r.name, "purpose": r.purpose,
                      "responsibilities": list(r.responsibilities), "skills": list(r.skills),
                      "grade": r.grade, "pmo_types": list(r.pmo_types),
                      "entries": [e.id for e in roles.needed_by(r.id, cat.entries)]}
                     for r in k.roles])
        return
    for r in k.roles:
        needed = len(roles.needed_by(r.id, cat.entries))
        print(f"  {r.id:<24} {r.name} ({r.grade}); PMO types {', '.join(r.pmo_types)}; "
              f"needed by {needed} entries")


def cmd_recommend(args: argparse.Namespace) -> None:
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    p = plan.build(con, a, q)
    recs = p.recommendations[: args.top] if args.top else p.recommendations
    decisions = {i: c.decision for i, c in p.choices.items()}
    if args.format == "json":
        _print_json([{**r.to_dict(), "decision": decisions.get(r.item)} for r in recs])
        return
    for r in recs:
        mark = {"accepted": "[x]", "rejected": "[-]"}.get(decisions.get(r.item, ""), "[ ]")
        print(f"{r.rank:>3}. {mark} {r.score:>5.1f}  {r.name} ({r.item})\n        {r.why}")


def cmd_problems(args: argparse.Namespace) -> None:
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    try:
        d = plan.diagnosis_of(plan.build(con, a, q))
    except plan.PlanningError:
        d = plan.early_diagnosis(con, a, q)
    if d.problems:
        raise CliError("this assessment's know-how cannot be used: " + "; ".join(d.problems))
    found = d.findings
    if d.note:
        print(f"note: {d.note}", file=sys.stderr)
    if args.format == "json":
        _print_json([f.to_dict() for f in found])
        return
    width = max((len(f.name) for f in found), default=0)
    for f in found:
        first = f.evidence[0] if f.evidence else (
            f"you ticked '{f.ticked[0].text}'" if f.ticked else "no sign in the figures, no symptom ticked")
        print(f"{f.strength:<9} {f.points}  {f.name:<{width}}  {first}")


def cmd_choose(args: argparse.Namespace) -> None:
    con = _connect(args)
    if not (args.accept or args.reject or args.clear):
        assessments.get(con, args.assessment)          # a missing assessment is said first
        raise CliError("nothing to do: give --accept, --reject or --clear with entry ids")
    done = services.decide(con, args.assessment, {"accepted": args.accept, "rejected": args.reject,
                                                  None: args.clear},
                           args.reason or "", with_prerequisites=args.with_prerequisites)
    for label, decision in (("accepted", "accepted"), ("rejected", "rejected"), ("cleared", None)):
        if items := done.stored[decision]:
            print(f"{label}: {', '.join(items)}")
    if done.kept_rejected:
        print(f"still rejected (needed first, not reversed): {', '.join(done.kept_rejected)}")


def cmd_roadmap(args: argparse.Namespace) -> None:
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    pins = {}
    for pin in args.pin:
        item, _, wave = pin.partition("=")
        if not wave.strip().isdigit():
            raise CliError(f"--pin {pin}: write it as ENTRY_ID=WAVE, e.g. project_methodology=2")
        pins[item.strip()] = int(wave)
    try:
        p = plan.build(con, a, q, waves=args.waves, capacity=args.capacity,
                           change_budget=args.change_budget, pins=pins)
    except ValueError as exc:         # Settings refuses nonsense (0 waves, negative capacity)
        raise CliError(str(exc)) from exc
    not_accepted = sorted(set(pins) - set(p.accepted))
    if not_accepted:
        raise CliError(f"--pin: not among the accepted entries: {', '.join(not_accepted)}")
    if args.format == "json":
        _print_json(plan.roadmap_json(p, a))
        return
    s = p.settings
    print(f"{a.name}: {len(p.accepted)} accepted entries, {s.waves} waves of {s.wave_weeks} weeks, "
          f"capacity {s.capacity:g} person-weeks, change budget {s.change_budget:g} ({p.budget_reason})")
    for w in p.roadmap.waves:
        print(f"\nWave {w.number}: {w.effort:g} person-weeks ({w.fte:.1f} FTE), "
              f"change load {w.change_load:g}")
        for item in w.items:
            print(f"  {p.names[item]}: {w.reasons[item]}")
    for u in p.roadmap.unplaced:
        print(f"\nNot placed: {p.names.get(u.item, u.item)}: {u.reason}")


def cmd_staffing(args: argparse.Namespace) -> None:
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    s = staffing.for_assessment(con, a, plan.build(con, a, q).roadmap)
    if args.format == "json":
        _print_json({"assessment": a.slug, **s.to_dict()})
        return
    print(f"{a.name}: {len(s.dates)} waves of {s.wave_weeks} weeks from {content.day(s.start)}")
    if not s.roles:
        print("no roles needed: accept recommendations first (`choose`)")
        return
    numbers = [n for n, _, _ in s.dates]
    frame = pd.DataFrame([{"role": r.name, "staff": "not entered" if r.staff is None else f"{r.staff:g}",
                           **{f"wave {n}": f"{r.waves[n]:.2f}" for n in numbers},
                           "first needed": f"wave {r.first_wave} ({r.first_date})" if r.first_wave else "-"}
                          for r in s.roles])
    print(frame.to_string(index=False))
    for warning in s.warnings():
        print(f"warning: {warning}")


DEFAULT_BASE_URL = "http://localhost:8501"


def cmd_workshop_new(args: argparse.Namespace) -> None:
    con = _connect(args)
    a, q = services.assessment_with_questionnaire(con, args.assessment)
    suggested = workshop_agenda.suggest_for(con, a, q, plan.ranking(con, a, q))
    w = services.new_workshop(con, args.assessment, args.title, agenda=suggested)
    print(f"workshop {w.id} '{w.title}' is live: join code {w.code}")
    print(f"join at {args.base_url.rstrip('/')}/join?c={w.code}")


def _workshop(con: duckdb.DuckDBPyConnection, slug: str, workshop_id: int | None) -> dict:
    """The assessment's workshop with this id (default: its newest), as workshop_live.list_for gives it."""
    a = assessments.get(con, slug)
    found = workshop_live.list_for(con, a.id)
    if not found:
        raise CliError(f"assessment '{slug}' has no workshops yet: start one with `workshop new`")
    if workshop_id is None:
        return found[0]
    chosen = [w for w in found if w["id"] == workshop_id]
    if not chosen:
        raise CliError(f"workshop {workshop_id} is not a workshop of '{slug}' "
                       f"(its workshops: {', '.join(str(w['id']) for w in found)})")
    return chosen[0]


def cmd_workshop_results(args: argparse.Namespace) -> None:
    con = _connect(args)
    w = _workshop(con, args.assessment, args.workshop)
    found = workshop_live.activity_results(con, w["id"])
    if args.format == "csv":
        print(safe_cells.csv_text(workshop_export.long_table(found)), end="")
        return
    _print_json({"workshop": {k: w[k] for k in ("id", "title", "code", "status", "created_at")},
                 "assessment": args.assessment, "activities": found})


def cmd_workshop_list(args: argparse.Namespace) -> None:
    con = _connect(args)
    rows = workshop_live.list_for(con, assessments.get(con, args.assessment).id)
    if args.format == "json":
        _print_json(rows)
    elif not rows:
        print(f"no workshops of '{args.assessment}' yet: start one with `workshop new`")
    else:
        print(pd.DataFrame(rows).to_string(index=False))


def _workshop_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                     fmt: argparse.ArgumentParser) -> None:
    group = sub.add_parser("workshop", help="workshops of an assessment: start one, list them, results")
    commands = group.add_subparsers(dest="workshop_command", required=True)
    p = commands.add_parser("new", parents=[common], help="start a live workshop; prints its join code")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--title", metavar="T")
    p.add_argument("--base-url", default=DEFAULT_BASE_URL, metavar="URL",
                   help=f"the app's address, for the join URL (default {DEFAULT_BASE_URL})")
    p.set_defaults(func=cmd_workshop_new)
    p = commands.add_parser("results", parents=[common], help="every round's results of a workshop")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--workshop", type=_positive, metavar="ID", help="default: the newest")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=cmd_workshop_results, reads_only=True)
    p = commands.add_parser("list", parents=[common, fmt], help="the workshops of an assessment")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.set_defaults(func=cmd_workshop_list, reads_only=True)


def _report_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="write a deliverable: the Excel workbook, the board "
                       "report (HTML or PDF), the sponsor's slides, the PMO charter or the deployment plan")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--format", required=True, choices=deliverables.KEYS,
                   help="; ".join(f"{d.key}: {d.label}" for d in deliverables.FORMATS))
    p.add_argument("--output", type=Path, metavar="FILE",
                   help="default: SLUG-KIND-DATE with the format's suffix, in the current folder")
    p.add_argument("--filters", nargs="+", default=[], metavar="FIELD=VALUE[,VALUE...]",
                   help="only respondents with these answers, as the pages' filters (one per field)")
    p.add_argument("--filter", action="append", metavar="FIELD=VALUE[,VALUE...]",
                   help="one filter, as `scores --filter` (repeatable)")
    p.add_argument("--paper", choices=deliverables.PAPERS,
                   help=f"pdf: the page size (default {deliverables.PAPERS[0]})")
    p.add_argument("--raw", action="store_true", help="xlsx: add one row per respondent (without the "
                   "group of anyone in a group below the minimum size)")
    p.add_argument("--start", metavar="YYYY-MM-DD",
                   help="the first day of wave 1 (default: the Monday after the assessment closes)")
    p.set_defaults(func=cmd_report)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $PMOSTEP_DB, else data/pmostep.duckdb)")
    common.add_argument("--questionnaire", type=Path, help="questionnaire YAML (default: surveys/)")
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument("--format", choices=["table", "json"], default="table")

    parser = argparse.ArgumentParser(prog="python -m pmostep", description="PMOStep assessments.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", parents=[common], help="create or migrate a database").set_defaults(func=cmd_init)

    p = sub.add_parser("new", parents=[common], help="create an empty assessment")
    p.add_argument("slug")
    p.add_argument("--name")
    p.add_argument("--organisation")
    p.add_argument("--min-group-size", type=int, default=assessments.DEFAULT_MIN_GROUP_SIZE)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("demo", parents=[common], help="(re)load the demo assessment with slug 'demo'")
    p.add_argument("--respondents", type=int, default=demo.DEFAULT_RESPONDENTS)
    p.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    p.set_defaults(func=cmd_demo)

    sub.add_parser("assessments", parents=[common, fmt], help="list assessments").set_defaults(
        func=cmd_assessments)
    p = sub.add_parser("questionnaire", parents=[common], help="print the questionnaire, or the guide to "
                       "building it on a survey platform (--format guide)")
    p.add_argument("--format", choices=["table", "json", "guide"], default="table")
    p.set_defaults(func=cmd_questionnaire)

    p = sub.add_parser("template", parents=[common], help="write PMOStep's Excel answer template")
    p.add_argument("--output", type=Path, default=Path("pmostep-template.xlsx"))
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", parents=[common], help="import a survey export (.xlsx or .csv)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--assessment", required=True, metavar="SLUG", help="created if it does not exist")
    p.add_argument("--mapping", metavar="FILE_OR_NAME", help="a mapping YAML file, or a saved mapping's name")
    p.add_argument("--save-mapping", metavar="NAME",
                   help="save the column mapping used under this name (when the import is done)")
    p.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    p.add_argument("--accept-warnings", action="store_true",
                   help="import even with problem cells (they are left blank)")
    p.add_argument("--max-size-mb", type=float,
                   help="largest file accepted (default: $PMOSTEP_MAX_UPLOAD_MB, else 50)")
    p.add_argument("--max-unpacked-mb", type=float, help="largest size an .xlsx may unpack to "
                   "(default: $PMOSTEP_MAX_UNPACKED_MB, else 8x the size limit)")
    p.add_argument("--max-columns", type=_positive, metavar="N",
                   help="most columns a file may have (default: $PMOSTEP_MAX_COLUMNS, else 2000)")
    p.add_argument("--max-cells", type=_positive, metavar="N", help="most cells (rows x columns) a file may "
                   "have (default: $PMOSTEP_MAX_CELLS, else 20000000)")
    p.add_argument("--encoding", metavar="NAME", help="the text encoding of a CSV file, e.g. cp1252 or "
                   "shift_jis (default: detected)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("imports", parents=[common, fmt], help="list the imports of an assessment")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.set_defaults(func=cmd_imports)

    p = sub.add_parser("link", parents=[common], help="print a respondent survey link path (/?t=...)")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--invitee", metavar="EMAIL",
                   help="a personal link for this invitee (default: the open link)")
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("undo-import", parents=[common], help="remove the respondents an import added")
    p.add_argument("import_id", type=int, metavar="IMPORT_ID")
    p.set_defaults(func=cmd_undo_import)

    p = sub.add_parser("scores", parents=[common], help="scores of an assessment")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--by", metavar="FIELD", help="break down by a profile field (e.g. group)")
    p.add_argument("--filter", action="append", metavar="FIELD=VALUE[,VALUE...]",
                   help="only respondents with one of these answers (repeatable, one per field); "
                        "'Not stated' picks those who left the field empty")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.set_defaults(func=cmd_scores)

    p = sub.add_parser("catalog", parents=[common, fmt], help="the PMO products and services catalogue")
    p.add_argument("--assessment", metavar="SLUG", help="the assessment's own (customised) catalogue")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("practices", parents=[common, fmt],
                       help="the best practices, by step of the framework")
    p.add_argument("--step", choices=list(STEPS), help="only the practices of one step")
    p.add_argument("--search", metavar="TEXT", help="only practices containing every word of TEXT")
    p.add_argument("--assessment", metavar="SLUG", help="the assessment's own know-how (its extensions)")
    p.set_defaults(func=cmd_practices)

    p = sub.add_parser("roles", parents=[common, fmt], help="the PMO roles and the entries that need them")
    p.add_argument("--assessment", metavar="SLUG", help="the assessment's own roles and catalogue")
    p.set_defaults(func=cmd_roles)

    p = sub.add_parser("recommend", parents=[common, fmt], help="catalogue entries ranked for an assessment")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--top", type=_positive, metavar="N", help="only the N best")
    p.set_defaults(func=cmd_recommend)

    p = sub.add_parser("problems", parents=[common, fmt],
                       help="the likely PMO problems of an assessment, with their evidence")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.set_defaults(func=cmd_problems)

    p = sub.add_parser("choose", parents=[common], help="accept, reject or clear recommended entries")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--accept", nargs="+", metavar="ID", default=[])
    p.add_argument("--reject", nargs="+", metavar="ID", default=[])
    p.add_argument("--clear", nargs="+", metavar="ID", default=[])
    p.add_argument("--with-prerequisites", action="store_true", help="accept what the entries need too")
    p.add_argument("--reason", help="why (stored with the choice)")
    p.set_defaults(func=cmd_choose)

    p = sub.add_parser("roadmap", parents=[common, fmt], help="the accepted entries placed in waves")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.add_argument("--waves", type=int, metavar="N")
    p.add_argument("--capacity", type=float, metavar="PW", help="PMO person-weeks per wave")
    p.add_argument("--change-budget", type=float, metavar="X", help="change-load points per wave")
    p.add_argument("--pin", action="append", default=[], metavar="ID=WAVE",
                   help="keep an entry in a wave for this run (repeatable); stored pins and moves apply too")
    p.set_defaults(func=cmd_roadmap)

    p = sub.add_parser("staffing", parents=[common, fmt], help="FTE per PMO role and wave, when each role is "
                       "first needed, and the waves short of the staff entered")
    p.add_argument("--assessment", required=True, metavar="SLUG")
    p.set_defaults(func=cmd_staffing)
    _report_parser(sub, common)
    _workshop_parser(sub, common, fmt)
    return parser


# Errors told as one line: the PMOStep family (core/errors.py), a missing name, and the database's own.
HANDLED: tuple[type[Exception], ...] = (PMOStepError, KeyError, duckdb.Error)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], None] = args.func
    try:
        with contextlib.ExitStack() as args.closing:       # connections (and copies) _connect opened
            func(args)
    except HANDLED as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return EXIT_ERROR
    return 0
