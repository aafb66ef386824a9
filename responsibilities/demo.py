"""Demo checklist records for `seed_demo`, made through the services as the secretaries would, with dates
relative to today, so that every organisation's matrix shows items met, due, overdue and exempt.

Idempotent: an organisation that already has contact logs is skipped; allotments and consultations are
keyed by year and subject.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from members.models import Member, SecondaryOrganization, Standing, User
from members.services import member_update
from registrations.demo import _secretary
from registrations.models import InflowRegistration, OutflowRegistration

from . import rules, services
from .models import (
    CareCircumstance,
    CareService,
    CareTarget,
    ContactLog,
    ContactMethod,
    DuesAllocation,
    EvaluationResult,
    ExpensePurpose,
    InterDepartmentConsultation,
    MajorMatter,
    ProbationKind,
    RoleActivity,
    RoleActivityKind,
    SessionKind,
    SessionMode,
    SupervisionKind,
)

# Each open outflow member of an organisation gets one of these, in turn (by staff/student number).
PATTERNS = ["diligent", "lapsed", "missed", "exempt", "supervised", "diligent", "lapsed", "diligent"]


def _period_dates(today):
    quarter = rules.period_containing(rules.Cadence.QUARTER, today)
    half = rules.period_containing(rules.Cadence.HALF_YEAR, today)
    return {
        "this_quarter": max(quarter.start, today - timedelta(days=5)),
        "last_quarter": quarter.start - timedelta(days=20),
        "this_half": max(half.start, today - timedelta(days=10)),
        "last_half": half.start - timedelta(days=30),
        "quarter_end_month": quarter.end.replace(day=1),
        "last_quarter_end_month": (quarter.start - timedelta(days=1)).replace(day=1),
    }


def _not_before(day, start):
    """The day, moved to the mobility's start when it would come before it (never after today)."""
    return min(max(day, start), timezone.localdate())


def _outflow_records(outflow: OutflowRegistration, pattern: str, actor, today, d) -> None:
    member = outflow.member
    start = outflow.departure_on or outflow.registered_on or today
    if member.user_id and pattern in ("supervised", "missed", "exempt"):
        pattern = "lapsed"  # the demo accounts' own records stay ordinary
    if pattern == "exempt" and not member.is_exempt:
        member = member_update(
            member=member, actor=actor, data={"is_exempt": True, "exempt_reason": "身患重病，行动不便"}
        )
    if pattern in ("diligent", "exempt", "supervised"):
        services.contact_record(
            actor=actor,
            member=member,
            data={
                "contacted_on": _not_before(d["this_quarter"], start),
                "method": ContactMethod.PHONE,
                "with_whom": "本人及流入地党支部书记",
                "learnt": "工作学习表现良好，按时参加流入地党支部组织生活。",
                "fed_back": True,
            },
        )
    if pattern in ("diligent", "lapsed") and d["last_quarter"] >= start:
        services.contact_record(
            actor=actor,
            member=member,
            data={
                "contacted_on": d["last_quarter"],
                "method": ContactMethod.ONLINE,
                "with_whom": "本人",
                "learnt": "通过微信视频了解近况，思想稳定。",
                "fed_back": False,
            },
        )
    if pattern == "diligent":
        services.role_activity_record(
            actor=actor,
            member=member,
            data={
                "kind": RoleActivityKind.SCHOOL_LOCALITY,
                "held_on": _not_before(today - timedelta(days=15), start),
                "description": "参与校地党建联建项目，为当地中小学开展教学指导。",
            },
        )
        services.care_visit_record(
            actor=actor,
            member=member,
            data={
                "visited_on": _not_before(today - timedelta(days=25), start),
                "target": CareTarget.EMPTY_NEST_PARENTS,
                "circumstance": CareCircumstance.ROUTINE,
                "support": "走访慰问空巢老人，送去慰问品，了解家庭实际困难。",
                "service": CareService.NONE,
                "amount": Decimal("500.00"),
            },
        )
        services.thought_report_record(
            actor=actor,
            member=member,
            data={
                "submitted_on": _not_before(d["this_quarter"], start),
                "title": "本季度思想汇报",
                "content": "本季度认真学习党的创新理论，积极参加流入地党支部组织生活，按时交纳党费。",
            },
        )
        services.dues_record(
            actor=actor,
            member=member,
            data={
                "paid_on": _not_before(d["this_quarter"], start),
                "paid_through": d["quarter_end_month"],
                "amount": Decimal("90.00"),
                "paid_to": "流入地党支部",
            },
        )
    if pattern == "lapsed":
        services.dues_record(
            actor=actor,
            member=member,
            data={
                "paid_on": _not_before(d["last_quarter"], start),
                "paid_through": d["last_quarter_end_month"],
                "amount": Decimal("60.00"),
                "paid_to": "",
            },
        )
    if pattern == "supervised":
        services.supervision_record(
            actor=actor,
            member=member,
            data={
                "kind": SupervisionKind.DISPOSAL,
                "occurred_on": _not_before(today - timedelta(days=30), start),
                "issue": "长期不参加组织生活、不交纳党费，经批评教育仍不改正。",
                "action": "经支部大会讨论，依规作出组织处置。",
                "sent_to": "",
                "sent_on": None,
            },
        )
    if member.standing == Standing.PROBATIONARY and pattern != "missed":
        services.probation_record(
            actor=actor,
            member=member,
            data={
                "kind": ProbationKind.CONDUCT,
                "recorded_on": _not_before(d["this_half"], max(start, member.joined_on or start)),
                "conduct": "外出期间表现良好，流入地党支部出具了考察意见。",
                "source": "流入地党支部",
                "decision": "",
            },
        )


