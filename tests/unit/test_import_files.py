"""Reading an upload (initiation/imports/files.py): bad, damaged, oversized and lying files get a clear
message before any of their data is read."""

from __future__ import annotations

import io
import zipfile

import pytest

from pmostep.initiation.imports import files
from tests import exports


@pytest.fixture(scope="module")
def answers(q) -> exports.Answers:
    return exports.Answers.from_demo(q, respondents=30, seed=11)


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("empty.csv", b"", "empty.csv is empty"),
    ("blank.xlsx", b"", "blank.xlsx is empty"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel 97-2003 file"),
    ("sheet.numbers", b"PK\x03\x04", "Apple Numbers"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ("fake.xlsx", b"ID,Start time\n1,2\n", "not an Excel workbook"),
    ("notes.pdf", b"%PDF-1.4", "only .xlsx and .csv"),
    ("bomb.xlsx", _zip_bytes({"[Content_Types].xml": b"<x/>", "xl/big.xml": b"0" * 30_000_000}),
     "unpacks to far more data"),
])
def test_bad_files_get_a_clear_message(name, data, message):
    with pytest.raises(files.ImportFileError, match=message):
        files.read(name, data)


def test_truncated_workbook_is_reported_as_damaged(answers):
    _, data = exports.microsoft_forms(answers)
    with pytest.raises(files.ImportFileError, match="damaged or incomplete"):
        files.read("cut.xlsx", data[: len(data) // 2])


def test_file_over_the_size_limit_is_refused(answers):
    _, data = exports.google_forms(answers)
    with pytest.raises(files.ImportFileError, match="the limit is 0 MB"):
        files.read("big.csv", data, max_bytes=len(data) - 1)


def test_upload_limit_setting(monkeypatch):
    monkeypatch.delenv(files.MAX_SIZE_ENV, raising=False)
    assert files.max_bytes() == 50 * 1024 * 1024
    monkeypatch.setenv(files.MAX_SIZE_ENV, "2")
    assert files.max_bytes() == 2 * 1024 * 1024
    assert files.max_bytes("0.5") == 512 * 1024          # an explicit setting wins
    with pytest.raises(files.ImportFileError, match="must be a number of megabytes"):
        files.max_bytes("lots")


def test_an_archive_that_lies_about_its_size_is_refused(answers):
    """The sizes a zip declares are not trusted: a part declared small that unpacks larger is refused."""
    import struct

    _, data = exports.microsoft_forms(answers)
    sheet = b"xl/worksheets/sheet1.xml"
    patched = bytearray(data)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := patched.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if patched[name_at:name_at + len(sheet)] == sheet:
                patched[start + size_at:start + size_at + 4] = struct.pack("<I", 1000)
            start += 4
    with pytest.raises(files.ImportFileError):
        files.read("liar.xlsx", bytes(patched))
