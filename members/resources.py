"""Importing members from Excel (the provincial platform's columns), behind django-import-export's interface.

`PipelineResource` is a django-import-export `Resource`: `import_data(dataset, dry_run=...)` takes a tablib
Dataset and returns an import-export `Result` whose rows are new / update / skip (unchanged) / invalid, with each
invalid row's errors keyed by column. What it does differently from the default row-by-row import is how
(pretty much pretix's modelimport): every row is cleaned and checked first, with a fixed number of queries for the
whole file (the existing members by number in one query, the organisations in one, ...), every problem is
reported with its row number and column, and only a file without a single error is written, in one transaction,
in bulk, by the app's services (which check the actor's rights and the model's rules again and write the audit
entries). A dry run is the same minus the write, so the preview shows exactly what confirming will do.

Each subclass declares its `columns` (header as on the platform, accepted aliases, cleaner, note for the
template) and implements `plan(rows)` (look-ups, one decision per row) and `write(rows)`.
"""

import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.resources import Resource
from import_export.results import Error, Result, RowResult

from . import permissions, services
from .crypto import digest
from .models import Branch, Category, Gender, Member, MobilityReason, SecondaryOrganization, Standing
from .spreadsheets import (
    CellError,
    SpreadsheetError,
    choice_lookup,
    clean_choice,
    clean_code,
    clean_date,
    clean_id_number,
    clean_phone,
    clean_text,
    is_blank,
)

NEW, UPDATE, SKIP, INVALID = (
    RowResult.IMPORT_TYPE_NEW,
    RowResult.IMPORT_TYPE_UPDATE,
    RowResult.IMPORT_TYPE_SKIP,
    RowResult.IMPORT_TYPE_INVALID,
)


def header_key(text: str) -> str:
    """Headers and names compare without spaces, full-width forms or asterisks, case-insensitively."""
    return re.sub(r"[\s*]", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    header: as the provincial platform writes it (Chinese whatever the UI language: it is a file format);
    clean: raw cell -> value, raising CellError; kind: how the template formats it ("text", "code", "date");
    note: what to enter, for the template's notes sheet.
    """

    header: str
    field: str
    clean: Callable[[Any], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()
    kind: str = "text"
    width: float = 14
    note: str | Promise = ""
    choices: Callable[[], Sequence[str]] | None = None  # allowed values, for the template's drop-down list


@dataclass
class RowError:
    row: int
    column: str  # a header; empty for the whole row
    message: str


@dataclass
class Row:
    """One data row on its way through the pipeline."""

    number: int  # as Excel numbers it
    raw: dict[str, Any]
    values: dict[str, Any] = field(
        default_factory=dict
    )  # field -> cleaned value, for the columns in the file
    filled: set[str] = field(default_factory=set)  # fields whose cell is not blank
    errors: list[RowError] = field(default_factory=list)
    status: str = ""
    changes: list[str] = field(default_factory=list)  # headers of the columns an update changes
    label: str = ""
    target: Any = None  # what write() needs for this row

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, str(message)))

    def get(self, name: str, default=None):
        return self.values.get(name, default) if name in self.filled else default


class ImportResult(Result):
    """import-export's Result, plus what our preview shows: every error as (row, column, message), the rows
    in file order with their status, the columns that were ignored, and whether the rows were written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_errors: list[RowError] = []
        self.planned: list[Row] = []
        self.ignored_columns: list[str] = []
        self.written = False
        self.summary: list[str] = []  # what else the import does or did, for the preview and the confirmation

    def all_errors(self) -> list[RowError]:
        errors = list(self.file_errors)
        for row in self.planned:
            errors.extend(row.errors)
        return sorted(errors, key=lambda e: e.row)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.planned)

    @property
    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATE: 0, SKIP: 0, INVALID: 0}
        for row in self.planned:
            counts[row.status] += 1
        return counts


