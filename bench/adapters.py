"""The import and export steps of the benchmark, written against the Excel work of issue 7:

    python manage.py import_members FILE [--dry-run] --as USERNAME
    python manage.py export_members --as USERNAME --output FILE       (the roster export; see EXPORT_COMMANDS)

Until those commands are on the checkout, each step prints "not available on this checkout" and the run goes on;
the floors (PostgreSQL COPY of the same rows, and django-import-export's default ModelResource import of the same
file) are measured all the same, so the targets have their yardstick. After the merge, adjust only the names and
arguments at the top of this file if the commands differ.
"""

import csv
import time
from pathlib import Path

IMPORT_ROWS = 10_000
EXPORT_ROWS = 100_000
IMPORT_COMMAND = "import_members"
# (command, extra arguments) tried in order for the export step.
EXPORT_COMMANDS = [("export_members", ["--limit", str(EXPORT_ROWS)]), ("export_registrations", [])]
AS_USER = "orgdept"
NUMBER_PREFIX = "IMP"  # rows the import creates; removed afterwards so the database keeps its size

# The columns of the import template (reports/imports: the provincial platform's export).
HEADERS = [
    "姓名",
    "性别",
    "工号/学号",
    "联系电话",
    "党员类别",
    "党员身份",
    "入党时间",
    "二级党组织",
    "所在党支部",
]


def _rows():
    from members.models import Branch

    branches = list(Branch.objects.filter(is_active=True).select_related("secondary").order_by("code"))
    for i in range(IMPORT_ROWS):
        branch = branches[i % len(branches)]
        yield [
            f"导入{i % 97}号",
            "女" if i % 2 else "男",
            f"{NUMBER_PREFIX}{i:08d}",
            f"139{i:08d}",
            "教师" if i % 3 else "学生",
            "正式党员",
            f"20{10 + i % 14}-0{1 + i % 9}-1{i % 10}",
            branch.secondary.name,
            branch.name,
        ]


def write_import_file(workdir: Path) -> tuple[Path, Path]:
    """The same 10,000 rows as .xlsx (for the import) and .csv (for the COPY floor)."""
    from openpyxl import Workbook

    workdir.mkdir(parents=True, exist_ok=True)
    xlsx, text = workdir / "import_members.xlsx", workdir / "import_members.csv"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("党员")
    sheet.append(HEADERS)
    with text.open("w", newline="") as handle:
        writer = csv.writer(handle)
        for row in _rows():
            sheet.append(row)
            writer.writerow(row)
    book.save(xlsx)
    return xlsx, text


def copy_import_floor(text: Path) -> float:
    """PostgreSQL COPY of the same rows into a scratch table: the least any import can take."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_import (name text, gender text, number text, phone text, category text,"
                " standing text, joined_on date, secondary text, branch text) ON COMMIT DROP"
            )
        with (
            connection.connection.cursor() as raw,
            raw.copy("COPY bench_import FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(text.read_bytes())
        transaction.set_rollback(True)
    return time.perf_counter() - start


def import_export_default_floor(xlsx: Path) -> float:
    """django-import-export's default: a plain ModelResource for Member over the same file, rolled back."""
    import tablib
    from django.db import transaction
    from django.utils import translation
    from import_export import fields, resources, widgets

    from members.models import Branch, Category, Gender, Member, SecondaryOrganization, Standing

    def choice(choices):
        """The file holds the choices' Chinese labels: a plain widget that maps them to the stored values."""
        with translation.override("zh-hans"):
            by_label = {str(label): value for value, label in choices}

        class ChoiceWidget(widgets.Widget):
            def clean(self, value, row=None, **kwargs):
                return by_label.get(value, value)

        return ChoiceWidget()

    # The columns as the file names them (HEADERS), foreign keys by name: what a developer would write first.
    class MemberResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        gender = fields.Field(attribute="gender", column_name="性别", widget=choice(Gender.choices))
        number = fields.Field(attribute="number", column_name="工号/学号")
        phone = fields.Field(attribute="phone", column_name="联系电话")
        category = fields.Field(attribute="category", column_name="党员类别", widget=choice(Category.choices))
        standing = fields.Field(attribute="standing", column_name="党员身份", widget=choice(Standing.choices))
        joined_on = fields.Field(
            attribute="joined_on", column_name="入党时间", widget=widgets.DateWidget("%Y-%m-%d")
        )
        secondary = fields.Field(
            attribute="secondary",
            column_name="二级党组织",
            widget=widgets.ForeignKeyWidget(SecondaryOrganization, "name"),
        )
        branch = fields.Field(
            attribute="branch", column_name="所在党支部", widget=widgets.ForeignKeyWidget(Branch, "name")
        )

        class Meta:
            model = Member
            import_id_fields = ["number"]
            fields = [
                "name",
                "gender",
                "number",
                "phone",
                "category",
                "standing",
                "joined_on",
                "secondary",
                "branch",
            ]

    dataset = tablib.Dataset().load(xlsx.read_bytes(), format="xlsx")
    start = time.perf_counter()
    with transaction.atomic():
        result = MemberResource().import_data(dataset, dry_run=False, raise_errors=False)
        transaction.set_rollback(True)
    seconds = time.perf_counter() - start
    if result.has_errors() or result.has_validation_errors():
        # A floor that failed its rows did less work than an import: it is no yardstick.
        first = (result.base_errors or [e for r in result.rows for e in r.errors] or [None])[0]
        raise RuntimeError(
            f"django-import-export's default import failed ({len(result.invalid_rows)} invalid rows): "
            f"{first.error if first else result.invalid_rows[0].error_dict}"
        )
    totals = result.totals
    if totals.get("new", 0) + totals.get("update", 0) != IMPORT_ROWS:
        raise RuntimeError(
            f"django-import-export's default import wrote {dict(totals)}, not {IMPORT_ROWS} rows"
        )
    return seconds