def _inflow_records(inflow: InflowRegistration, index: int, actor, today, d) -> None:
    member = inflow.member
    start = inflow.origin_registered_on
    if index % 3 != 2:
        services.contact_record(
            actor=actor,
            member=member,
            data={
                "contacted_on": _not_before(today - timedelta(days=3), start),
                "method": ContactMethod.HOME_VISIT,
                "with_whom": "本人",
                "learnt": "已融入本支部，工作积极。已向流出地党支部反馈表现情况。",
                "fed_back": True,
            },
        )
    if index % 2 == 0:
        services.care_visit_record(
            actor=actor,
            member=member,
            data={
                "visited_on": _not_before(today - timedelta(days=8), start),
                "target": CareTarget.MEMBER,
                "circumstance": CareCircumstance.ROUTINE,
                "support": "介绍学校人才公寓政策，协助解决住房问题。",
                "service": CareService.RIGHTS,
                "amount": None,
            },
        )
    if index % 3 == 0 and start <= today - timedelta(days=20):
        evaluated = today - timedelta(days=10)
        services.evaluation_record(
            actor=actor,
            member=member,
            data={
                "year": evaluated.year,
                "agreed_with_origin_on": today - timedelta(days=20),
                "evaluated_on": evaluated,
                "result": EvaluationResult.QUALIFIED,
                "comments": "",
                "fed_back_on": evaluated if index % 2 == 0 else None,
            },
        )


def _sessions(secondary, actor, members, today) -> None:
    if not members:
        return
    # The last Spring Festival that has passed (Art. 6: organise org life around it).
    festival = next(
        (
            day
            for year, day in sorted(rules.SPRING_FESTIVAL.items(), reverse=True)
            if day + timedelta(3) <= today
        ),
        None,
    )
    sessions = [
        (
            SessionKind.TRAINING,
            "线上专题学习：学习贯彻党的二十届三中全会精神",
            today - timedelta(days=12),
            SessionMode.ONLINE,
        ),
    ]
    if festival:
        sessions.append(
            (
                SessionKind.ORG_LIFE,
                "春节返乡流动党员座谈会",
                festival + timedelta(days=3),
                SessionMode.OFFLINE,
            )
        )
    for kind, title, held_on, mode in sessions:
        services.session_record(
            actor=actor,
            secondary=secondary,
            branch=None,
            data={
                "kind": kind,
                "title": title,
                "held_on": held_on,
                "mode": mode,
                "place": "腾讯会议" if mode == SessionMode.ONLINE else "学院党员活动室",
                "content": "组织流动党员学习交流，通报学院发展情况，听取意见建议。",
            },
            attendees=members,
        )


