"""Every write to the checklists and their records (Art. 6-9, Annexes 1-3).

Each service checks the actor's right, validates, writes with the actor on the audit entry (auditlog), and
raises ChecklistError with a message a person can act on. Compliance is never written: it is computed.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import permissions
from members.models import Branch, Member, SecondaryOrganization, Standing

from . import rules
from .models import (
    Attendance,
    CareVisit,
    Consultation,
    ContactLog,
    ConversionDecision,
    DemocraticEvaluation,
    DuesAllocation,
    DuesExpense,
    DuesPayment,
    InterDepartmentConsultation,
    OrgLifeSession,
    ProbationKind,
    ProbationRecord,
    ResponsibilityItem,
    RoleActivity,
    Supervision,
    ThoughtReport,
)


class ChecklistError(Exception):
    """A checklist record that cannot be written; the message says what to fix."""


def _today() -> date:
    return timezone.localdate()


def _require(actor, action: str, obj, message: str) -> None:
    if not permissions.can(actor, action, obj):
        raise ChecklistError(message)


def _not_future(value: date | None, label: str) -> None:
    if value and value > _today():
        raise ChecklistError(_("%(field)s cannot be in the future.") % {"field": label})


def _save(obj, actor) -> None:
    with set_actor(actor):
        obj.save()


def _fields(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    return data


def _own_member(actor) -> Member:
    scope = permissions.scope_for(actor)
    if scope.member_id is None:
        raise ChecklistError(_("Only a party member can report on their own record."))
    return Member.objects.select_related("secondary", "branch").get(pk=scope.member_id)


def _about_member(model, *, actor, member: Member, data: dict, date_field: str, date_label: str, **extra):
    """A record about one member, kept by the member's secondary organisation and branch."""
    _not_future(data.get(date_field), date_label)
    record = model(
        member=member, secondary_id=member.secondary_id, branch_id=member.branch_id, recorded_by=actor
    )
    for name, value in {**data, **extra}.items():
        setattr(record, name, value)
    _save(record, actor)
    return record


def _may_record(actor, member: Member) -> None:
    _require(
        actor,
        "record_about_member",
        member,
        _("You may only keep records about members of your own organisation or branch."),
    )


# --- Items -----------------------------------------------------------------------------------------------

ITEM_FIELDS = ("title", "text", "cadence", "exempt_applies")


@transaction.atomic
def item_update(*, item: ResponsibilityItem, actor, data: dict[str, Any]) -> ResponsibilityItem:
    """The organisation department rewords an item or changes how often it is due."""
    _require(
        actor, "edit_checklist_items", item, _("Only the organisation department may edit the checklists.")
    )
    for name, value in _fields(data, ITEM_FIELDS).items():
        setattr(item, name, value.strip() if isinstance(value, str) and name != "cadence" else value)
    if not item.title or not item.text:
        raise ChecklistError(_("An item needs its title and its text."))
    allowed = rules.ALLOWED_CADENCES[rules.Rule(item.rule)]
    if item.cadence not in allowed:
        from .models import Cadence

        raise ChecklistError(
            _("%(code)s can only be kept %(choices)s.")
            % {"code": item.code, "choices": "、".join(str(Cadence(c).label) for c in allowed)}
        )
    _save(item, actor)
    return item


# --- Records about one member (Annexes 1-3) -------------------------------------------------------------

CONTACT_FIELDS = ("contacted_on", "method", "with_whom", "learnt", "fed_back")


def _check_contact(data: dict[str, Any]) -> None:
    if not (data.get("learnt") or "").strip():
        raise ChecklistError(_("Write down what was learnt about the member."))


@transaction.atomic
def contact_record(*, actor, member: Member, data: dict[str, Any]) -> ContactLog:
    """定期联系 (A1.2) / 常态联系 (A2.2)."""
    _may_record(actor, member)
    _check_contact(data)
    return _about_member(
        ContactLog,
        actor=actor,
        member=member,
        data=_fields(data, CONTACT_FIELDS),
        date_field="contacted_on",
        date_label=_("The contact date"),
    )


PROBATION_FIELDS = ("kind", "recorded_on", "conduct", "source", "decision")