class PipelineResource(Resource):
    columns: ClassVar[Sequence[Column]] = ()
    key_field: ClassVar[str] = ""  # a value that may appear once per file
    title: ClassVar[str] = ""  # the template's sheet name and file name
    domain_errors: ClassVar[tuple[type[Exception], ...]] = ()

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_result_class(self):
        return ImportResult

    # --- What subclasses write ------------------------------------------------------------------------

    def plan(self, rows: list[Row]) -> None:
        """Decide each row: set status (NEW, UPDATE, SKIP), changes, label and target, or add errors."""
        raise NotImplementedError

    def write(self, rows: list[Row]) -> None:
        """Write the rows (none has an error) through the app's bulk services."""
        raise NotImplementedError

    def summarize(self, rows: list[Row], *, written: bool) -> list[str]:
        """Lines about what the import does besides its rows (before writing) or did (after)."""
        return []

    # --- The pipeline -------------------------------------------------------------------------------------

    @classmethod
    def known_headers(cls) -> set[str]:
        return {c.header for c in cls.columns} | {a for c in cls.columns for a in c.aliases}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def header(self, name: str) -> str:
        return self.column(name).header

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """Clean and check every row, then write them all (unless `dry_run`) or, with any error, none."""
        first_row = kwargs.get("first_row", 2)
        result = self.get_result_class()()
        result.diff_headers = [c.header for c in self.columns]
        result.total_rows = len(dataset)

        by_key = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                by_key[header_key(name)] = column
        present: dict[int, Column] = {}
        for index, name in enumerate(dataset.headers or []):
            column = by_key.get(header_key(name))
            if column is None:
                if not is_blank(name):
                    result.ignored_columns.append(str(name))
            elif column not in present.values():
                present[index] = column
        for column in self.columns:
            if column.required and column not in present.values():
                result.file_errors.append(
                    RowError(
                        first_row - 1,
                        column.header,
                        _("The required column “%(column)s” is missing.") % {"column": column.header},
                    )
                )

        rows = [self._clean_row(first_row + i, values, present) for i, values in enumerate(dataset)]
        rows = [row for row in rows if row is not None]
        if not rows and not result.file_errors:
            result.file_errors.append(RowError(first_row, "", _("The file has no data rows.")))
        self._find_duplicates(rows)
        if rows:
            self.plan(rows)
        # A missing column is reported once, on the header row, not again for every row.
        missing = {e.column for e in result.file_errors}
        for row in rows:
            row.errors = [e for e in row.errors if e.column not in missing]
            if row.errors:
                row.status = INVALID
            if not row.label and (row.get("name") or row.get("number")):
                row.label = f"{row.get('name', '')}（{row.get('number', '')}）"
        result.planned = rows
        self._fill_result(result, rows)

        if raise_errors and not result.ok:
            from import_export.exceptions import ImportError as ImportExportError

            first = result.all_errors()[0]
            raise ImportExportError(first.message, number=first.row)
        if not dry_run and result.ok:
            try:
                with transaction.atomic():
                    self.write(rows)
            except (IntegrityError, *self.domain_errors) as exc:
                # Someone changed the same records between the check and the write: nothing was written.
                message = _(
                    "Nothing was imported: the data changed while the file was being imported (%(error)s)."
                )
                result.file_errors.append(RowError(0, "", message % {"error": exc}))
                result.append_base_error(Error(exc))
            else:
                result.written = True
        if result.ok:
            result.summary = self.summarize(rows, written=result.written)
        return result

    def _clean_row(self, number: int, values, present: dict[int, Column]) -> Row | None:
        if all(is_blank(v) for v in values):
            return None
        row = Row(number=number, raw={c.header: values[i] for i, c in present.items()})
        for index, column in present.items():
            raw = values[index]
            try:
                value = column.clean(raw)
            except CellError as exc:
                row.error(column.header, str(exc))
                continue
            row.values[column.field] = value
            if value in (None, ""):
                if column.required:
                    row.error(column.header, _("Required: this cell is empty."))
            else:
                row.filled.add(column.field)
        return row

    def _find_duplicates(self, rows: list[Row]) -> None:
        if not self.key_field:
            return
        seen: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if self.key_field in row.filled:
                seen[row.values[self.key_field]].append(row)
        header = self.header(self.key_field)
        for value, group in seen.items():
            if len(group) < 2:
                continue
            for row in group:
                others = "、".join(str(r.number) for r in group if r is not row)
                row.error(
                    header,
                    _("%(value)s appears more than once in the file (also in row %(rows)s).")
                    % {"value": value, "rows": others},
                )

    def _fill_result(self, result: ImportResult, rows: list[Row]) -> None:
        """The same outcome in import-export's terms: a RowResult per row, an InvalidRow per row in error."""
        for error in result.file_errors:
            result.append_base_error(Error(SpreadsheetError(error.message), number=error.row))
        for row in rows:
            row_result = RowResult()
            row_result.import_type = row.status
            row_result.row_values = row.raw
            row_result.object_repr = row.label
            row_result.number = row.number
            row_result.changes = row.changes
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
            if row.errors:
                by_column: dict[str, list[str]] = defaultdict(list)
                for error in row.errors:
                    by_column[error.column or NON_FIELD_ERRORS].append(error.message)
                result.append_invalid_row(row.number, row.raw, ValidationError(dict(by_column)))

    def validation_errors(self, row: Row, exc: ValidationError, fields: dict[str, str]) -> None:
        """A model's ValidationError as row errors, each under the column of its field (unless that cell was
        already refused: "this field cannot be blank" would only repeat why)."""
        refused = {e.column for e in row.errors}
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = fields.get(name, "")
                if column and column in refused:
                    continue
                for message in messages:
                    row.error(column, message)
        else:
            for message in exc.messages:
                row.error("", message)

    # --- The template -------------------------------------------------------------------------------------

    def template_notes(self) -> list[str]:
        lines = [
            _("Fill in one row per record under the header row; do not change the column names."),
            _("Columns marked * are required. Leave a cell empty to keep what is on file."),
            _("Dates: a date cell, or 2025-03-01, 2025/3/1 or 2025年3月1日."),
            _(
                "Numbers, phones and ID-card numbers are text: keep the columns formatted as text (leading zeros)."
            ),
            "",
        ]
        for column in self.columns:
            mark = "*" if column.required else ""
            lines.append(f"{column.header}{mark}: {column.note}")
        return lines

    def column_choices(self, column: Column) -> list[str]:
        """The values offered in the template's drop-down list for a column (none: free input)."""
        return list(column.choices()) if column.choices else []

    def template(self) -> bytes:
        """An empty workbook with the columns, text and date formats, drop-down lists and notes."""
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.title
        lists = workbook.create_sheet("选项")
        lists.sheet_state = "hidden"
        sheet.freeze_panes = "A2"
        list_column = 0
        for index, column in enumerate(self.columns, 1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index, value=column.header + ("*" if column.required else ""))
            cell.font = Font(bold=True, color="C00000" if column.required else "000000")
            cell.fill = PatternFill("solid", fgColor="F2DCDB")
            dimension = sheet.column_dimensions[letter]
            dimension.width = column.width
            if column.kind == "code":
                dimension.number_format = "@"
            elif column.kind == "date":
                dimension.number_format = "yyyy-mm-dd"
            values = self.column_choices(column)
            if values:
                list_column += 1
                list_letter = get_column_letter(list_column)
                lists.cell(row=1, column=list_column, value=column.header)
                for offset, value in enumerate(values, 2):
                    lists.cell(row=offset, column=list_column, value=value)
                validation = DataValidation(
                    type="list",
                    # OOXML stores the formula without its "=".
                    formula1=f"'选项'!${list_letter}$2:${list_letter}${len(values) + 1}",
                    allow_blank=True,
                    showErrorMessage=False,
                )
                validation.add(f"{letter}2:{letter}5000")
                sheet.add_data_validation(validation)
        notes = workbook.create_sheet("说明")
        notes.column_dimensions["A"].width = 110
        for line in self.template_notes():
            notes.append([line])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


