"""Reading .xlsx uploads safely, and turning their cells into clean values.

An upload is checked before any XML parser sees it: its size on the wire, that it is a zip whose first bytes are
the zip signature (an extension proves nothing), that it holds a workbook, and that the sum of its members'
uncompressed sizes stays under a limit (a zip bomb is small on the wire). Python's zipfile never inflates a
member beyond the size its directory declares (it fails the CRC check instead), so that sum bounds what openpyxl
can read. openpyxl parses the XML with defusedxml (no entity expansion, no external entities);
`check_openpyxl_is_defused` is a system check that fails the deployment if that ever stops being true.

Cells are read as openpyxl gives them (text, int, float, date) and each column's cleaner decides: identifiers
(staff numbers, phones, ID-card numbers) are text, never through a float; a whole number that Excel stored as a
number is written without ".0"; dates come from date cells or from text in the usual Chinese forms. Full-width
characters and stray spaces (NBSP, the ideographic space) are folded by NFKC.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import tablib
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

ZIP_SIGNATURE = b"PK\x03\x04"
# What an export escapes with a leading apostrophe (reports.xlsx): the import takes the apostrophe off again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# How far down a sheet to look for the header row: platform exports put a title above it.
HEADER_SEARCH_ROWS = 10
# This many blank rows in a row end the data: what follows is formatting applied far down the sheet.
BLANK_ROWS_AT_END = 1000


class SpreadsheetError(Exception):
    """The file as a whole cannot be imported; the message says why, for the person who uploaded it."""


class CellError(ValueError):
    """One cell's value cannot be used; the message says why (the caller adds row and column)."""


# --- The file ---------------------------------------------------------------------------------------------