@transaction.atomic
def probation_record(*, actor, member: Member, data: dict[str, Any]) -> ProbationRecord:
    """考察转正 (A1.3): conduct while away; a conversion decision also updates the member's standing."""
    data = _fields(data, PROBATION_FIELDS)
    kind = data.get("kind")
    if kind == ProbationKind.CONVERSION:
        _require(
            actor,
            "record_conversion",
            member,
            _("Only the member's secondary organisation records a conversion decision."),
        )
        if not data.get("decision"):
            raise ChecklistError(_("Choose the conversion decision."))
    else:
        _may_record(actor, member)
        data = {**data, "decision": ""}
    if member.standing != Standing.PROBATIONARY:
        raise ChecklistError(_("%(name)s is not a probationary member.") % {"name": member.name})
    recorded_on = data.get("recorded_on")
    if member.joined_on and recorded_on and recorded_on < member.joined_on:
        raise ChecklistError(_("The date cannot be before the member was admitted as probationary."))
    record = _about_member(
        ProbationRecord,
        actor=actor,
        member=member,
        data=data,
        date_field="recorded_on",
        date_label=_("The date"),
    )
    if kind == ProbationKind.CONVERSION and data["decision"] == ConversionDecision.CONVERTED:
        member.standing = Standing.FULL
        member.converted_on = recorded_on
        _save(member, actor)
    return record


ROLE_FIELDS = ("kind", "held_on", "description")


@transaction.atomic
def role_activity_record(*, actor, member: Member, data: dict[str, Any]) -> RoleActivity:
    """作用发挥 (A1.5, recorded by the organisation)."""
    _may_record(actor, member)
    return _about_member(
        RoleActivity,
        actor=actor,
        member=member,
        data=_fields(data, ROLE_FIELDS),
        date_field="held_on",
        date_label=_("The date"),
    )


CARE_FIELDS = ("visited_on", "target", "circumstance", "support", "service", "amount")


def _check_care(data: dict[str, Any]) -> None:
    amount = data.get("amount")
    if amount is not None and amount < 0:
        raise ChecklistError(_("The amount of aid cannot be negative."))


@transaction.atomic
def care_visit_record(*, actor, member: Member, data: dict[str, Any]) -> CareVisit:
    """走访慰问, 关怀帮扶 (Art. 7, A1.6, A2.4)."""
    _may_record(actor, member)
    _check_care(data)
    return _about_member(
        CareVisit,
        actor=actor,
        member=member,
        data=_fields(data, CARE_FIELDS),
        date_field="visited_on",
        date_label=_("The visit date"),
    )


# --- Correcting a record (a wrong date, a typo) ---------------------------------------------------------------
# Records whose correction changes nothing else: contacts (A1.2, A2.2), care visits (Art. 7, A1.6, A2.4) and role
# activities (A1.5). Conversion decisions (A1.3, they change the member's standing), dues, evaluations (A2.5) and
# disposals (A1.7, A2.6), which have a second step, and what members reported themselves (Annex 3) are not
# corrected here. The audit trail keeps what a record said before: nothing written is lost.

CORRECTABLE = {
    "contact": (ContactLog, CONTACT_FIELDS, "contacted_on", gettext_lazy("The contact date"), _check_contact),
    "care_visit": (CareVisit, CARE_FIELDS, "visited_on", gettext_lazy("The visit date"), _check_care),
    "role_activity": (RoleActivity, ROLE_FIELDS, "held_on", gettext_lazy("The date"), None),
}


@transaction.atomic
def record_correct(*, actor, kind: str, record, data: dict[str, Any]):
    """Correct a record about a member with the same checks as writing it; whoever may keep records about the
    member may correct them."""
    model, fields, date_field, date_label, check = CORRECTABLE[kind]
    if not isinstance(record, model):
        raise ValueError(f"not a {model.__name__}")
    _may_record(actor, record.member)
    if getattr(record, "by_member", False):
        raise ChecklistError(_("The member reported this themselves; it cannot be changed here."))
    data = _fields(data, fields)
    if check is not None:
        check(data)
    _not_future(data.get(date_field), str(date_label))
    for name, value in data.items():
        setattr(record, name, value)
    _save(record, actor)
    return record