# --- Members ----------------------------------------------------------------------------------------------


def _zh_labels(choices) -> Callable[[], list[str]]:
    def _labels():
        with translation.override("zh-hans"):
            return [str(label) for _value, label in choices]

    return _labels


_GENDERS = choice_lookup(Gender.choices, aliases={"男性": Gender.MALE, "女性": Gender.FEMALE})
_CATEGORIES = choice_lookup(
    Category.choices,
    aliases={"教职工": Category.TEACHER, "在职教职工": Category.TEACHER, "学生党员": Category.STUDENT},
)
_STANDINGS = choice_lookup(Standing.choices, aliases={"正式": Standing.FULL, "预备": Standing.PROBATIONARY})
_REASONS = choice_lookup(MobilityReason.choices)


def _choice(lookup, choices):
    labels = _zh_labels(choices)

    def _clean(value):
        try:
            return clean_choice(value, lookup)
        except CellError:
            # Only a refused cell pays for listing the allowed values.
            return clean_choice(value, lookup, allowed="、".join(labels()))

    return _clean


def _text(max_length):
    return lambda value: clean_text(value, max_length=max_length)


def _code(max_length):
    return lambda value: clean_code(value, max_length=max_length)


def _email(value):
    text = clean_code(value, max_length=254)
    if text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise CellError(_("Enter a valid e-mail address."))
    return text