def check_upload(*, name: str, data: bytes) -> None:
    """Refuse anything that is not a reasonably sized .xlsx before a parser sees it."""
    max_bytes = settings.FLOWPARTY_IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(limit)s MB; split it into several files.")
            % {"limit": round(max_bytes / 1024 / 1024, 1)}
        )
    if not (name or "").lower().endswith(".xlsx"):
        raise SpreadsheetError(_("Only Excel workbooks (.xlsx) can be imported; save the file as .xlsx."))
    if not data.startswith(ZIP_SIGNATURE):
        raise SpreadsheetError(
            _("This file is not an Excel workbook (.xlsx), whatever its name says; save it as .xlsx.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetError(_("The file is damaged or not an Excel workbook (.xlsx).")) from None
    names = {info.filename for info in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SpreadsheetError(
            _("This file is not an Excel workbook (.xlsx), whatever its name says; save it as .xlsx.")
        )
    if any(info.flag_bits & 0x1 for info in members):
        raise SpreadsheetError(_("The workbook is password-protected; remove the password and try again."))
    unpacked = sum(info.file_size for info in members)
    if len(members) > 10_000 or unpacked > settings.FLOWPARTY_IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _("The workbook unpacks to more than %(limit)s MB; split it into several files.")
            % {"limit": round(settings.FLOWPARTY_IMPORT_MAX_UNCOMPRESSED_BYTES / 1024 / 1024)}
        )


@dataclass
class Sheet:
    """The first worksheet as a tablib Dataset, and the Excel row number of its first data row."""

    dataset: tablib.Dataset
    first_row: int


def _header_key(value: Any) -> str:
    """Headers compare without spaces, full-width forms or the required-column asterisk."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"[\s*＊]", "", text)


def read_sheet(*, name: str, data: bytes, known_headers: set[str]) -> Sheet:
    """The first worksheet's rows under its header row (the first of the top rows that names two known
    columns). Blank rows are kept, so that row numbers are Excel's; the caller skips them."""
    check_upload(name=name, data=data)
    try:
        return _read_sheet(data, known_headers)
    except SpreadsheetError:
        raise
    except Exception:  # openpyxl and defusedxml raise a dozen kinds for a broken or hostile file
        raise SpreadsheetError(
            _("The workbook cannot be read; open it in Excel and save it again.")
        ) from None


def _first_sheet_rows(data: bytes):
    """(Excel row number, values) of the first worksheet, in order, blank rows included.

    The workbook's parts are read as openpyxl's load_workbook reads them (its ExcelReader: shared strings,
    workbook, styles, which tell date cells apart), but only the first sheet is parsed, and only once:
    load_workbook(read_only=True) parses a sheet without a <dimension> element twice, once to size it."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        _sheet, rel = next(reader.parser.find_sheets())
        with reader.archive.open(rel.target) as source:
            parser = WorkSheetParser(
                source,
                reader.shared_strings,
                data_only=True,
                epoch=reader.wb.epoch,
                date_formats=reader.wb._date_formats,
                timedelta_formats=reader.wb._timedelta_formats,
            )
            expected = 1
            for number, cells in parser.parse():
                for missing in range(expected, number):
                    yield missing, ()
                values = [None] * max((c["column"] for c in cells), default=0)
                for cell in cells:
                    values[cell["column"] - 1] = cell["value"]
                yield number, tuple(values)
                expected = number + 1
    finally:
        reader.archive.close()


def _read_sheet(data: bytes, known_headers: set[str]) -> Sheet:
    rows = _first_sheet_rows(data)
    known = {_header_key(h) for h in known_headers}
    header, header_row = None, 0
    for number, row in rows:
        if sum(1 for v in row if _header_key(v) in known) >= 2:
            header, header_row = row, number
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise SpreadsheetError(
            _("No header row found: the first sheet must have the template's column names in one row.")
        )
    width = len(header)
    dataset = tablib.Dataset(headers=[_header_key(h) for h in header])
    max_rows = settings.FLOWPARTY_IMPORT_MAX_ROWS
    filled = blank_run = 0
    for number, row in rows:
        if number != header_row + 1 + len(dataset):
            raise SpreadsheetError(_("The workbook cannot be read; open it in Excel and save it again."))
        row = tuple(row[:width]) + (None,) * (width - len(row))
        if all(is_blank(v) for v in row):
            blank_run += 1
            if blank_run > BLANK_ROWS_AT_END:
                break  # formatting applied far down the sheet, not data
        else:
            blank_run = 0
            filled += 1
            if filled > max_rows:
                raise SpreadsheetError(
                    _("The file has more than %(limit)s rows; split it into several files.")
                    % {"limit": max_rows}
                )
        dataset.append(row)
    rows.close()
    while len(dataset) and all(is_blank(v) for v in dataset[-1]):
        del dataset[-1]
    return Sheet(dataset=dataset, first_row=header_row + 1)


@checks.register(checks.Tags.security)
def check_openpyxl_is_defused(app_configs=None, **kwargs):
    """Uploaded workbooks are XML from strangers: openpyxl must parse them with defusedxml."""
    import openpyxl
    from openpyxl.xml import functions

    defused = openpyxl.DEFUSEDXML and functions.iterparse.__module__.startswith("defusedxml")
    if not openpyxl.LXML:
        defused = defused and functions.fromstring.__module__.startswith("defusedxml")
    if defused:
        return []
    return [
        checks.Error(
            "openpyxl does not parse with defusedxml: install defusedxml and leave OPENPYXL_DEFUSEDXML unset.",
            id="flowparty.E010",
        )
    ]


# --- Cells ------------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _plain(value: Any) -> str:
    """Any cell as text: whole numbers without '.0', NFKC-folded, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    elif isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    elif isinstance(value, date):
        value = value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        text = text[1:]  # our own exports' formula escape
    return text


def clean_text(value: Any, *, max_length: int | None = None) -> str:
    """Names and free text: full-width forms folded, runs of spaces made one."""
    text = _SPACES.sub(" ", _plain(value))
    if max_length and len(text) > max_length:
        raise CellError(_("Too long: at most %(max)s characters.") % {"max": max_length})
    return text


def clean_code(value: Any, *, max_length: int | None = None) -> str:
    """Staff and student numbers, phones and other codes: text, every space removed, leading zeros kept.

    A number that Excel stored as a whole number is written without '.0' (its leading zeros, if it had any,
    were lost in Excel already: the template formats these columns as text so that they are not)."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("Enter it as text, not as a decimal number."))
    text = _SPACES.sub("", _plain(value))
    if max_length and len(text) > max_length:
        raise CellError(_("Too long: at most %(max)s characters.") % {"max": max_length})
    return text


def clean_phone(value: Any) -> str:
    text = clean_code(value, max_length=20)
    if "*" in text:
        raise CellError(_("This phone number is masked (it has *); enter the full number."))
    if text and not re.fullmatch(r"\+?[\d-]{5,20}", text):
        raise CellError(_("Enter the phone number with digits only, e.g. 13800001234."))
    return text


def clean_id_number(value: Any) -> str:
    """An 18-character resident ID-card number. Never through a float: Excel keeps 15 significant digits,
    so a number cell has already lost the last ones and is refused rather than guessed."""
    from .identity import is_valid_id_number, normalize_id_number

    if isinstance(value, float):
        raise CellError(
            _(
                "Excel stored this ID-card number as a number and lost its last digits; format the column "
                "as text and enter the number again."
            )
        )
    text = normalize_id_number(clean_code(value))
    if not text:
        return ""
    if "*" in text:
        raise CellError(_("This ID-card number is masked (it has *); enter the full number."))
    if len(text) != 18:
        raise CellError(_("An ID-card number has 18 characters; this one has %(n)s.") % {"n": len(text)})
    if not is_valid_id_number(text):
        raise CellError(
            _("The check digit (the last character) is wrong: check every digit of the ID-card number.")
        )
    return text


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel's serial day numbers between 1920 and 2100, for date cells that lost their date format.
_SERIALS = range(7306, 73051)


def clean_date(value: Any) -> date | None:
    """A date cell, or text such as 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日 or 20250301."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        if number in _SERIALS:
            from openpyxl.utils.datetime import from_excel

            return from_excel(number).date()
        value = str(number)
    text = _SPACES.sub(" ", _plain(value))
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(_("Not a date: enter it as 2025-03-01, 2025/3/1 or 2025年3月1日, or use a date cell."))


def choice_lookup(choices, *, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Label (in Chinese and English, as the platform and our exports write it) or code -> stored value."""
    from django.utils import translation

    lookup: dict[str, str] = {}
    for value, label in choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[_choice_key(str(label))] = value
        lookup[_choice_key(value)] = value
    for alias, value in (aliases or {}).items():
        lookup[_choice_key(alias)] = value
    return lookup


def _choice_key(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


def clean_choice(value: Any, lookup: dict[str, str], *, allowed: str = "") -> str:
    text = clean_text(value)
    if not text:
        return ""
    try:
        return lookup[_choice_key(text)]
    except KeyError:
        if allowed:
            raise CellError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            ) from None
        raise CellError(_("“%(value)s” is not an allowed value.") % {"value": text}) from None
