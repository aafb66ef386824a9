"""Demo registrations for `seed_demo`: every state, some overdue, some due this week, intra- and
cross-province, one refused, one managed by an origin's mobile-member organisation. Made through the
services, as the secretaries would, with dates relative to today. Idempotent: members who already have a
registration are skipped."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from members import permissions
from members.demo.data import DEMO_PASSWORD
from members.models import Category, Gender, Member, MobilityReason, Notification, RoleAssignment, User

from . import jobs, services
from .models import BatchCampaign, ChangeKind, Division, EndReason, InflowSource, OrgKind

INTRA = ["510104", "510107", "511002", "511302", "510704"]  # 成都锦江/武侯, 内江市中, 南充顺庆, 绵阳涪城
CROSS = ["110108", "440305", "500103", "330106", "420111"]  # 北京海淀, 深圳南山, 重庆渝中, 杭州西湖, 武汉洪山

# (days since registration, destination list, steps after registration)
OUTFLOW_SCENARIOS = [
    ("draft", None, INTRA, []),
    ("fresh", 3, INTRA, []),
    ("due_this_week", 25, INTRA, []),
    ("overdue_intra", 40, INTRA, []),
    ("reported_cross", 50, CROSS, [("report_in", 45)]),
    ("overdue_cross", 70, CROSS, [("report_in", 60)]),
    ("accepted_on_time", 60, INTRA, [("report_in", 55), ("accept", 45)]),
    ("accepted_late", 100, INTRA, [("report_in", 80), ("accept", 60)]),
    ("refused", 20, CROSS, [("report_in", 15), ("refuse", 10)]),
    ("returned", 200, INTRA, [("report_in", 190), ("accept", 185), ("end_returned", 10)]),
    ("cancelled", 30, INTRA, [("end_cancelled", 28)]),
]

INFLOW_SCENARIOS = [
    ("notified", 10, "510104", []),
    ("contacted", 20, "511102", [("contact", 15)]),
    ("registered_overdue", 65, "430102", [("contact", 50), ("register", 45)]),
    ("accepted", 40, "510107", [("contact", 38), ("register", 36), ("accept", 30)]),
    ("managed_by_origin", 30, "320102", [("contact", 25), ("register", 24), ("origin", 20)]),
    ("ended", 300, "500103", [("contact", 290), ("register", 288), ("accept", 280), ("end", 5)]),
]

ORIGINS = [
    "中共四川师范大学委员会",
    "中共西南交通大学委员会",
    "中共湖南师范大学委员会",
    "中共南京师范大学委员会",
    "中共成都市武侯区委员会",
    "中共重庆师范大学委员会",
]


def _secretary(secondary):
    role = RoleAssignment.objects.filter(role="secondary_secretary", secondary=secondary).select_related(
        "user"
    )
    return role.first().user if role.exists() else User.objects.get(username="orgdept")


def _outflow_data(i: int, codes: list[str], today, member: Member) -> dict:
    county = Division.objects.get(pk=codes[i % len(codes)])
    return {
        "contact_phone": member.phone or f"1390000{i:04d}",
        "destination_unit": [
            "四川大学",
            "成都市第七中学",
            "华为技术有限公司",
            "乐山市人民政府",
            "北京师范大学",
        ][i % 5],
        "unit_has_party_org": i % 3 != 0,
        "destination_org_name": f"{county.name}{['第一', '机关', '教工', '联合'][i % 4]}党支部",
        "destination_org_kind": OrgKind.UNIT if i % 3 != 0 else OrgKind.PARK,
        "destination_county": county,
        "departure_on": today - timedelta(days=120 + i),
        "expected_return_on": today + timedelta(days=200 + i),
        "paired_contact": ["李老师", "王书记", "张老师"][i % 3],
        "paired_contact_phone": "0833-2270000",
        "platform_recorded_on": today - timedelta(days=100) if i % 2 else None,
        "pre_departure_education_on": today - timedelta(days=125 + i),
    }


def _run_outflow(scenario, i, member, actor, today):
    name, days, codes, steps = scenario
    data = _outflow_data(i, codes, today, member)
    if days is None:
        return services.outflow_create(actor=actor, member=member, data=data, register=False)
    outflow = services.outflow_create(
        actor=actor, member=member, data=data, register=True, registered_on=today - timedelta(days=days)
    )
    for step, ago in steps:
        on = today - timedelta(days=ago)
        if step == "report_in":
            services.outflow_report_in(outflow=outflow, actor=actor, reported_on=on)
        elif step == "accept":
            services.outflow_accept(outflow=outflow, actor=actor, accepted_on=on)
        elif step == "refuse":
            services.outflow_refuse(
                outflow=outflow,
                actor=actor,
                refused_on=on,
                reason="该单位党组织已撤并，建议纳入所在园区党组织管理",
            )
        elif step == "end_returned":
            services.outflow_end(outflow=outflow, actor=actor, ended_on=on, end_reason=EndReason.RETURNED)
        elif step == "end_cancelled":
            services.outflow_end(
                outflow=outflow, actor=actor, ended_on=on, end_reason=EndReason.CANCELLED, note="外出计划取消"
            )
    return outflow


def _run_inflow(scenario, i, secondary, actor, today, member=None):
    name, days, origin_code, steps = scenario
    data = {
        "origin_org_name": ORIGINS[i % len(ORIGINS)],
        "origin_contact": "刘老师",
        "origin_contact_phone": "028-84760000",
        "origin_county": Division.objects.get(pk=origin_code),
        "origin_registered_on": today - timedelta(days=days),
        "source": [InflowSource.PLATFORM, InflowSource.SCREENING, InflowSource.SELF_REPORT][i % 3],
        "work_unit": "乐山师范学院",
        "reason": MobilityReason.NEW_TEACHER_UNTRANSFERRED,
        "designated_contact": "陈老师",
        "designated_contact_phone": "13700000000",
    }
    new_person = None
    if member is None:
        new_person = {
            "name": ["孙浩然", "周佳怡", "吴宇航", "郑思远", "冯雨桐", "褚明轩"][i % 6],
            "gender": Gender.MALE if i % 2 else Gender.FEMALE,
            "number": f"IN{secondary.code}{i:03d}",
            "category": Category.NEW_TEACHER,
            "phone": f"1380000{i:04d}",
        }
        if Member.objects.filter(number=new_person["number"]).exists():
            return None
    inflow = services.inflow_create(
        actor=actor, secondary=secondary, data=data, member=member, new_person=new_person
    )
    branch = secondary.branches.filter(is_active=True).order_by("code").first()
    for step, ago in steps:
        on = today - timedelta(days=ago)
        if step == "contact":
            services.inflow_contact(inflow=inflow, actor=actor, contacted_on=on)
        elif step == "register":
            services.inflow_register(inflow=inflow, actor=actor, registered_on=on)
        elif step == "accept":
            services.inflow_accept(inflow=inflow, actor=actor, branch=branch, accepted_on=on)
        elif step == "origin":
            services.inflow_record_origin_management(
                inflow=inflow,
                actor=actor,
                origin_mpo_name="南京市新就业群体流动党员党支部",
                origin_confirmed_on=on,
            )
        elif step == "end":
            services.inflow_end(inflow=inflow, actor=actor, ended_on=on, end_reason=EndReason.TRANSFERRED)
    return inflow


@transaction.atomic
def load_demo(stdout=None) -> None:
    today = timezone.localdate()
    created = 0
    secondaries = {
        m.secondary for m in Member.objects.filter(mobility_reason__gt="").select_related("secondary")
    }
    for secondary in sorted(secondaries, key=lambda s: s.code):
        if not secondary.is_active:
            continue
        actor = _secretary(secondary)
        candidates = list(
            Member.objects.filter(
                secondary=secondary,
                mobility_reason__gt="",
                user__isnull=True,
                outflows__isnull=True,
                inflows__isnull=True,
                branch__isnull=False,
            ).order_by("number")[: len(OUTFLOW_SCENARIOS)]
        )
        already = secondary.outflows.count()
        for i, member in enumerate(candidates):
            if already >= len(OUTFLOW_SCENARIOS):
                break
            _run_outflow(OUTFLOW_SCENARIOS[(i + already) % len(OUTFLOW_SCENARIOS)], i, member, actor, today)
            already += 1
            created += 1
        if secondary.code in {"S01", "S02", "S03", "S04"} and not secondary.inflows.exists():
            for i, scenario in enumerate(INFLOW_SCENARIOS):
                if _run_inflow(scenario, i, secondary, actor, today):
                    created += 1
    created += _load_named(today)
    _load_campaigns(today)
    jobs.intake_deadlines_check(today=today)
    # The demo's notices show under the bell; they are not e-mailed (the e-mail task finds them claimed).
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    if stdout:
        stdout.write(f"registrations: +{created}")


def _load_campaigns(today) -> None:
    """The latest March or October campaign: closed if its month is over, half the organisations submitted."""
    year = today.year if today.month >= 3 else today.year - 1
    month = 10 if (today.month >= 10 or today.month < 3) else 3
    if today.month < 3:
        year = today.year - 1
    if BatchCampaign.objects.filter(year=year, month=month).exists():
        return
    campaign = jobs.campaign_open(today=date(year, month, 1))
    figures = jobs.campaign_figures_by_organisation(campaign=campaign)
    for task in campaign.tasks.select_related("secondary").order_by("secondary__code"):
        actor = _secretary(task.secondary)
        if not permissions.can(actor, "submit_campaign_report", task):
            continue
        f = figures.get(task.secondary_id, jobs.EMPTY_FIGURES)
        services.campaign_report_submit(
            task=task,
            actor=actor,
            figures=f,
            data={
                **f,
                "members_reviewed": True,
                "note": "",
                "pending_reasons": "流入地党组织尚未反馈接收情况，已多次电话联系"
                if f["intakes_pending"]
                else "",
            },
        )
    if campaign.closes_on < today:
        jobs.campaign_close(today=campaign.closes_on)


def _load_named(today) -> int:
    """member_a's open outflow, member_in's inflow (with an account) and a pending change report."""
    created = 0
    member_a = Member.objects.get(user__username="member_a")
    sec_a = User.objects.get(username="sec_a")
    if not member_a.outflows.exists():
        outflow = services.outflow_create(
            actor=sec_a,
            member=member_a,
            register=True,
            registered_on=today - timedelta(days=20),
            data={
                **_outflow_data(2, CROSS, today, member_a),
                "destination_unit": "重庆大学",
                "destination_org_name": "重庆大学教育学院博士生党支部",
                "destination_county": Division.objects.get(pk="500106"),
            },
        )
        services.outflow_report_in(outflow=outflow, actor=sec_a, reported_on=today - timedelta(days=12))
        created += 1
        member_user = User.objects.get(username="member_a")
        services.member_report_change(
            actor=member_user,
            data={
                "kind": ChangeKind.CONTACT,
                "effective_on": today - timedelta(days=2),
                "new_phone": "13990001234",
                "details": "更换了手机号码",
            },
        )
    if not User.objects.filter(username="member_in").exists():
        user = User.objects.create_user(
            username="member_in",
            email="member_in@demo.flowparty.local",
            password=DEMO_PASSWORD,
            full_name="林晓彤",
        )
        secondary = member_a.secondary
        inflow = _run_inflow(
            ("registered", 25, "430102", [("contact", 20), ("register", 18)]),
            9,
            secondary,
            sec_a,
            today,
            member=None,
        )
        member = inflow.member
        member.user = user
        member.name = "林晓彤"
        member.save()
        created += 1
    return created