MEMBER_COLUMNS = (
    Column("姓名", "name", _text(64), required=True, note=gettext_lazy("The member's name.")),
    Column(
        "性别",
        "gender",
        _choice(_GENDERS, Gender.choices),
        required=True,
        width=8,
        choices=_zh_labels(Gender.choices),
        note=gettext_lazy("男 or 女."),
    ),
    Column(
        "工号/学号",
        "number",
        _code(32),
        required=True,
        aliases=("工号", "学号", "工号或学号"),
        kind="code",
        note=gettext_lazy(
            "Staff or student number: identifies the member; a number already on file updates that member."
        ),
    ),
    Column(
        "身份证号码",
        "id_number",
        clean_id_number,
        aliases=("公民身份号码", "身份证号"),
        kind="code",
        width=22,
        note=gettext_lazy("18 characters, the last may be X."),
    ),
    Column(
        "联系电话",
        "phone",
        clean_phone,
        aliases=("手机号码", "手机号", "联系方式"),
        kind="code",
        note=gettext_lazy("Digits only."),
    ),
    Column("电子邮箱", "email", _email, aliases=("邮箱",), width=22, note=gettext_lazy("Optional.")),
    Column(
        "党员类别",
        "category",
        _choice(_CATEGORIES, Category.choices),
        required=True,
        choices=_zh_labels(Category.choices),
        note=gettext_lazy("One of the listed categories."),
    ),
    Column(
        "党员身份",
        "standing",
        _choice(_STANDINGS, Standing.choices),
        aliases=("党籍状态",),
        choices=_zh_labels(Standing.choices),
        note=gettext_lazy("正式党员 or 预备党员; empty means 正式党员 for a new member."),
    ),
    Column(
        "入党时间",
        "joined_on",
        clean_date,
        kind="date",
        aliases=("入党日期",),
        note=gettext_lazy("For a probationary member, the date admitted as probationary."),
    ),
    Column(
        "转正时间",
        "converted_on",
        clean_date,
        kind="date",
        aliases=("转正日期",),
        note=gettext_lazy("Optional."),
    ),
    Column(
        "二级党组织",
        "secondary",
        _text(100),
        aliases=("所在二级党组织", "所属二级党组织", "所在党委（党总支）"),
        width=22,
        note=gettext_lazy(
            "Name, short name or code of the secondary organisation; may be left empty when the branch's name is unique."
        ),
    ),
    Column(
        "所在党支部",
        "branch",
        _text(100),
        aliases=("党支部", "所属党支部", "所在支部"),
        width=22,
        note=gettext_lazy("The branch holding the formal relation, by name or code."),
    ),
    Column(
        "组织关系所在党组织",
        "origin_organization",
        _text(200),
        aliases=("组织关系所在单位",),
        width=26,
        note=gettext_lazy(
            "Only for members whose formal relation is held outside the university; leave 所在党支部 empty."
        ),
    ),
    Column(
        "流动原因",
        "mobility_reason",
        _choice(_REASONS, MobilityReason.choices),
        width=24,
        choices=_zh_labels(MobilityReason.choices),
        note=gettext_lazy("Art. 1; empty for a member who is not mobile."),
    ),
)

