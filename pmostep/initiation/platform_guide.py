"""What a PMO lead needs to run the questionnaire elsewhere: a form-building guide per platform and
PMOStep's own Excel template. Both use the headings the importer recognises, so a form built by the
guide, or a filled-in template, imports with no manual mapping.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pmostep.core import safe_cells
from pmostep.core.questionnaire import Questionnaire
from pmostep.initiation.imports.platforms import TEMPLATE_ID_HEADER, TEMPLATE_SHEET

CURRENT_TITLE = "Current state"
DESIRED_TITLE = "Desired state"
IMPORTANCE_TITLE = "Importance"

PLATFORM_STEPS = {
    "Microsoft Forms": [
        "New Form. For each dimension add a section (Add new > Section) named after the dimension.",
        "In each section add a **Likert** question titled `Current state: <dimension>`, with the statements "
        "as its statements and the answer labels below as its options, then a second Likert titled "
        "`Desired state: <dimension>` with the same statements. Keep the current one first: Forms exports "
        "only the statement text and numbers the second copy (`...2`), which PMOStep reads as desired.",
        "Add one Likert titled `Importance` with the dimension names as statements and the importance "
        "labels as options.",
        "Add the profile questions as **Choice** questions and the open questions as **Text** (long answer).",
        "Collect the responses, then Responses > Open in Excel; upload the .xlsx as it is.",
    ],
    "Google Forms": [
        "For each dimension add a section, and in it a **Multiple choice grid** titled "
        "`Current state: <dimension>` (rows: the statements; columns: the answer labels below), then one "
        "titled `Desired state: <dimension>`.",
        "Add one Multiple choice grid titled `Importance` (rows: the dimension names; columns: the "
        "importance labels).",
        "Profile questions as **Multiple choice**, open questions as **Paragraph**.",
        "Responses > Link to Sheets, then File > Download > Microsoft Excel (.xlsx) or CSV.",
    ],
    "SurveyMonkey": [
        "For each dimension add a page with a **Matrix/Rating Scale** question `Current state: <dimension>` "
        "(rows: the statements; columns: the answer labels below) and one `Desired state: <dimension>`.",
        "Add a Matrix/Rating Scale `Importance` with the dimension names as rows.",
        "Profile questions as **Multiple Choice**, open questions as **Comment Box**.",
        "Analyze Results > Save as > Export file > All individual responses, XLSX or CSV, columns "
        "**Expanded**, cells **Actual answer text**.",
    ],
    "Qualtrics": [
        "For each dimension add a block with a **Matrix table** (Likert, single answer) whose question "
        "text is `Current state: <dimension>`, the statements as its statements and the answer labels as "
        "its scale points, then one `Desired state: <dimension>`.",
        "Add a Matrix table `Importance` with the dimension names as statements.",
        "Profile questions as **Multiple choice**, open questions as **Text entry** (multiple lines).",
        "Data & Analysis > Export & Import > Export Data > CSV or Excel, with **Use choice text**.",
    ],
    "LimeSurvey": [
        "For each dimension add a question group with an **Array** question whose text is "
        "`Current state: <dimension>`, the statements as subquestions and the answer labels as answer "
        "options, then one `Desired state: <dimension>`.",
        "Add an Array question `Importance` with the dimension names as subquestions.",
        "Profile questions as **List (radio)**, open questions as **Long free text**.",
        "Responses > Export > Export responses: headings **Full question text**, responses **Full "
        "answers**, as CSV or Microsoft Excel. (Question-code headings need a saved mapping.)",
    ],
}


def answer_labels(q: Questionnaire) -> list[str]:
    """The answer options to give every rating question, in order, including N/A."""
    return [f"{p.value} - {p.label}" for p in q.scale] + [q.not_applicable_label]


def importance_labels(q: Questionnaire) -> list[str]:
    return [f"{p.value} - {p.label}" for p in q.importance_scale]


def guide(q: Questionnaire) -> str:
    """A Markdown guide to building the questionnaire on each survey platform."""
    lines = [
        f"# Building the {q.title} (v{q.version}) on a survey platform",
        "",
        "Build the form exactly as below: the question titles, statements and answer labels are what "
        "PMOStep recognises when you import the export, so no manual mapping is needed.",
        "",
        "## Answer labels",
        "",
        "Every `Current state` and `Desired state` question uses these options, in this order:",
        "",
        *[f"- `{label}`" + (f": {p.description}" if i < len(q.scale) else "")
          for i, (label, p) in enumerate(zip(answer_labels(q), [*q.scale, q.scale[0]], strict=True))],
        "",
        f"The `{IMPORTANCE_TITLE}` question uses: " + ", ".join(f"`{x}`" for x in importance_labels(q)) + ".",
        "",
        "## Platform by platform",
        "",
    ]
    for platform, steps in PLATFORM_STEPS.items():
        lines += [f"### {platform}", ""] + [f"{i}. {step}" for i, step in enumerate(steps, start=1)] + [""]
    lines += ["## The questions", ""]
    if q.introduction:
        lines += ["Introduction text for respondents:", "", f"> {q.introduction}", ""]
    for d in q.dimensions:
        lines += [f"### Section: {d.name}", "", f"Grid `{CURRENT_TITLE}: {d.name}` and grid "
                  f"`{DESIRED_TITLE}: {d.name}`, each with these rows:", ""]
        lines += [f"- {s.text}" for s in d.statements] + [""]
    lines += [f"### {IMPORTANCE_TITLE}", "", f"Grid `{IMPORTANCE_TITLE}` ({q.importance_text}), rows:", ""]
    lines += [f"- {d.name}" for d in q.dimensions] + [""]
    lines += ["### About you", ""]
    for p in q.profile:
        lines += [f"- **{p.text}** (single choice): " + "; ".join(p.options)]
    lines += ["", "### Open questions", ""]
    lines += [f"- **{c.text}** (long text)" for c in q.comments]
    return "\n".join(lines) + "\n"


def template_headers(q: Questionnaire) -> list[str]:
    headers = [TEMPLATE_ID_HEADER] + [p.text for p in q.profile]
    for d in q.dimensions:
        headers += [f"{CURRENT_TITLE} [{s.text}]" for s in d.statements]
        headers += [f"{DESIRED_TITLE} [{s.text}]" for s in d.statements]
    headers += [f"{IMPORTANCE_TITLE} [{d.name}]" for d in q.dimensions]
    headers += [c.text for c in q.comments]
    return headers


def template_xlsx(q: Questionnaire, rows: int = 500) -> bytes:
    """PMOStep's Excel template: one row per respondent, drop-downs for every answer."""
    wb = Workbook()
    ws = wb.active
    ws.title = TEMPLATE_SHEET
    lists = wb.create_sheet("Lists")
    help_sheet = wb.create_sheet("Instructions")
    headers = template_headers(q)
    ws.append(headers)
    header_fill = PatternFill("solid", fgColor="DCE9F5")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 110
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 14
    for i in range(2, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 24

    def add_list(col: int, values: list[str]) -> str:
        letter = get_column_letter(col)
        for r, v in enumerate(values, start=1):
            lists[f"{letter}{r}"] = v
        return f"Lists!${letter}$1:${letter}${len(values)}"

    ratings = add_list(1, answer_labels(q))
    importance = add_list(2, importance_labels(q))
    last = rows + 1

    def validate(first_col: int, last_col: int, source: str, what: str) -> None:
        dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True,
                            errorTitle="Choose from the list", error=f"Pick one of the {what} from the list.")
        dv.add(f"{get_column_letter(first_col)}2:{get_column_letter(last_col)}{last}")
        ws.add_data_validation(dv)

    col = 2
    for i, p in enumerate(q.profile):
        validate(col, col, add_list(3 + i, list(p.options)), "options")
        col += 1
    n_ratings = 2 * len(q.statements)
    validate(col, col + n_ratings - 1, ratings, "answers")
    col += n_ratings
    validate(col, col + len(q.dimensions) - 1, importance, "importance ratings")
    lists.sheet_state = "hidden"

    help_sheet.column_dimensions["A"].width = 110
    for line in [
        f"{q.title} (version {q.version}): offline answer sheet",
        "",
        "One row per respondent on the 'Responses' sheet. 'Respondent' is optional (a number or code, "
        "never a name).",
        "Pick each answer from the drop-down. Leave a cell empty when the respondent skipped it.",
        "Current state: how things are today. Desired state: how they should be.",
        *[f"  {p.value} - {p.label}: {p.description}" for p in q.scale],
        f"  {q.not_applicable_label}: the respondent cannot judge this statement.",
        "Do not rename, move or delete the columns: PMOStep reads them by their headings.",
        "Upload the saved file on PMOStep's Import page "
        "(or: python -m pmostep import FILE --assessment SLUG).",
    ]:
        help_sheet.append([line])
    return safe_cells.xlsx_bytes(wb)