EVALUATION_FIELDS = ("year", "agreed_with_origin_on", "evaluated_on", "result", "comments", "fed_back_on")


@transaction.atomic
def evaluation_record(*, actor, member: Member, data: dict[str, Any]) -> DemocraticEvaluation:
    """民主评议 (A2.5): only after agreeing it with the origin's branch; the result is then fed back."""
    _may_record(actor, member)
    data = _fields(data, EVALUATION_FIELDS)
    if not member.inflows.exists():
        raise ChecklistError(
            _("Democratic evaluation here is for inflow members; %(name)s has no inflow registration.")
            % {"name": member.name}
        )
    agreed, evaluated, fed_back = (
        data.get("agreed_with_origin_on"),
        data.get("evaluated_on"),
        data.get("fed_back_on"),
    )
    if agreed is None:
        raise ChecklistError(
            _("Agree the evaluation with the origin's branch first (A2.5) and enter the date.")
        )
    if evaluated and agreed > evaluated:
        raise ChecklistError(_("The evaluation cannot come before it was agreed with the origin."))
    if fed_back and evaluated and fed_back < evaluated:
        raise ChecklistError(_("The result cannot be fed back before the evaluation."))
    _not_future(fed_back, _("The feedback date"))
    if evaluated and data.get("year") and data["year"] > evaluated.year:
        raise ChecklistError(_("The evaluation cannot be held before the year it evaluates."))
    try:
        with transaction.atomic():
            return _about_member(
                DemocraticEvaluation,
                actor=actor,
                member=member,
                data=data,
                date_field="evaluated_on",
                date_label=_("The evaluation date"),
            )
    except IntegrityError:
        raise ChecklistError(
            _("%(name)s has already been evaluated for %(year)s.")
            % {"name": member.name, "year": data["year"]}
        ) from None


@transaction.atomic
def evaluation_feed_back(
    *, actor, evaluation: DemocraticEvaluation, fed_back_on: date
) -> DemocraticEvaluation:
    _may_record(actor, evaluation)
    if evaluation.fed_back_on:
        raise ChecklistError(_("This result has already been fed back."))
    _not_future(fed_back_on, _("The feedback date"))
    if fed_back_on < evaluation.evaluated_on:
        raise ChecklistError(_("The result cannot be fed back before the evaluation."))
    evaluation.fed_back_on = fed_back_on
    _save(evaluation, actor)
    return evaluation


SUPERVISION_FIELDS = ("kind", "occurred_on", "issue", "action", "sent_to", "sent_on")


@transaction.atomic
def supervision_record(*, actor, member: Member, data: dict[str, Any]) -> Supervision:
    """监督管理 (A1.7, A2.6)."""
    _may_record(actor, member)
    data = _fields(data, SUPERVISION_FIELDS)
    if data.get("sent_on") and not (data.get("sent_to") or "").strip():
        raise ChecklistError(_("Say which branch it was sent to."))
    if data.get("sent_on") and data.get("occurred_on") and data["sent_on"] < data["occurred_on"]:
        raise ChecklistError(_("It cannot be sent before it happened."))
    _not_future(data.get("sent_on"), _("The date sent"))
    return _about_member(
        Supervision, actor=actor, member=member, data=data, date_field="occurred_on", date_label=_("The date")
    )


@transaction.atomic
def supervision_mark_sent(*, actor, supervision: Supervision, sent_to: str, sent_on: date) -> Supervision:
    """The disposal reported to the destination branch (A1.7) or the proposal sent to the formal branch (A2.6)."""
    _may_record(actor, supervision)
    if not supervision.needs_sending:
        raise ChecklistError(_("Only a disposal or a proposal of disposal is sent on."))
    if supervision.sent_on:
        raise ChecklistError(_("This has already been sent."))
    if not (sent_to or "").strip():
        raise ChecklistError(_("Say which branch it was sent to."))
    _not_future(sent_on, _("The date sent"))
    if sent_on < supervision.occurred_on:
        raise ChecklistError(_("It cannot be sent before it happened."))
    supervision.sent_to = sent_to.strip()
    supervision.sent_on = sent_on
    _save(supervision, actor)
    return supervision


