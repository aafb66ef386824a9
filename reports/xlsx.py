"""Writing .xlsx files: one service that every export uses (registers, rosters, statistical tables...).

    from reports.xlsx import Column, Sheet, xlsx_response, simple_sheet

    return xlsx_response("统计表.xlsx", [simple_sheet("2025年", ["二级党组织", "党员数"], rows)])

XlsxWriter's `constant_memory` mode writes each row to a temporary file as soon as the next one starts, with its
strings inline, so memory stays flat however many rows there are (feed it a generator over `queryset.iterator()`);
the finished workbook is streamed from disk by `FileResponse`, and the temporary file disappears when the response
is closed. openpyxl's write-only mode, used before, keeps every distinct string of the workbook in memory for its
shared-strings table (360 MB for a 100,000-member roster) and took twice as long (bench/README.md);
openpyxl still reads every uploaded workbook (members.spreadsheets), parsing with defusedxml.

What every sheet gets: a bold header row frozen in place, column widths, dates as real date cells (with a
`yyyy-mm-dd` number format), identifiers (phones, ID-card and staff numbers) as text cells with the text format
`@`, so Excel neither drops leading zeros nor shows 18-digit numbers as 1.1E+17.

Formula injection (CWE-1236): a text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written
with a leading apostrophe (`'=HYPERLINK(...)`), and always as a string cell, never a formula. We chose the
apostrophe over a "quote prefix" style because it survives what people do next with the file (save as CSV, paste
into WPS or another tool), where a style would be lost and the formula would run. The cost is a visible apostrophe
in those rare cells; the import (members.spreadsheets) takes it off again, so an export re-imports unchanged.
"""

import math
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

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
        return None  # no cell at all
    if kind == "date" and isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal) and kind in ("number", "text"):
        return value if math.isfinite(value) else None  # no number: an empty cell
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


def _title(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unique in the workbook (Excel compares names case-insensitively)."""
    base = (text or "Sheet").translate(_SHEET_TITLE_BAD).strip("'")[:_SHEET_TITLE_MAX] or "Sheet"
    title, number = base, 1
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[: _SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


class _Writer:
    """One workbook being written: its formats, made once, and the sheet names taken."""

    def __init__(self, target):
        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                # Text stays text: never a number, a formula or a link, whatever it looks like.
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        add = self.workbook.add_format
        self.header = add(
            {"bold": True, "bg_color": "#F2DCDB", "pattern": 1, "valign": "vcenter", "text_wrap": True}
        )
        self.formats = {
            "code": add({"num_format": TEXT_FORMAT}),
            "date": add({"num_format": DATE_FORMAT}),
            "datetime": add({"num_format": DATETIME_FORMAT}),
        }
        self.taken: set[str] = set()

    def sheet(self, sheet: Sheet) -> int:
        ws = self.workbook.add_worksheet(_title(sheet.title, self.taken))
        ws.freeze_panes(1, 0)
        for index, column in enumerate(sheet.columns):
            ws.set_column(index, index, column.width, self.formats.get(column.kind))
        for index, column in enumerate(sheet.columns):
            ws.write_string(0, index, escape_formula(str(column.header)), self.header)
        # Formats and bound methods looked up once per column, not once per cell: a 100,000-row roster has 1.6
        # million cells.
        columns = [(column.kind, self.formats.get(column.kind)) for column in sheet.columns]
        write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
        triggers = FORMULA_TRIGGERS
        count = 0
        for count, row in enumerate(sheet.rows, 1):  # noqa: B007 (the count is returned)
            for index, (value, (kind, fmt)) in enumerate(zip(row, columns, strict=False)):
                if type(value) is str:  # most cells: cell_value's checks, inlined
                    if value:
                        write_string(count, index, "'" + value if value[0] in triggers else value, fmt)
                    continue
                value = cell_value(value, kind)
                if value is None:
                    continue
                if isinstance(value, str):
                    write_string(count, index, value, fmt)
                elif isinstance(value, date):  # a datetime is a date too
                    write_datetime(count, index, value, fmt or self.formats[_kind_of(value)])
                else:
                    write_number(count, index, float(value) if isinstance(value, Decimal) else value, fmt)
        if sheet.notes:
            notes = self.workbook.add_worksheet(_title("说明", self.taken))
            notes.set_column(0, 0, 100)
            for index, line in enumerate(sheet.notes):
                notes.write_string(index, 0, escape_formula(str(line)))
        return count

    def close(self) -> None:
        self.workbook.close()


def write_workbook(sheets: Sequence[Sheet], target) -> int:
    """Write the sheets to `target` (a path or a seekable binary file object); returns the number of data rows."""
    writer = _Writer(target)
    count = sum(writer.sheet(sheet) for sheet in sheets)
    writer.close()  # on an error, the half-written rows' temporary files go with the writer
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