# Member fields an import sets, in the order of the columns.
MEMBER_IMPORT_FIELDS = (
    "name",
    "gender",
    "number",
    "id_number",
    "phone",
    "email",
    "category",
    "standing",
    "joined_on",
    "converted_on",
    "origin_organization",
    "mobility_reason",
)
# Every field an import may change (the organisation and branch come from their columns).
MEMBER_CHANGE_FIELDS = (*MEMBER_IMPORT_FIELDS, "secondary_id", "branch_id")


class Organisations:
    """Secondary organisations and branches by name, short name and code: two queries for a whole file."""

    def __init__(self):
        self.secondaries = {s.pk: s for s in SecondaryOrganization.objects.all()}
        self.branches = {}
        self.secondary_by_key: dict[str, list[SecondaryOrganization]] = defaultdict(list)
        self.branch_by_key: dict[str, list[Branch]] = defaultdict(list)
        for secondary in self.secondaries.values():
            for name in {secondary.name, secondary.short_name, secondary.code} - {""}:
                self.secondary_by_key[header_key(name)].append(secondary)
        for branch in Branch.objects.all():
            branch.secondary = self.secondaries[branch.secondary_id]
            self.branches[branch.pk] = branch
            for name in {branch.name, branch.code}:
                self.branch_by_key[header_key(name)].append(branch)

    def secondary(self, text: str) -> list[SecondaryOrganization]:
        return self.secondary_by_key.get(header_key(text), [])

    def branch(self, text: str, secondary: SecondaryOrganization | None) -> list[Branch]:
        found = self.branch_by_key.get(header_key(text), [])
        if secondary is not None:
            found = [b for b in found if b.secondary_id == secondary.pk]
        return found


def default_secondary(user, organisations: Organisations) -> SecondaryOrganization | None:
    """A secretary who runs exactly one organisation may leave the organisation column empty."""
    scope = permissions.scope_for(user)
    if scope.all or len(scope.secondary_ids) != 1:
        return None
    return organisations.secondaries.get(next(iter(scope.secondary_ids)))


def resolve_organisation(
    row: Row, organisations: Organisations, *, secondary_header: str, branch_header: str
) -> tuple[SecondaryOrganization | None, Branch | None, bool]:
    """The row's secondary organisation and branch from its two columns; (.., .., False) after an error."""
    secondary = branch = None
    if row.get("secondary"):
        found = organisations.secondary(row.get("secondary"))
        if not found:
            row.error(
                secondary_header,
                _("There is no secondary organisation “%(name)s”.") % {"name": row.get("secondary")},
            )
            return None, None, False
        secondary = found[0]
    if row.get("branch"):
        found = organisations.branch(row.get("branch"), secondary)
        if not found:
            if secondary is not None:
                message = _("“%(branch)s” is not a branch of %(organisation)s.") % {
                    "branch": row.get("branch"),
                    "organisation": secondary.name,
                }
            else:
                message = _("There is no branch “%(branch)s”.") % {"branch": row.get("branch")}
            row.error(branch_header, message)
            return None, None, False
        if len(found) > 1:
            row.error(
                branch_header,
                _("Several organisations have a branch called “%(branch)s”: fill in the column %(column)s.")
                % {"branch": row.get("branch"), "column": secondary_header},
            )
            return None, None, False
        branch = found[0]
        if not branch.is_active:
            row.error(
                branch_header, _("The branch “%(branch)s” is no longer active.") % {"branch": branch.name}
            )
            return None, None, False
        secondary = secondary or branch.secondary
    return secondary, branch, True


