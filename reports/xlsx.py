"""Writing .xlsx files: one service that every export uses (registers, rosters, statistical tables...).

    from reports.xlsx import Column, Sheet, xlsx_response, simple_sheet

    return xlsx_response("统计表.xlsx", [simple_sheet("2025年", ["二级党组织", "党员数"], rows)])

openpyxl's write-only mode writes each row to a temporary file as it comes, so memory stays flat however many
rows there are (feed it a generator over `queryset.iterator()`); the finished workbook is streamed from disk by
`FileResponse`, and the temporary file disappears when the response is closed.

What every sheet gets: a bold header row frozen in place, column widths, dates as real date cells (with a
`yyyy-mm-dd` number format), identifiers (phones, ID-card and staff numbers) as text cells with the text format
`@`, so Excel neither drops leading zeros nor shows 18-digit numbers as 1.1E+17.

Formula injection (CWE-1236): a text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written
with a leading apostrophe (`'=HYPERLINK(...)`), and always as a string cell, never a formula. We chose the
apostrophe over a "quote prefix" style because it survives what people do next with the file (save as CSV, paste
into WPS or another tool), where a style would be lost and the formula would run. The cost is a visible apostrophe
in those rare cells; the import (members.spreadsheets) takes it off again, so an export re-imports unchanged.
"""

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from members.spreadsheets import FORMULA_TRIGGERS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"
# Excel's limit on a sheet name, and the characters it refuses in one.
_SHEET_TITLE_MAX = 31
_SHEET_TITLE_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))

Kind = Literal["text", "code", "date", "datetime", "number"]


@dataclass(frozen=True)
class Column:
    """One column: its header, how its cells are written, and its width in characters.

    kind: "text" (general text), "code" (identifiers: text cells in text format), "date", "datetime", "number".
    """

    header: str
    kind: Kind = "text"
    width: float = 14


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    notes: Sequence[str] = field(default_factory=tuple)  # lines written above nothing: a second "说明" sheet


def escape_formula(value: str) -> str:
    """The text as a spreadsheet will show it and never evaluate it (see the module docstring)."""
    if value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def cell_value(value: Any, kind: Kind = "text") -> Any:
    """A Python value as the cell should hold it: dates as naive dates, numbers as numbers, the rest safe text."""
    if value is None or value == "":
        return None  # no cell at all: openpyxl would write an empty element for ""
    if kind == "date" and isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal) and kind in ("number", "text"):
        return value
    return escape_formula(str(value))


def _kind_of(value: Any) -> Kind:
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return "number"
    return "text"


def simple_sheet(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, width: float = 14
) -> Sheet:
    """A sheet from headers and already-computed rows (statistical tables): each column's kind is read from its
    first non-empty value, so dates become date cells and numbers number cells."""
    rows = list(rows)
    kinds: list[Kind] = []
    for index in range(len(headers)):
        sample = next((r[index] for r in rows if index < len(r) and r[index] not in (None, "")), None)
        kinds.append(_kind_of(sample))
    columns = [
        Column(h, kind=k, width=max(width, min(40, len(str(h)) * 2 + 2)))
        for h, k in zip(headers, kinds, strict=True)
    ]
    return Sheet(title=title, columns=columns, rows=rows)


def _title(text: str) -> str:
    return (text or "Sheet").translate(_SHEET_TITLE_BAD)[:_SHEET_TITLE_MAX]


def _write_sheet(workbook: Workbook, sheet: Sheet) -> int:
    ws = workbook.create_sheet(_title(sheet.title))
    # Both must be set before the first row: a write-only sheet writes its head once.
    ws.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    header_align = Alignment(vertical="center", wrap_text=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=escape_formula(column.header))
        cell.font, cell.fill, cell.alignment = header_font, header_fill, header_align
        header.append(cell)
    ws.append(header)
    # One styled cell per column, reused row after row: openpyxl writes a row out as soon as it is appended, so
    # a styled cell can carry the next row's value (no object per cell, which is what makes 100,000 rows fast).
    templates: list[WriteOnlyCell | None] = []
    for column in sheet.columns:
        if column.kind == "code":
            cell = WriteOnlyCell(ws)
            cell.number_format = TEXT_FORMAT
        elif column.kind == "date":
            cell = WriteOnlyCell(ws)
            cell.number_format = DATE_FORMAT
        elif column.kind == "datetime":
            cell = WriteOnlyCell(ws)
            cell.number_format = DATETIME_FORMAT
        else:
            cell = None
        templates.append(cell)
    kinds = [c.kind for c in sheet.columns]
    count = 0
    for row in sheet.rows:
        out = []
        for value, kind, template in zip(row, kinds, templates, strict=False):
            value = cell_value(value, kind)
            if template is None or value is None or value == "":
                out.append(value)
                continue
            if kind == "code" and not isinstance(value, str):
                value = str(value)
            template.value = value
            if isinstance(value, str):
                template.data_type = "s"  # a string, even if it looks like a number or a formula
            out.append(template)
        ws.append(out)
        count += 1
    if sheet.notes:
        notes = workbook.create_sheet(_title("说明"))
        notes.column_dimensions["A"].width = 100
        for line in sheet.notes:
            notes.append([escape_formula(str(line))])
    return count


def write_workbook(sheets: Sequence[Sheet], target) -> int:
    """Write the sheets to `target` (a path or a binary file object); returns the number of data rows."""
    workbook = Workbook(write_only=True)
    count = sum(_write_sheet(workbook, sheet) for sheet in sheets)
    workbook.save(target)
    return count


def xlsx_file(sheets: Sequence[Sheet]):
    """The workbook in an anonymous temporary file, positioned at its start (deleted when closed)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    try:
        write_workbook(sheets, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> FileResponse:
    """A download of the sheets; the file streams from disk in chunks."""
    response = FileResponse(
        xlsx_file(sheets), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response