DUES_FIELDS = ("paid_on", "paid_through", "amount", "paid_to")


def _check_dues(data: dict) -> dict:
    data = _fields(data, DUES_FIELDS)
    if data.get("amount") is None or data["amount"] <= 0:
        raise ChecklistError(_("Enter the amount paid."))
    through = data.get("paid_through")
    if through is None:
        raise ChecklistError(_("Enter the last month this payment covers."))
    data = {**data, "paid_through": through.replace(day=1)}
    paid_on = data.get("paid_on")
    if paid_on and data["paid_through"] > paid_on.replace(day=1).replace(year=paid_on.year + 1):
        raise ChecklistError(_("Dues can be paid at most a year ahead."))
    return data


@transaction.atomic
def dues_record(*, actor, member: Member, data: dict[str, Any], by_member: bool = False) -> DuesPayment:
    """党费 (A3.2): recorded by the organisation, or reported by the member (`member_dues_report`)."""
    if not by_member:
        _may_record(actor, member)
    return _about_member(
        DuesPayment,
        actor=actor,
        member=member,
        data=_check_dues(data),
        date_field="paid_on",
        date_label=_("The payment date"),
        by_member=by_member,
    )


THOUGHT_FIELDS = ("submitted_on", "title", "content")


@transaction.atomic
def thought_report_record(*, actor, member: Member, data: dict[str, Any]) -> ThoughtReport:
    """A thought report handed to the branch on paper, entered by the organisation."""
    _may_record(actor, member)
    return _about_member(
        ThoughtReport,
        actor=actor,
        member=member,
        data=_fields(data, THOUGHT_FIELDS),
        date_field="submitted_on",
        date_label=_("The date"),
    )


# --- The member's own duties (Annex 3) --------------------------------------------------------------------


@transaction.atomic
def member_thought_report(*, actor, data: dict[str, Any]) -> ThoughtReport:
    """平常要联系 (A3.3): the member reports their thoughts, work and org life."""
    member = _own_member(actor)
    if not (data.get("content") or "").strip():
        raise ChecklistError(_("Write your report."))
    return _about_member(
        ThoughtReport,
        actor=actor,
        member=member,
        data=_fields(data, THOUGHT_FIELDS),
        date_field="submitted_on",
        date_label=_("The date"),
    )


@transaction.atomic
def member_dues_report(*, actor, data: dict[str, Any]) -> DuesPayment:
    """按照规定交纳党费 (A3.2): the member reports a payment made where they are."""
    member = _own_member(actor)
    return dues_record(actor=actor, member=member, data=data, by_member=True)


@transaction.atomic
def member_role_activity(*, actor, data: dict[str, Any]) -> RoleActivity:
    """作用要发挥 (A3.5): the member reports what they did."""
    member = _own_member(actor)
    return _about_member(
        RoleActivity,
        actor=actor,
        member=member,
        data=_fields(data, ROLE_FIELDS),
        date_field="held_on",
        date_label=_("The date"),
        by_member=True,
    )


# --- Records of an organisation -------------------------------------------------------------------------

SESSION_FIELDS = ("kind", "title", "held_on", "mode", "place", "content")


@transaction.atomic
def session_record(
    *,
    actor,
    secondary: SecondaryOrganization,
    branch: Branch | None,
    data: dict[str, Any],
    attendees: list[Member],
) -> OrgLifeSession:
    """组织生活 / 教育培训 (Art. 6, A1.4, A2.3), with the mobile members who took part."""
    if branch is not None and branch.secondary_id != secondary.pk:
        raise ChecklistError(_("The branch must belong to the organisation holding the session."))
    target = branch if branch is not None else secondary
    _require(
        actor,
        "record_org_life",
        target,
        _("You may only record sessions of your own organisation or branch."),
    )
    if not attendees:
        raise ChecklistError(_("Tick the mobile members who took part."))
    visible = set(
        permissions.members_for(actor).filter(pk__in=[m.pk for m in attendees]).values_list("pk", flat=True)
    )
    if len(visible) != len({m.pk for m in attendees}):
        raise ChecklistError(_("Some of the members ticked are outside your organisation."))
    data = _fields(data, SESSION_FIELDS)
    _not_future(data.get("held_on"), _("The date"))
    session = OrgLifeSession(secondary=secondary, branch=branch, recorded_by=actor, **data)
    _save(session, actor)
    Attendance.objects.bulk_create(
        [Attendance(session=session, member=m) for m in {m.pk: m for m in attendees}.values()]
    )
    return session


