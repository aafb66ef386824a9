"""Time the Excel import of N generated members (preview, then confirm), and django-import-export's default
row-by-row import of the same rows for comparison. A benchmark, not a test.

    DATABASE_URL=sqlite:////tmp/flowparty-bench.sqlite3 .venv/bin/python scripts/bench_import.py [N]

Uses its own database (migrated and seeded with the demo organisations if empty); every run starts by deleting
the members an earlier run created.
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowparty.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
PREFIX = "BENCH"


def setup():
    call_command("migrate", verbosity=0)
    from members.demo import loader
    from members.models import Member, User

    if not User.objects.filter(username="orgdept").exists():
        loader.load_accounts(loader.load_organizations())
    from registrations.models import OutflowRegistration

    OutflowRegistration.objects.filter(member__number__startswith=PREFIX).delete()
    Member.objects.filter(number__startswith=PREFIX).delete()
    return User.objects.get(username="orgdept")


def member_file(n: int) -> bytes:
    import random
    from datetime import date

    from members.demo.data import person_name
    from members.models import Branch

    rng = random.Random(n)
    branches = list(Branch.objects.filter(is_active=True).select_related("secondary"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员信息")
    sheet.append(
        [
            "姓名",
            "性别",
            "工号/学号",
            "身份证号码",
            "联系电话",
            "党员类别",
            "党员身份",
            "入党时间",
            "二级党组织",
            "所在党支部",
            "流动原因",
        ]
    )
    for i in range(n):
        branch = branches[i % len(branches)]
        gender = "male" if i % 2 else "female"
        born = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        sheet.append(
            [
                person_name(rng),
                "男" if gender == "male" else "女",
                f"{PREFIX}{i:06d}",
                _valid_id(i, born),
                f"139{i:08d}",
                ("教师", "学生", "其他职工")[i % 3],
                "正式党员",
                date(2000 + i % 24, 1 + i % 12, 1 + i % 28),
                branch.secondary.name,
                branch.name,
                ("在职攻读硕博学位", "", "顶岗支教")[i % 3],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _valid_id(i: int, born) -> str:
    from members.identity import id_number_check_char

    # Unique per row: the area code's last digits and the sequence number come from the index.
    first17 = f"5111{i // 1000 % 100:02d}{born:%Y%m%d}{i % 1000:03d}"
    return first17 + id_number_check_char(first17)


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:7.2f} s")
    return result, elapsed


def default_import(user, data: bytes):
    """django-import-export's default: a ModelResource importing row by row (get or create, full_clean, save)."""
    from import_export import fields, resources, widgets

    from members.models import Branch, Member, SecondaryOrganization
    from members.spreadsheets import read_sheet

    labels = {
        "男": "male",
        "女": "female",
        "教师": "teacher",
        "学生": "student",
        "其他职工": "other_staff",
        "正式党员": "full",
        "在职攻读硕博学位": "degree_study",
        "顶岗支教": "placement_teaching",
        "": "",
    }

    class ChoiceWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return labels.get(value or "", value)

    class DefaultMemberResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        gender = fields.Field(attribute="gender", column_name="性别", widget=ChoiceWidget())
        number = fields.Field(attribute="number", column_name="工号/学号")
        id_number = fields.Field(attribute="id_number", column_name="身份证号码")
        phone = fields.Field(attribute="phone", column_name="联系电话")
        category = fields.Field(attribute="category", column_name="党员类别", widget=ChoiceWidget())
        standing = fields.Field(attribute="standing", column_name="党员身份", widget=ChoiceWidget())
        joined_on = fields.Field(attribute="joined_on", column_name="入党时间", widget=widgets.DateWidget())
        secondary = fields.Field(
            attribute="secondary",
            column_name="二级党组织",
            widget=widgets.ForeignKeyWidget(SecondaryOrganization, "name"),
        )
        branch = fields.Field(
            attribute="branch", column_name="所在党支部", widget=widgets.ForeignKeyWidget(Branch, "name")
        )
        mobility_reason = fields.Field(
            attribute="mobility_reason", column_name="流动原因", widget=ChoiceWidget()
        )

        class Meta:
            model = Member
            import_id_fields = ("number",)
            fields = (
                "name",
                "gender",
                "number",
                "id_number",
                "phone",
                "category",
                "standing",
                "joined_on",
                "secondary",
                "branch",
                "mobility_reason",
            )
            skip_diff = False

    from members.resources import MemberResource

    sheet = read_sheet(name="bench.xlsx", data=data, known_headers=MemberResource.known_headers())
    dataset = sheet.dataset
    dataset.headers = [
        "姓名",
        "性别",
        "工号/学号",
        "身份证号码",
        "联系电话",
        "党员类别",
        "党员身份",
        "入党时间",
        "二级党组织",
        "所在党支部",
        "流动原因",
    ]
    return DefaultMemberResource().import_data(dataset, dry_run=True)