class MemberResource(PipelineResource):
    """党员信息: new members are added, members already on file (by 工号/学号) are updated."""

    columns = MEMBER_COLUMNS
    key_field = "number"
    title = "党员信息"
    domain_errors = (services.MemberError,)

    def __init__(self, *, user, open_accounts: bool = False, **kwargs):
        super().__init__(user=user, **kwargs)
        # Open a login account for every imported member without one (members.accounts): the department's.
        self.open_accounts = open_accounts and permissions.can(user, "open_accounts")
        self.accounts = None

    def plan(self, rows: list[Row]) -> None:
        organisations = Organisations()
        numbers = {row.values["number"] for row in rows if "number" in row.filled}
        existing = {m.number: m for m in Member.objects.filter(number__in=numbers)}
        id_rows: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if "id_number" in row.filled:
                id_rows[digest(row.values["id_number"])].append(row)
        holders = dict(
            Member.objects.filter(id_number_digest__in=list(id_rows)).values_list(
                "id_number_digest", "number"
            )
        )
        id_header = self.header("id_number")
        for key, group in id_rows.items():
            if len(group) > 1:
                for row in group:
                    others = "、".join(str(r.number) for r in group if r is not row)
                    row.error(
                        id_header, _("The same ID-card number is also in row %(rows)s.") % {"rows": others}
                    )
            holder = holders.get(key)
            for row in group:
                if holder and holder != row.get("number"):
                    row.error(id_header, _("Another member already has this ID-card number."))
        fallback = default_secondary(self.user, organisations)
        self.changed_fields: set[str] = set()
        for row in rows:
            self._plan_row(row, existing.get(row.get("number")), organisations, fallback)

    def _plan_row(self, row: Row, before: Member | None, organisations: Organisations, fallback) -> None:
        secondary_header, branch_header = self.header("secondary"), self.header("branch")
        secondary, branch, ok = resolve_organisation(
            row, organisations, secondary_header=secondary_header, branch_header=branch_header
        )
        if not ok:
            return
        if before is not None and not permissions.can(self.user, "change_member", before):
            row.error(
                self.header("number"),
                _("%(number)s is a member of an organisation you do not run; you may not change it.")
                % {"number": before.number},
            )
            return
        if secondary is None:
            secondary = organisations.secondaries.get(before.secondary_id) if before else fallback
        if secondary is None:
            row.error(secondary_header, _("Fill in the secondary organisation (or the branch)."))
            return
        moving = before is None or secondary.pk != before.secondary_id
        if moving and not permissions.can(self.user, "add_member", secondary):
            column = branch_header if branch is not None else secondary_header
            row.error(
                column,
                _("%(organisation)s is not an organisation you run.") % {"organisation": secondary.name},
            )
            return
        if moving and not secondary.is_active:
            row.error(
                secondary_header,
                _("%(organisation)s is no longer active.") % {"organisation": secondary.name},
            )
            return

        if before is None:
            member = Member(standing=Standing.FULL)
        else:
            names = [f.attname for f in Member._meta.concrete_fields]
            member = Member.from_db(before._state.db, names, [getattr(before, n) for n in names])
        for name in MEMBER_IMPORT_FIELDS:
            if name in row.filled:
                setattr(member, name, row.values[name])
        member.secondary = secondary
        if branch is not None:
            member.branch = branch
            if "origin_organization" not in row.filled:
                member.origin_organization = ""
        elif "origin_organization" in row.filled:
            member.branch = None
        elif before is not None and before.branch_id:
            member.branch = organisations.branches.get(before.branch_id)
        elif before is None:
            member.branch = None
        try:
            services.member_import_check(actor=self.user, member=member, before=before)
        except ValidationError as exc:
            self.validation_errors(row, exc, self._field_headers())
            return
        except services.MemberError as exc:
            row.error("", str(exc))
            return
        row.label = f"{member.name}（{member.number}）"
        if before is None:
            row.status = NEW
        else:
            changed = [n for n in MEMBER_CHANGE_FIELDS if getattr(before, n) != getattr(member, n)]
            row.changes = [self._field_headers().get(n.removesuffix("_id"), n) for n in changed]
            row.status = UPDATE if changed else SKIP
            self.changed_fields.update(n.removesuffix("_id") for n in changed)
        row.target = (before, member)

    def column_choices(self, column: Column) -> list[str]:
        # The organisations and branches this user may import into.
        if column.field == "secondary":
            return list(
                permissions.managed_organizations_for(self.user)
                .filter(is_active=True)
                .values_list("name", flat=True)
            )
        if column.field == "branch":
            return list(
                Branch.objects.filter(
                    secondary__in=permissions.managed_organizations_for(self.user), is_active=True
                ).values_list("name", flat=True)
            )
        return super().column_choices(column)

    def _field_headers(self) -> dict[str, str]:
        headers = {c.field: c.header for c in self.columns}
        return headers

    def write(self, rows: list[Row]) -> None:
        created = [row.target[1] for row in rows if row.status == NEW]
        updated = [row.target for row in rows if row.status == UPDATE]
        services.member_bulk_import(
            actor=self.user, created=created, updated=updated, changed_fields=self.changed_fields
        )
        if self.open_accounts:
            from .accounts import accounts_open

            self.accounts = accounts_open(
                actor=self.user, members=[row.target[1] for row in rows if row.target]
            )

    def summarize(self, rows: list[Row], *, written: bool) -> list[str]:
        if not self.open_accounts:
            return []
        if not written:
            without = sum(1 for row in rows if row.target and not row.target[1].user_id)
            return (
                [
                    _("Confirming also opens a login account for the %(count)s members without one.")
                    % {"count": without}
                ]
                if without
                else []
            )
        opened = self.accounts
        lines = [_("Login accounts opened: %(count)s.") % {"count": opened.opened}] if opened.opened else []
        if opened.without_email:
            lines.append(
                _("%(count)s of them have no e-mail address and cannot reset a password: %(names)s.")
                % {
                    "count": len(opened.without_email),
                    "names": "、".join(m.number for m in opened.without_email[:20]),
                }
            )
        if opened.taken:
            lines.append(
                _("No account for %(names)s: the name is another member's account.")
                % {"names": "、".join(m.number for m in opened.taken[:20])}
            )
        return lines