CONSULTATION_FIELDS = ("matter", "subject", "consulted_on", "method", "opinions")


@transaction.atomic
def consultation_record(
    *, actor, secondary: SecondaryOrganization, data: dict[str, Any], members: list[Member]
) -> Consultation:
    """征求意见 (Art. 7): mobile members consulted on a major matter."""
    _require(
        actor,
        "record_consultation",
        secondary,
        _("You may only record consultations of your own organisation."),
    )
    if not members:
        raise ChecklistError(_("Tick the mobile members who were consulted."))
    if any(m.secondary_id != secondary.pk for m in members):
        raise ChecklistError(_("The members consulted must belong to the organisation."))
    data = _fields(data, CONSULTATION_FIELDS)
    _not_future(data.get("consulted_on"), _("The date"))
    consultation = Consultation(secondary=secondary, recorded_by=actor, **data)
    _save(consultation, actor)
    consultation.members.set(members)
    return consultation


ALLOCATION_FIELDS = ("year", "secondary", "amount", "allotted_on", "note")


@transaction.atomic
def allocation_create(*, actor, data: dict[str, Any]) -> DuesAllocation:
    """Art. 9: the organisation department allots dues to an organisation's mobile-member work for a year."""
    _require(actor, "allot_dues", None, _("Only the organisation department allots dues."))
    data = _fields(data, ALLOCATION_FIELDS)
    if data.get("amount") is None or data["amount"] <= 0:
        raise ChecklistError(_("Enter the amount allotted."))
    _not_future(data.get("allotted_on"), _("The date"))
    allocation = DuesAllocation(recorded_by=actor, **data)
    try:
        with transaction.atomic():
            _save(allocation, actor)
    except IntegrityError:
        raise ChecklistError(
            _("%(org)s already has an allotment for %(year)s.")
            % {"org": data["secondary"], "year": data["year"]}
        ) from None
    return allocation


EXPENSE_FIELDS = ("spent_on", "purpose", "amount", "description")


@transaction.atomic
def expense_record(*, actor, allocation: DuesAllocation, data: dict[str, Any]) -> DuesExpense:
    """Art. 9: what the allotted dues were spent on; never more than was allotted."""
    _require(
        actor,
        "spend_allotted_dues",
        allocation,
        _("Only the organisation the dues were allotted to records their spending."),
    )
    data = _fields(data, EXPENSE_FIELDS)
    amount = data.get("amount")
    if amount is None or amount <= 0:
        raise ChecklistError(_("Enter the amount spent."))
    _not_future(data.get("spent_on"), _("The date"))
    # Lock the allotment so that two spendings at once cannot together exceed it.
    allocation = DuesAllocation.objects.select_for_update().get(pk=allocation.pk)
    spent = allocation.expenses.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if spent + amount > allocation.amount:
        raise ChecklistError(
            _("This would exceed the allotment: %(left)s yuan is left of %(total)s.")
            % {"left": allocation.amount - spent, "total": allocation.amount}
        )
    expense = DuesExpense(allocation=allocation, recorded_by=actor, **data)
    _save(expense, actor)
    return expense


INTER_DEPARTMENT_FIELDS = ("held_on", "counterpart", "departments", "topics", "outcome")


@transaction.atomic
def inter_department_consultation_record(*, actor, data: dict[str, Any]) -> InterDepartmentConsultation:
    """会商机制 (Art. 9)."""
    _require(
        actor,
        "record_inter_department_consultation",
        None,
        _("Only the organisation department records inter-department consultations."),
    )
    data = _fields(data, INTER_DEPARTMENT_FIELDS)
    _not_future(data.get("held_on"), _("The date"))
    consultation = InterDepartmentConsultation(recorded_by=actor, **data)
    _save(consultation, actor)
    return consultation