def outflow_file(n: int) -> bytes:
    from datetime import timedelta

    from django.utils import timezone

    from members.models import Member

    today = timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("流出登记")
    sheet.append(
        [
            "姓名",
            "工号/学号",
            "流动原因",
            "流出登记日期",
            "外出时间",
            "外出地点所在县（市、区）",
            "流入地（单位）基层党组织名称",
            "结对联系人",
            "流出期间联系电话",
        ]
    )
    counties = ["510104", "成都市锦江区", "四川省乐山市市中区", "500103", "北京市东城区"]
    members = (
        Member.objects.filter(number__startswith=PREFIX).order_by("number").values_list("name", "number")
    )
    for i, (name, number) in enumerate(members[:n]):
        day = today - timedelta(days=1 + i % 200)
        sheet.append(
            [
                name,
                number,
                "在职攻读硕博学位",
                day if i % 4 else None,
                day,
                counties[i % len(counties)],
                "某单位党支部",
                "李老师",
                f"139{i:08d}",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def outflow_bench(user, *, kind):
    from registrations.models import OutflowRegistration

    data, _ = timed(f"generate a {N}-row outflow file", lambda: outflow_file(N))
    (preview, token), t_preview = timed("web preview of outflows", lambda: kind_preview(kind, user, data))
    assert preview.ok and token, preview.all_errors()[:5]
    confirm, t_confirm = timed("web confirm of outflows", lambda: kind_confirm(kind, user, token))
    assert confirm.written
    assert OutflowRegistration.objects.filter(member__number__startswith=PREFIX).count() == N
    print(f"{'outflows: web preview + confirm':<52} {t_preview + t_confirm:7.2f} s")


def kind_preview(kind, user, data):
    from reports import imports

    return imports.preview(kind, user=user, name="bench.xlsx", data=data)


def kind_confirm(kind, user, token):
    from reports import imports

    return imports.confirm(kind, user=user, token=token)


def main():
    from members.models import Member
    from members.resources import MemberResource, run_import
    from reports import imports

    user = setup()
    kind = imports.KINDS["members"]
    data, _ = timed(f"generate a {N}-row file", lambda: member_file(N))
    print(f"{'file size':<52} {len(data) / 1024:7.0f} KB")
    (preview, token), t_preview = timed(
        "web preview (read, check every row, keep the file)",
        lambda: imports.preview(kind, user=user, name="bench.xlsx", data=data),
    )
    assert preview.ok and token, preview.all_errors()[:5]
    confirm, t_confirm = timed(
        "web confirm (check every row again, write in bulk)",
        lambda: imports.confirm(kind, user=user, token=token),
    )
    assert confirm.written and Member.objects.filter(number__startswith=PREFIX).count() == N
    print(f"{'web preview + confirm':<52} {t_preview + t_confirm:7.2f} s")
    again, _ = timed(
        "command --dry-run of the same file (all unchanged)",
        lambda: run_import(MemberResource, user=user, name="bench.xlsx", data=data, dry_run=True),
    )
    assert again.counts["skip"] == N
    Member.objects.filter(number__startswith=PREFIX).delete()
    _, t_command = timed(
        "command without --dry-run (read, check, write)",
        lambda: run_import(MemberResource, user=user, name="bench.xlsx", data=data, dry_run=False),
    )
    outflow_bench(user, kind=imports.KINDS["outflows"])
    from registrations.models import OutflowRegistration

    OutflowRegistration.objects.filter(member__number__startswith=PREFIX).delete()
    Member.objects.filter(number__startswith=PREFIX).delete()
    if "--no-default" not in sys.argv:
        default, t_default = timed(
            "django-import-export default import (dry run)", lambda: default_import(user, data)
        )
        print(f"{'default / (web preview + confirm)':<52} {t_default / (t_preview + t_confirm):7.1f} x")
        print(f"{'default / command':<52} {t_default / t_command:7.1f} x")


if __name__ == "__main__":
    main()