def copy_export_floor(workdir: Path) -> float:
    from django.db import connection

    out = workdir / "export_floor.csv"
    start = time.perf_counter()
    with connection.connection.cursor() as raw, out.open("wb") as handle:
        query = (
            "COPY (SELECT m.name, m.number, m.phone, m.category, m.mobility_reason, s.name, b.name"
            " FROM members_member m JOIN members_secondaryorganization s ON s.id = m.secondary_id"
            f" LEFT JOIN members_branch b ON b.id = m.branch_id ORDER BY m.number LIMIT {EXPORT_ROWS}) TO STDOUT"
        )
        with raw.copy(query) as copy:
            for block in copy:
                handle.write(block)
    return time.perf_counter() - start


def _remove_imported() -> None:
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM members_member WHERE number LIKE %s", [f"{NUMBER_PREFIX}%"])
    except DatabaseError as exc:  # rows the import linked to them: the next run imports "unchanged" rows
        print(f"  (could not remove the imported members: {exc})")


def run_all(env, workdir: Path, run_measured) -> dict:
    from django.core.management import get_commands

    commands = get_commands()
    result = {}
    xlsx, text = write_import_file(workdir)
    copy_floor = copy_import_floor(text)
    try:
        default_floor = import_export_default_floor(xlsx)
    except RuntimeError as exc:
        print(f"  {exc}")
        default_floor = None
    default_text = f"{default_floor:.1f} s" if default_floor else "failed"
    floors = f"COPY {copy_floor:.2f} s; import-export default {default_text}"
    print(f"  import floors: {floors}")
    if IMPORT_COMMAND in commands:
        preview = run_measured(env, IMPORT_COMMAND, str(xlsx), "--dry-run", "--as", AS_USER)
        confirm = run_measured(env, IMPORT_COMMAND, str(xlsx), "--as", AS_USER)
        _remove_imported()
        if "error" in preview or "error" in confirm:
            result["import 10,000 rows"] = {
                "skipped": "failed: " + (preview.get("error") or confirm.get("error"))[-200:]
            }
        else:
            total = preview["s"] + confirm["s"]
            ratio = default_floor / confirm["s"] if default_floor and confirm["s"] else 0
            result["import 10,000 rows"] = {
                "value": f"{preview['s']} + {confirm['s']} s",
                "floor": floors,
                "target": f"< {15} s, >= 5x default",
                "ok": "ok" if total < 15 and ratio >= 5 else "MISSED",
                "preview": preview,
                "confirm": confirm,
                "speedup_vs_default": round(ratio, 1),
            }
    else:
        result["import 10,000 rows"] = {
            "skipped": f"not available on this checkout ({IMPORT_COMMAND})",
            "floor": floors,
            "copy_floor_s": round(copy_floor, 2),
            "import_export_default_s": round(default_floor, 1) if default_floor else None,
        }

    export_floor = copy_export_floor(workdir)
    print(f"  export floor: COPY {export_floor:.2f} s")
    available = [(name, extra) for name, extra in EXPORT_COMMANDS if name in commands]
    if available:
        name, extra = available[0]
        out = workdir / "export.xlsx"
        step = run_measured(env, name, "--as", AS_USER, "--output", str(out), *extra)
        if "error" in step:
            result["export 100,000 rows"] = {"skipped": "failed: " + step["error"][-200:]}
        else:
            result["export 100,000 rows"] = {
                "value": f"{step['s']} s, {step['peak_mb']} MB",
                "floor": f"COPY {export_floor:.2f} s",
                "target": "< 20 s, < 300 MB",
                "ok": "ok" if step["s"] < 20 and step["peak_mb"] < 300 else "MISSED",
                **step,
            }
    else:
        result["export 100,000 rows"] = {
            "skipped": "not available on this checkout (" + " / ".join(n for n, _e in EXPORT_COMMANDS) + ")",
            "floor": f"COPY {export_floor:.2f} s",
            "copy_floor_s": round(export_floor, 2),
        }
    return result