# --- Reminders (a periodic job) ---------------------------------------------------------------------------


def notify_secretaries(
    *, secondary: SecondaryOrganization, title: str, body: str, link: str, dedupe_key: str
) -> list[str]:
    """THE ONE place where this app tells people something: the organisation's secretaries, under the bell and
    by e-mail (members.notifications). Returns the usernames told."""
    from members.notifications import notify, recipients_for

    recipients = recipients_for(secondary=secondary, roles=("secondary_secretary",))
    notify(
        recipients=recipients,
        kind="checklist_reminder",
        title=title,
        body=body,
        link=link,
        subject=secondary,
        dedupe_key=dedupe_key,
    )
    return [user.username for user in recipients]


def checklist_reminders_send(*, today: date | None = None) -> int:
    """Tell each organisation's secretaries which checklist items fall due within two weeks and which are
    overdue: once per organisation, item, period and stage, however often the job runs (the unique
    constraint on ChecklistReminder claims each one). Returns how many reminders were sent."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from registrations.models import InflowRegistration, OutflowRegistration

    from . import display, selectors
    from .models import ChecklistReminder, ReminderStage

    today = today or _today()
    item_list = selectors.items()
    by_code = {i.code: i for i in item_list}
    rows = selectors.compliance_rows(
        outflows=OutflowRegistration.objects.all(),
        inflows=InflowRegistration.objects.all(),
        today=today,
        item_list=item_list,
    )
    groups: dict[tuple, list] = {}
    for row in rows:
        for code in row.results:
            for period, stage, deadline in rules.reminders(by_code[code].spec, row.facts, today):
                key = (row.registration.secondary_id, code, period.key, stage)
                groups.setdefault(key, []).append((row, period, deadline))
    if not groups:
        return 0
    done = set(
        ChecklistReminder.objects.filter(period_key__in={k[2] for k in groups}).values_list(
            "secondary_id", "item__code", "period_key", "stage"
        )
    )
    organizations = SecondaryOrganization.objects.in_bulk({k[0] for k in groups})
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for key in sorted(groups):
            if key in done:
                continue
            secondary_id, code, period_key, stage = key
            entries = groups[key]
            item, secondary = by_code[code], organizations[secondary_id]
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        reminder = ChecklistReminder.objects.create(
                            secondary=secondary,
                            item=item,
                            period_key=period_key,
                            stage=stage,
                            member_count=len(entries),
                        )
                except IntegrityError:  # another run claimed it first
                    continue
                if stage == ReminderStage.OVERDUE:
                    title = _("Overdue: %(code)s %(title)s") % {"code": code, "title": item.title}
                    lead = _("These mobile members' checklist item %(code)s %(title)s is overdue:")
                else:
                    title = _("Due within two weeks: %(code)s %(title)s") % {
                        "code": code,
                        "title": item.title,
                    }
                    lead = _(
                        "These mobile members' checklist item %(code)s %(title)s falls due within two weeks:"
                    )
                lines = [lead % {"code": code, "title": item.title}]
                for row, period, deadline in sorted(entries, key=lambda e: e[0].member.number):
                    lines.append(
                        _("- %(name)s (%(number)s), %(period)s, due %(deadline)s")
                        % {
                            "name": row.member.name,
                            "number": row.member.number,
                            "period": display.period_label(period, item.cadence, row.facts.mobility.kind),
                            "deadline": deadline.isoformat() if deadline else "—",
                        }
                    )
                link = reverse("responsibilities:org_matrix", args=[secondary_id])
                recipients = notify_secretaries(
                    secondary=secondary,
                    title=title,
                    body="\n".join(lines),
                    link=link,
                    dedupe_key=f"checklist:{secondary_id}:{code}:{period_key}:{stage}",
                )
                reminder.recipients = ", ".join(recipients)
                reminder.save(update_fields=["recipients"])
                sent += 1
    return sent
