"""Building and reading .xlsx files in tests."""

import io
import zipfile

from openpyxl import Workbook, load_workbook


def make_xlsx(headers, rows, *, title_rows=(), text_columns=()) -> bytes:
    """A workbook whose first sheet has optional title rows, the header row and the rows, cells typed as given
    (str, int, float, date...). Columns named in `text_columns` are formatted as text, as the template does."""
    workbook = Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for index, header in enumerate(headers, 1):
        if header in text_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes, sheet: int = 0):
    """The sheet of a workbook (not read-only: cell types, formats and panes are inspectable)."""
    return load_workbook(io.BytesIO(data)).worksheets[sheet]


def zip_bomb(size: int) -> bytes:
    """A file that looks like a workbook and unpacks to `size` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()
