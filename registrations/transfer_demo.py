"""Demo transfers and retention for `seed_demo` (after registrations.demo): a transfer in each state, one
due suggestion of each Art. 5 kind, one member abroad, a graduate kept two years. Made through the services,
as the secretaries would. Idempotent: nothing is added once any transfer exists."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from members.models import Category, Member, MobilityReason, SecondaryOrganization, User
from members.services import member_create

from . import services, transfer_services
from .demo import _outflow_data, _secretary
from .models import Division, OutflowRegistration, RelationTransfer

OUT = {"to_org_name": "中共成都市武侯区委员会", "other_county": "510107"}
CROSS = {"to_org_name": "中共重庆大学委员会", "other_county": "500106"}


def _free_members(secondary, *, category=None, exclude=()):
    """Members of `secondary` with a branch and nothing going on: no registration, transfer or account."""
    qs = Member.objects.filter(
        secondary=secondary,
        branch__isnull=False,
        user__isnull=True,
        outflows__isnull=True,
        inflows__isnull=True,
        transfers__isnull=True,
        retentions__isnull=True,
        whereabouts_unknown=False,
    ).exclude(pk__in=exclude)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("number")


class _Picker:
    def __init__(self, secondary):
        self.secondary = secondary
        self.used: set[int] = set()

    def __call__(self, category=None) -> Member:
        member = _free_members(self.secondary, category=category, exclude=self.used).first()
        if member is None:
            member = _free_members(self.secondary, exclude=self.used).first()
        self.used.add(member.pk)
        return member


def _data(route: dict) -> dict:
    data = dict(route)
    if "other_county" in data:
        data["other_county"] = Division.objects.get(pk=data["other_county"])
    return data


def _approver(transfer, actors):
    from members.models import RoleAssignment

    branch_secretary = RoleAssignment.objects.filter(role="branch_secretary", branch=transfer.branch).first()
    return branch_secretary.user if branch_secretary else actors["secretary"]


def _run(member, direction, route, steps, actors, today, basis="other"):
    ts = transfer_services
    transfer = ts.transfer_create(
        actor=actors["secretary"], member=member, direction=direction, data=_data(route), basis=basis
    )
    for step in steps:
        if step == "submit":
            ts.transfer_submit(transfer=transfer, actor=actors["secretary"])
        elif step == "approve_branch":
            ts.transfer_approve(transfer=transfer, actor=_approver(transfer, actors))
        elif step == "approve_secondary":
            ts.transfer_approve(transfer=transfer, actor=actors["secretary"], note="同意转出")
        elif step == "approve_department":
            ts.transfer_approve(transfer=transfer, actor=actors["department"])
        elif step == "return":
            ts.transfer_return(
                transfer=transfer,
                actor=actors["secretary"],
                reason="接收党组织名称不完整，请填写全称后重新提交",
            )
        elif step == "refuse":
            ts.transfer_refuse(
                transfer=transfer,
                actor=actors["department"],
                reason="该党员发展材料缺少政审材料，补齐前暂不转出",
            )
        elif step == "cancel":
            ts.transfer_cancel(transfer=transfer, actor=actors["secretary"], reason="党员本人决定暂缓转移")
        elif step == "check":
            for check in transfer.checks.all():
                ts.transfer_check(
                    transfer=transfer,
                    actor=actors["secretary"],
                    item=check.item,
                    note="已核查",
                    dues_paid_until=today.replace(day=1) if check.item == "dues_paid" else None,
                )
        elif step == "letter":
            ts.transfer_letter_print(transfer=transfer, actor=actors["secretary"])
        elif step == "letter_long_ago":  # issued 70 days ago, receipt never came back: flagged
            ts.transfer_letter_print(transfer=transfer, actor=actors["secretary"])
            issued = today - timedelta(days=70)
            RelationTransfer.objects.filter(pk=transfer.pk).update(
                letter_issued_on=issued,
                letter_valid_until=issued + timedelta(days=transfer.letter_valid_days),
            )
        elif step == "receipt":
            ts.transfer_receipt_record(
                transfer=transfer, actor=actors["secretary"], returned_on=today, note="回执已收到"
            )
        elif step == "complete":
            ts.transfer_complete(transfer=transfer, actor=actors["secretary"], completed_on=today)
    return transfer


def _outflow(member, actor, today, i, *, registered_days_ago=60, **facts):
    data = {**_outflow_data(i, ["510104", "510107", "511002"], today, member), **facts}
    return services.outflow_create(
        actor=actor,
        member=member,
        data=data,
        register=True,
        registered_on=today - timedelta(days=registered_days_ago),
    )


APPROVE_ALL = ["submit", "approve_branch", "approve_secondary", "approve_department"]


@transaction.atomic
def load_demo(stdout=None) -> None:
    if RelationTransfer.objects.exists():
        if stdout:
            stdout.write("transfers: +0")
        return
    today = timezone.localdate()
    orgs = {s.code: s for s in SecondaryOrganization.objects.filter(code__in=["S01", "S02", "S05", "S07"])}
    department = User.objects.get(username="orgdept")
    actors = {"secretary": _secretary(orgs["S01"]), "department": department}
    pick = _Picker(orgs["S01"])
    created = 0

    # --- A transfer in each state (sec_a's organisation, so the demo accounts see them) ---------------------
    scenarios = [
        ("out", OUT, [], "other"),  # draft
        ("out", OUT, ["submit"], "contract"),  # awaiting the branch
        (
            "internal",
            {"to_branch": orgs["S02"].branches.order_by("code").first()},
            ["submit", "approve_branch"],
            "other",
        ),
        (
            "out",
            CROSS,
            ["submit", "approve_branch", "approve_secondary", "check"],
            "residence",
        ),  # the department
        ("out", OUT, ["submit", "approve_branch", "approve_secondary"], "other"),  # the department (batch)
        ("out", OUT, ["submit", "approve_branch", "return"], "other"),  # returned for revision
        ("out", CROSS, ["submit", "approve_branch", "approve_secondary", "refuse"], "other"),  # refused
        ("out", OUT, [*APPROVE_ALL, "check", "letter_long_ago"], "contract"),  # approved, receipt overdue
        ("out", CROSS, [*APPROVE_ALL, "check", "letter", "receipt", "complete"], "residence"),  # completed
        ("out", OUT, ["submit", "cancel"], "other"),  # cancelled
    ]
    for i, (direction, route, steps, basis) in enumerate(scenarios):
        member = pick(Category.TEACHER if i % 2 else None)
        if "complete" in steps:  # away first: completing ends the outflow as transferred
            _outflow(member, actors["secretary"], today, i, registered_days_ago=300)
        _run(member, direction, route, steps, actors, today, basis=basis)
        created += 1
    # A transfer in of a new teacher whose relation was elsewhere, completed.
    newcomer = (
        Member.objects.filter(secondary=orgs["S01"], branch__isnull=True, category=Category.NEW_TEACHER)
        .exclude(inflows__isnull=False)
        .order_by("number")
        .first()
    )
    if newcomer is not None:
        route = {
            "from_org_name": newcomer.origin_organization or "中共四川师范大学委员会",
            "other_county": "510104",
            "to_branch": orgs["S01"].branches.order_by("code").first(),
        }
        _run(newcomer, "in", route, [*APPROVE_ALL, "check", "complete"], actors, today, basis="new_teacher")
        created += 1

    # --- One due suggestion of each kind (Art. 5) ------------------------------------------------------------
    secretary = actors["secretary"]
    _outflow(
        pick(), secretary, today, 1, housing_kind="rented", housing_since=today - relativedelta(months=8)
    )
    _outflow(pick(), secretary, today, 2, contract_signed_on=today - timedelta(days=40), contract_months=24)
    _outflow(pick(Category.TEACHER), secretary, today, 3, reason=MobilityReason.SECONDMENT)
    abroad = pick(Category.STUDENT)
    _outflow(abroad, secretary, today, 4, reason=MobilityReason.EXCHANGE_STUDY, going_abroad=True)
    member_a_outflow = (
        OutflowRegistration.objects.filter(member__user__username="member_a").exclude(state="ended").first()
    )
    if member_a_outflow is not None:  # 王思雨 studies for a doctorate at 重庆大学
        services.outflow_update(outflow=member_a_outflow, actor=secretary, data={"doctoral_study": True})
    else:
        _outflow(
            pick(Category.TEACHER),
            secretary,
            today,
            5,
            reason=MobilityReason.DEGREE_STUDY,
            doctoral_study=True,
        )
    retiree = _free_members(orgs["S07"], category=Category.RETIREE).first()
    if retiree is not None:
        _outflow(
            retiree,
            _secretary(orgs["S07"]),
            today,
            6,
            reason=MobilityReason.RETIREE_ELSEWHERE,
            has_fixed_unit=False,
            destination_org_kind="residence",
            wishes_to_transfer=True,
        )
    if not Member.objects.filter(category=Category.UPGRADE_STUDENT, branch__isnull=True).exists():
        member_create(
            actor=department,
            data={
                "secondary": orgs["S05"],
                "branch": None,
                "origin_organization": "中共四川职业技术学院委员会",
                "name": "何雨桐",
                "gender": "female",
                "number": "S0599001",
                "category": Category.UPGRADE_STUDENT,
                "mobility_reason": MobilityReason.UPGRADE_STUDENT_UNTRANSFERRED,
            },
        )
    # New teachers: the registrations demo's inflow members (relation elsewhere) are due to transfer in.

    # A graduate whose relation has been kept at the school for two years.
    graduate = pick(Category.GRADUATE)
    outflow = _outflow(
        graduate, secretary, today, 7, reason=MobilityReason.GRADUATE_EXAMS, registered_days_ago=700
    )
    OutflowRegistration.objects.filter(pk=outflow.pk).update(
        departure_on=today - relativedelta(years=2, days=20)
    )

    # --- One member abroad, whose membership is retained --------------------------------------------------
    overseas = pick(Category.STUDENT)
    transfer_services.retention_create(
        actor=secretary,
        member=overseas,
        data={
            "country": "英国",
            "institution": "爱丁堡大学教育学院",
            "started_on": today - relativedelta(months=5, days=20),
            "expected_end_on": today + relativedelta(years=1),
            "emergency_contact_1": f"{overseas.name[0]}建国",
            "emergency_contact_1_phone": "13890001111",
            "emergency_contact_1_relation": "父亲",
            "emergency_contact_2": "刘红",
            "emergency_contact_2_phone": "13890002222",
            "emergency_contact_2_relation": "母亲",
        },
    )
    created += 1
    if stdout:
        stdout.write(f"transfers: +{created}")
