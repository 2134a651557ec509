"""Hostile uploads, built in memory at any scale: the tests use small ones with small limits, and
benchmarks/hostile.py the full-size ones with the default limits."""

from __future__ import annotations

import io
import random
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0"?><workbook '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0"?><Relationships '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                 'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_START = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               "<sheetData>")
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row>'


def workbook(sheet_rows, parts: dict | None = None) -> bytes:
    """A minimal workbook whose first sheet's rows are `sheet_rows` (text or an iterable of pieces);
    `parts` maps other part names to their content (text, or an iterable of pieces, streamed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                              ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):
            z.writestr(part, content)
        pieces = {"xl/worksheets/sheet1.xml": _chain(SHEET_START, sheet_rows, SHEET_END), **(parts or {})}
        for part, content in pieces.items():
            with z.open(part, "w", force_zip64=True) as out:
                for piece in [content] if isinstance(content, str) else content:
                    out.write(piece.encode("utf-8"))
    return buffer.getvalue()


def _chain(start: str, middle, end: str):
    yield start
    yield from [middle] if isinstance(middle, str) else middle
    yield end


def sparse_sheet(last_row: int = 200_000, last_column: str = "ZZ") -> tuple[str, bytes]:
    """Two cells, A1 and ZZ200000: a reader that holds the sheet as a grid needs 140 million cells."""
    rows = (HEADER_ROW + f'<row r="{last_row}"><c r="{last_column}{last_row}" t="inlineStr">'
            "<is><t>x</t></is></c></row>")
    return "sparse.xlsx", workbook(rows)


def bomb(unpacked_mb: int = 893) -> tuple[str, bytes]:
    """A valid workbook whose styles part unpacks to `unpacked_mb` MB, compressed about 150x (under any
    ratio check)."""
    def styles():
        yield '<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        yield "<numFmts>"
        block = "".join(f'<numFmt numFmtId="{164 + i % 50}" formatCode="0.{"0" * (i % 7)}"/>'
                        for i in range(2000))
        for n in range(unpacked_mb * 1024 * 1024 // len(block) + 1):
            yield block.replace('formatCode="0.', f'formatCode="{n % 1000}.', 1)
        yield "</numFmts></styleSheet>"
    return "bomb.xlsx", workbook(HEADER_ROW, {"xl/styles.xml": styles()})


def shared_strings(count: int = 5_000_000) -> tuple[str, bytes]:
    """A sheet of one cell with `count` shared strings that no cell uses."""
    def strings():
        yield (f'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               f'count="{count}" uniqueCount="{count}">')
        for start in range(0, count, 10_000):
            yield "".join(f"<si><t>text {i}</t></si>" for i in range(start, min(count, start + 10_000)))
        yield "</sst>"
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return "strings.xlsx", workbook(rows, {"xl/sharedStrings.xml": strings()})


def nested_cell(depth: int = 2_000_000) -> tuple[str, bytes]:
    """One cell whose inline text is wrapped in `depth` nested elements (with random names, so that the
    archive does not compress past a ratio check)."""
    rng = random.Random(5)
    names = ["".join(rng.choices("dghjkmnpqrstvwxyz", k=4)) for _ in range(10_000)]

    def rows():
        yield HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is>'
        for _ in range(depth // len(names)):
            yield "".join(f"<{n}>" for n in names)
        yield "<t>x</t>"
        for _ in range(depth // len(names)):
            yield "".join(f"</{n}>" for n in reversed(names))
        yield "</is></c></row>"
    return "nested.xlsx", workbook(rows())


def giant_shared_string(megabytes: int = 30) -> tuple[str, bytes]:
    """One shared string of `megabytes` MB of random letters."""
    rng = random.Random(6)

    def strings():
        yield '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        for _ in range(megabytes):
            yield "".join(rng.choices("abcdefghij ", k=1024 * 1024))
        yield "</t></si></sst>"
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return "giant-string.xlsx", workbook(rows, {"xl/sharedStrings.xml": strings()})


def formula_sheet() -> tuple[str, bytes]:
    """A header and one response whose second cell is a formula saved without its value."""
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is>'
            '<t>Score</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2"><f>A2*2</f></c></row>')
    return "formula.xlsx", workbook(rows)


def formula_export(respondents: int = 10, cell: str = "H4") -> tuple[str, bytes, str]:
    """A Microsoft Forms export whose `cell` is a formula saved without its value (openpyxl saves
    formulas so), and that column's header."""
    from openpyxl import load_workbook

    from pmostep.core import questionnaire
    from tests import exports

    ans = exports.Answers.from_demo(questionnaire.load(), respondents=respondents, seed=31)
    name, data = exports.microsoft_forms(ans)
    wb = load_workbook(io.BytesIO(data))
    header = wb.active[f"{cell.rstrip('0123456789')}1"].value
    wb.active[cell] = "=1+1"
    out = io.BytesIO()
    wb.save(out)
    return name, out.getvalue(), header


def wide_csv(columns: int = 200_000) -> tuple[str, bytes]:
    """A header of `columns` fields and one row: about 2.3 MB at 200,000."""
    header = ",".join(f"Q{i}" for i in range(columns))
    return "wide.csv", (header + "\n" + ",".join("1" for _ in range(columns)) + "\n").encode("ascii")


def ragged_csv(fields: int = 200_000) -> tuple[str, bytes]:
    """A short header, then a line of `fields` fields."""
    return "ragged.csv", ("ID,Comment\n1,ok\n2," + ",".join("x" * fields) + "\n").encode("ascii")


def tall_csv(megabytes: int = 45) -> tuple[str, bytes]:
    """One column of one-character cells: about 24 million rows at 45 MB."""
    return "tall.csv", b"ID\n" + b"1\n" * (megabytes * 1024 * 1024 // 2)


def giant_cell_csv(megabytes: int = 40) -> tuple[str, bytes]:
    """A response whose comment is one quoted cell of `megabytes` MB."""
    return "giant-cell.csv", b'ID,Comment\n1,"' + b"long text, " * (megabytes * 1024 * 1024 // 11) + b'"\n'


def giant_line_csv(megabytes: int = 45) -> tuple[str, bytes]:
    """A line of `megabytes` MB with no delimiter."""
    return "giant-line.csv", b"ID\n" + b"x" * (megabytes * 1024 * 1024) + b"\n"


def renamed() -> dict[str, tuple[str, bytes]]:
    """Files that are not what their extension says."""
    _, xlsx = formula_sheet()
    return {"xlsx named .csv": ("responses.csv", xlsx),
            "csv named .xlsx": ("responses.xlsx", b"ID,Comment\n1,ok\n"),
            "png named .csv": ("responses.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)}