def _load_organization(secondary, today) -> int:
    actor = _secretary(secondary)
    d = _period_dates(today)
    outflows = list(
        OutflowRegistration.objects.filter(secondary=secondary)
        .exclude(state="ended")
        .select_related("member")
        .order_by("member__number")
    )
    inflows = list(
        InflowRegistration.objects.filter(secondary=secondary)
        .exclude(state="ended")
        .select_related("member")
        .order_by("member__number")
    )
    for i, outflow in enumerate(outflows):
        _outflow_records(outflow, PATTERNS[i % len(PATTERNS)], actor, today, d)
    for i, inflow in enumerate(inflows):
        _inflow_records(inflow, i, actor, today, d)
    # Org life and training: the diligent and exempt members attended (an exempt member may still come).
    attending = [
        o.member for i, o in enumerate(outflows) if PATTERNS[i % len(PATTERNS)] in ("diligent", "exempt")
    ] + [inflow.member for i, inflow in enumerate(inflows) if i % 2 == 0]
    _sessions(secondary, actor, attending, today)
    consulted = [o.member for o in outflows[:4] if o.member.secondary_id == secondary.pk]
    if consulted:
        services.consultation_record(
            actor=actor,
            secondary=secondary,
            data={
                "matter": MajorMatter.BRANCH_ELECTION,
                "subject": f"{secondary.short_name or secondary.name}教工党支部换届选举",
                "consulted_on": today - timedelta(days=40),
                "method": "电话、微信征求意见",
                "opinions": "流动党员均赞成换届方案，建议增加线上参会方式。",
            },
            members=consulted,
        )
    return len(outflows) + len(inflows)


def _load_member_a(today) -> None:
    """member_a (a teacher away for a doctorate) reports their own duties: some done, some outstanding."""
    user = User.objects.get(username="member_a")
    member = Member.objects.get(user=user)
    if RoleActivity.objects.filter(member=member, by_member=True).exists():
        return
    outflow = member.outflows.exclude(state="ended").first()
    if outflow is None:
        return
    start = outflow.departure_on or today
    services.member_thought_report(
        actor=user,
        data={
            "submitted_on": _not_before(today - timedelta(days=2), start),
            "title": "在外攻读博士学位期间的思想汇报",
            "content": "在重庆大学攻读博士学位期间，坚持理论学习，按时参加教育学院博士生党支部的组织生活。",
        },
    )
    services.member_role_activity(
        actor=user,
        data={
            "kind": RoleActivityKind.DUAL_REPORTING,
            "held_on": _not_before(today - timedelta(days=6), start),
            "description": "向居住地社区党组织报到，参加社区志愿服务。",
        },
    )


def _load_department(today) -> None:
    orgdept = User.objects.get(username="orgdept")
    for code, amount, spent in (("S01", "20000.00", "6800.00"), ("S02", "15000.00", "0")):
        secondary = SecondaryOrganization.objects.filter(code=code).first()
        if secondary is None or DuesAllocation.objects.filter(year=today.year, secondary=secondary).exists():
            continue
        allocation = services.allocation_create(
            actor=orgdept,
            data={
                "year": today.year,
                "secondary": secondary,
                "amount": Decimal(amount),
                "allotted_on": today.replace(month=1, day=15)
                if today >= today.replace(month=1, day=15)
                else today,
                "note": "流动党员教育培训、活动开展和困难帮扶",
            },
        )
        if Decimal(spent):
            services.expense_record(
                actor=_secretary(secondary),
                allocation=allocation,
                data={
                    "spent_on": today - timedelta(days=20) if today.timetuple().tm_yday > 20 else today,
                    "purpose": ExpensePurpose.HARDSHIP,
                    "amount": Decimal(spent),
                    "description": "慰问生活困难流动党员及空巢老人",
                },
            )
    if not InterDepartmentConsultation.objects.exists():
        services.inter_department_consultation_record(
            actor=orgdept,
            data={
                "held_on": today - timedelta(days=60),
                "counterpart": "中共重庆市沙坪坝区委组织部",
                "departments": "区委社会工作部、公安分局、人力资源和社会保障局",
                "topics": "我校在渝攻读博士学位教师党员的接收纳管与日常教育管理。",
                "outcome": "建立季度信息互通机制，明确双方联系人。",
            },
        )


def load_demo(stdout=None) -> None:
    today = timezone.localdate()
    members = 0
    for secondary in SecondaryOrganization.objects.filter(is_active=True).order_by("code"):
        if ContactLog.objects.filter(secondary=secondary).exists():
            continue
        members += _load_organization(secondary, today)
    _load_member_a(today)
    _load_department(today)
    if stdout:
        stdout.write(f"checklists: records for {members} mobile members")