def run_import(resource_class, *, user, name: str, data: bytes, dry_run: bool, **options) -> ImportResult:
    """Check an uploaded workbook and, unless `dry_run`, import it. Raises SpreadsheetError for a file that
    cannot be read at all (size, type, no header row). `options` go to the resource (open_accounts)."""
    from .spreadsheets import read_sheet

    resource = resource_class(user=user, **options)
    sheet = read_sheet(name=name, data=data, known_headers=resource.known_headers())
    return resource.import_data(sheet.dataset, dry_run=dry_run, first_row=sheet.first_row)


def run_import_command(command, resource_class, *, action: str, options: dict) -> ImportResult:
    """What `import_members` and `import_registrations` do: the same checks and rights as the web import,
    acting as `--as USERNAME`. Prints every problem; raises CommandError (exit status 1) if there is one."""
    import os

    from django.conf import settings
    from django.core.management.base import CommandError

    from .models import User

    user = User.objects.filter(username=options["username"], is_active=True).first()
    if user is None:
        raise CommandError(_("There is no active account %(username)s.") % {"username": options["username"]})
    if not permissions.can(user, action):
        raise CommandError(_("%(username)s may not import these records.") % {"username": user.username})
    if options.get("accounts") and not permissions.can(user, "open_accounts"):
        raise CommandError(_("%(username)s may not open login accounts.") % {"username": user.username})
    path = options["file"]
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            data = handle.read(min(size, settings.FLOWPARTY_IMPORT_MAX_BYTES) + 1)
    except OSError as exc:
        raise CommandError(str(exc)) from None
    try:
        result = run_import(
            resource_class,
            user=user,
            name=os.path.basename(path),
            data=data,
            dry_run=options["dry_run"],
            **({"open_accounts": True} if options.get("accounts") else {}),
        )
    except SpreadsheetError as exc:
        raise CommandError(str(exc)) from None
    counts = result.counts
    command.stdout.write(
        _("%(new)s new, %(update)s updated, %(skip)s unchanged, %(invalid)s in error.")
        % {"new": counts[NEW], "update": counts[UPDATE], "skip": counts[SKIP], "invalid": counts[INVALID]}
    )
    if result.ignored_columns:
        command.stdout.write(
            _("Columns not imported: %(columns)s") % {"columns": "、".join(result.ignored_columns)}
        )
    errors = result.all_errors()
    for error in errors:
        command.stderr.write(
            _("Row %(row)s, %(column)s: %(message)s")
            % {"row": error.row or "—", "column": error.column or "—", "message": error.message}
        )
    if errors:
        raise CommandError(
            _("Nothing was imported: %(count)s problems; correct the file and run the command again.")
            % {"count": len(errors)}
        )
    for line in result.summary:
        command.stdout.write(line)
    if options["dry_run"]:
        command.stdout.write(_("Dry run: the file is correct; nothing was written."))
    else:
        command.stdout.write(_("Imported."))
    return result
