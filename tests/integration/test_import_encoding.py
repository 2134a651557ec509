"""CSV text encodings: detected, reported, chosen by hand; bad bytes reported by cell, never garbled."""

from __future__ import annotations

import json

import pytest

from pmostep import cli, services
from pmostep.initiation.imports import files, pipeline
from tests import exports
from tests.importing import comments_of, do_import

JAPANESE = "日本語のコメント：プロジェクト管理の標準化が必要です"
GERMAN = "Änderungen an Großprojekten müssen früher geprüft werden"


def with_comments(q, texts: dict[int, str]) -> exports.Answers:
    """Answers whose pain-point comment of respondent i is texts[i]."""
    ans = exports.Answers.from_demo(q, respondents=12, seed=21)
    for i, text in texts.items():
        ans.rows[i]["comment.pain_point"] = text
    return ans


def test_shift_jis_is_detected_reported_as_a_guess_and_comments_survive(con, q):
    ans = with_comments(q, {0: JAPANESE, 5: "はい、そう思います"})
    name, data = exports.google_forms(ans, encoding="shift_jis")
    prepared, result = do_import(con, q, name, data)
    doc = prepared.to_dict()
    assert doc["encoding"] in ("shift_jis", "cp932") and doc["encoding_guessed"] is True
    assert any("guessed as" in n and "--encoding" in n for n in doc["notes"])
    assert {JAPANESE, "はい、そう思います"} <= comments_of(con, "imported")
    assert result.respondents_added == 12 and prepared.problems_total == 0


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_without_a_bom_import_cleanly(con, q, codec):
    ans = with_comments(q, {1: GERMAN, 2: JAPANESE})
    name, data = exports.google_forms(ans, encoding=codec)
    prepared, result = do_import(con, q, name, data)
    assert prepared.problems_total == 0 and result.respondents_added == 12
    assert prepared.to_dict()["encoding"] == codec
    assert {GERMAN, JAPANESE} <= comments_of(con, "imported")


def test_utf8_with_two_bad_bytes_stays_utf8_and_names_the_cells(con, q):
    ans = with_comments(q, {0: GERMAN, 3: "Broken here: XX end", 7: "Fine, größer"})
    name, data = exports.google_forms(ans)
    data = data.replace(b"XX", b"\xff\xfe", 1)
    prepared = pipeline.prepare(con, q, name, data, None)
    assert prepared.to_dict()["encoding"] == "utf-8" and prepared.to_dict()["encoding_guessed"] is False
    pain_point = next(c.text for c in q.comments if c.id == "pain_point")
    assert [(p.row, p.column) for p in prepared.problems] == [(5, pain_point)]   # respondent 3, line 5
    assert "not utf-8 text" in prepared.problems[0].message
    assert any("2 byte sequences" in n for n in prepared.notes)
    services.import_prepared(con, q, prepared, "imported", accept_warnings=True,
                    new_assessment={"min_group_size": 1})
    stored = comments_of(con, "imported")
    assert {GERMAN, "Fine, größer"} <= stored                 # the rest of the file is not garbled
    assert not any("\ufffd" in t or "Ã" in t for t in stored)  # the damaged cell is left blank


def test_windows_1252_is_guessed_as_such(con, q):
    ans = with_comments(q, {0: GERMAN, 4: "We don’t share templates – it’s “ad hoc”"})
    name, data = exports.google_forms(ans, encoding="cp1252")
    prepared, _ = do_import(con, q, name, data)
    assert prepared.to_dict()["encoding"] == "cp1252" and prepared.to_dict()["encoding_guessed"] is True
    assert {GERMAN, "We don’t share templates – it’s “ad hoc”"} <= comments_of(con, "imported")


def test_a_chosen_encoding_is_used_and_an_unknown_one_refused(tmp_path, capsys, q):
    ans = with_comments(q, {0: GERMAN})
    name, data = exports.google_forms(ans, encoding="cp1252")
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "enc.duckdb"
    code = cli.main(["import", str(path), "--assessment", "e", "--db", str(db), "--encoding", "iso-8859-15",
                     "--format", "json", "--dry-run"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["encoding"] == "iso8859-15" and doc["encoding_guessed"] is False
    code = cli.main(["import", str(path), "--assessment", "e", "--db", str(db), "--encoding", "klingon"])
    err = capsys.readouterr().err
    assert code == 1 and "unknown text encoding 'klingon'" in err and "Traceback" not in err


def test_the_table_report_names_the_encoding(tmp_path, capsys, q):
    name, data = exports.google_forms(with_comments(q, {0: JAPANESE}), encoding="shift_jis")
    path = tmp_path / name
    path.write_bytes(data)
    code = cli.main(["import", str(path), "--assessment", "t", "--db", str(tmp_path / "t.duckdb"),
                     "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0 and "text encoding: " in out and "(a guess: give --encoding NAME" in out


def test_binary_named_csv_says_what_it_is():
    with pytest.raises(files.ImportFileError, match="not a CSV file: it is a PNG image"):
        files.read("chart.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(files.ImportFileError, match=r"name it \.xlsx"):
        files.read("export.csv", b"PK\x03\x04" + b"\0" * 64)
    with pytest.raises(files.ImportFileError, match="not text in any encoding"):
        files.read("noise.csv", bytes(range(256)) * 64)
