"""Every write to registrations, reports and screenings. State changes happen only here (Art. 2-4, Annex 3).

Each service checks the actor's right, validates, writes, and records a RegistrationEvent in the same
transaction; auditlog keeps the field-level history alongside.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from auditlog.context import set_actor
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import permissions
from members.models import Member, SecondaryOrganization
from members.services import MemberError, member_create

from . import rules
from .models import (
    ChangeKind,
    ChangeReport,
    ChangeReportStatus,
    Division,
    EndReason,
    InflowRegistration,
    InflowState,
    OutflowRegistration,
    OutflowState,
    RegistrationEvent,
    Screening,
)


class RegistrationError(Exception):
    """A registration change that cannot be made; the message says what to fix."""


OUTFLOW_FIELDS = (
    "contact_phone",
    "destination_unit",
    "unit_has_party_org",
    "has_fixed_unit",
    "is_new_employment",
    "destination_org_name",
    "destination_org_kind",
    "destination_county",
    "destination_address",
    "departure_on",
    "expected_return_on",
    "reason",
    "paired_contact",
    "paired_contact_phone",
    "destination_contact",
    "destination_contact_phone",
    "certificate_number",
    "platform_recorded_on",
    "pre_departure_education_on",
    # Art. 5 facts (formal transfer due)
    "settled_on",
    "housing_kind",
    "housing_since",
    "contract_signed_on",
    "contract_months",
    "doctoral_study",
    "going_abroad",
    "wishes_to_transfer",
)
INFLOW_FIELDS = (
    "origin_org_name",
    "origin_contact",
    "origin_contact_phone",
    "origin_county",
    "origin_registered_on",
    "source",
    "work_unit",
    "reason",
    "designated_contact",
    "designated_contact_phone",
    # Art. 5 facts (formal transfer due)
    "settled_on",
    "housing_kind",
    "housing_since",
    "contract_signed_on",
    "contract_months",
)


def _today() -> date:
    return timezone.localdate()


def _home_province() -> str:
    return settings.FLOWPARTY_HOME_PROVINCE_CODE


def _home_county() -> str:
    return settings.FLOWPARTY_HOME_COUNTY_CODE


def _not_future(value: date | None, label: str) -> None:
    if value and value > _today():
        raise RegistrationError(_("%(field)s cannot be in the future.") % {"field": label})


def _require(actor, action: str, obj, message: str) -> None:
    if not permissions.can(actor, action, obj):
        raise RegistrationError(message)


def _event(subject, *, action: str, from_state: str, actor, note: str = "") -> None:
    kwargs = {"outflow": subject} if isinstance(subject, OutflowRegistration) else {"inflow": subject}
    RegistrationEvent.objects.create(
        action=action, from_state=from_state, to_state=subject.state, actor=actor, note=note, **kwargs
    )


def _transition(subject, table, targets, action: str) -> str:
    if not rules.can_transition(table, subject.state, action):
        raise RegistrationError(
            _("This registration is %(state)s; it cannot be %(action)s now.")
            % {"state": subject.get_state_display(), "action": ACTION_LABELS.get(action, action)}
        )
    previous = subject.state
    subject.state = targets[action]
    return previous


ACTION_LABELS = {
    "register": gettext_lazy("registered"),
    "report_in": gettext_lazy("reported in"),
    "accept": gettext_lazy("accepted"),
    "refuse": gettext_lazy("refused"),
    "end": gettext_lazy("ended"),
    "contact": gettext_lazy("contacted"),
    "record_origin_management": gettext_lazy("recorded as managed by the origin"),
}


def _check_county(county: Division | None) -> Division:
    if county is None:
        raise RegistrationError(_("Choose the destination county (县、市、区)."))
    if not county.is_county_level:
        raise RegistrationError(
            _("%(name)s is not a county: choose the county, city or district.") % {"name": county.full_name}
        )
    return county


def _check_outflow_dates(outflow: OutflowRegistration) -> None:
    if (
        outflow.departure_on
        and outflow.expected_return_on
        and outflow.departure_on > outflow.expected_return_on
    ):
        raise RegistrationError(_("The departure date is after the expected return; check both dates."))


def _check_transfer_facts(registration) -> None:
    """Art. 5 facts: dates that have happened, and each date with what it needs to mean something."""
    _not_future(registration.settled_on, _("The date the household registration was settled"))
    _not_future(registration.housing_since, _("The date living in that housing began"))
    _not_future(registration.contract_signed_on, _("The contract signing date"))
    if registration.housing_since and not registration.housing_kind:
        raise RegistrationError(_("Say whether the housing is bought or rented."))
    if registration.housing_kind and not registration.housing_since:
        raise RegistrationError(_("Enter since when the member has lived in that housing."))
    if (registration.contract_months is None) != (registration.contract_signed_on is None):
        raise RegistrationError(_("Enter both the contract signing date and its term in months."))


def _save(obj, actor) -> None:
    with set_actor(actor):
        obj.save()


def _apply(obj, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(obj, name, value)


def _start_outflow_clock(outflow: OutflowRegistration) -> None:
    """Art. 2: the clock starts with the outflow registration; 30 or 60 days by the destination's province."""
    county = _check_county(outflow.destination_county)
    outflow.due_on = rules.intake_deadline(
        registered_on=outflow.registered_on,
        destination_county_code=county.code,
        home_province_code=_home_province(),
    )
    outflow.flow_scope = rules.flow_scope(origin_code=_home_county(), destination_code=county.code)


# --- Outflows -----------------------------------------------------------------------------------------


@transaction.atomic
def outflow_create(
    *, actor, member: Member, data: dict[str, Any], register: bool = False, registered_on: date | None = None
) -> OutflowRegistration:
    _require(
        actor,
        "change_member",
        member,
        _("You may only register outflows of your own organisation's members."),
    )
    if OutflowRegistration.objects.filter(member=member).exclude(state=OutflowState.ENDED).exists():
        raise RegistrationError(
            _("%(name)s already has an open outflow registration; end it before starting another.")
            % {"name": member.name}
        )
    outflow = OutflowRegistration(
        member=member,
        secondary_id=member.secondary_id,
        branch_id=member.branch_id,
        created_by=actor,
        reason=member.mobility_reason,
    )
    _apply(outflow, data, OUTFLOW_FIELDS)
    _check_outflow_dates(outflow)
    _check_transfer_facts(outflow)
    try:
        with transaction.atomic():
            _save(outflow, actor)
    except IntegrityError:  # a concurrent request opened one first
        raise RegistrationError(
            _("%(name)s already has an open outflow registration; end it before starting another.")
            % {"name": member.name}
        ) from None
    _event(outflow, action="create", from_state="", actor=actor)
    if register:
        outflow_register(outflow=outflow, actor=actor, registered_on=registered_on or _today())
    return outflow


@transaction.atomic
def outflow_update(*, outflow: OutflowRegistration, actor, data: dict[str, Any]) -> OutflowRegistration:
    _require(actor, "change_registration", outflow, _("You may not change this registration."))
    if outflow.state == OutflowState.ENDED:
        raise RegistrationError(_("This registration has ended and can no longer be changed."))
    _apply(outflow, data, OUTFLOW_FIELDS)
    _check_outflow_dates(outflow)
    _check_transfer_facts(outflow)
    if outflow.registered_on:
        _start_outflow_clock(outflow)  # a corrected destination may change the deadline (30 or 60 days)
    _save(outflow, actor)
    _event(outflow, action="update", from_state=outflow.state, actor=actor)
    return outflow


@transaction.atomic
def outflow_register(*, outflow: OutflowRegistration, actor, registered_on: date) -> OutflowRegistration:
    """Draft (or refused, to place the member elsewhere) -> registered: the intake clock starts (Art. 2)."""
    _require(actor, "change_registration", outflow, _("You may not change this registration."))
    missing = [label for _field, label in registration_missing(outflow)]
    if missing:
        raise RegistrationError(
            _("Before registering, fill in: %(fields)s.") % {"fields": "、".join(map(str, missing))}
        )
    _not_future(registered_on, _("The registration date"))
    _check_outflow_dates(outflow)
    previous = _transition(outflow, rules.OUTFLOW_TRANSITIONS, rules.OUTFLOW_TARGET, "register")
    if previous == OutflowState.REFUSED:
        outflow.refused_on = None
        outflow.refusal_reason = ""
        outflow.reported_on = None
    outflow.registered_on = registered_on
    _start_outflow_clock(outflow)
    if outflow.reported_on:  # the member reported in before the secretary finished the registration
        outflow.state = OutflowState.REPORTED
    _save(outflow, actor)
    _event(outflow, action="register", from_state=previous, actor=actor)
    _mark_member_mobile(outflow.member, outflow.reason, actor)
    return outflow


def registration_missing(outflow: OutflowRegistration) -> list[tuple[str, str]]:
    """(field, label) of what Art. 2 requires before an outflow is registered and is not filled in."""
    return [
        (field, label)
        for field, label in (
            ("destination_county", _("destination county")),
            ("departure_on", _("departure date")),
            ("destination_org_name", _("destination grassroots party organisation")),
            ("paired_contact", _("paired contact")),
            ("contact_phone", _("contact phone while away")),
        )
        if not getattr(outflow, field)
    ]


def _mark_member_mobile(member: Member, reason: str, actor) -> None:
    # Art. 1: a registered outflow makes the member a mobile member.
    if reason and member.mobility_reason != reason:
        member.mobility_reason = reason
        _save(member, actor)


@transaction.atomic
def outflow_report_in(
    *, outflow: OutflowRegistration, actor, reported_on: date, destination_org_name: str = ""
) -> OutflowRegistration:
    """Annex 3.2: the member reported to the destination branch (recorded by the member or the secretary)."""
    if not (
        permissions.can(actor, "change_registration", outflow)
        or permissions.can(actor, "report_as_member", outflow)
    ):
        raise RegistrationError(_("You may not change this registration."))
    _not_future(reported_on, _("The date of reporting in"))
    if destination_org_name:
        outflow.destination_org_name = destination_org_name
    if outflow.state == OutflowState.DRAFT:
        # Not registered yet: keep the report; registering moves straight to "reported in".
        outflow.reported_on = reported_on
        _save(outflow, actor)
        _event(outflow, action="report_in", from_state=outflow.state, actor=actor)
        return outflow
    if outflow.registered_on and reported_on < outflow.registered_on:
        raise RegistrationError(_("The date of reporting in cannot be before the registration date."))
    previous = _transition(outflow, rules.OUTFLOW_TRANSITIONS, rules.OUTFLOW_TARGET, "report_in")
    outflow.reported_on = reported_on
    _save(outflow, actor)
    _event(outflow, action="report_in", from_state=previous, actor=actor)
    return outflow


@transaction.atomic
def outflow_accept(*, outflow: OutflowRegistration, actor, accepted_on: date) -> OutflowRegistration:
    """接收纳管: the destination accepted the member; the intake clock stops."""
    _require(actor, "change_registration", outflow, _("You may not change this registration."))
    _not_future(accepted_on, _("The intake date"))
    if outflow.reported_on and accepted_on < outflow.reported_on:
        raise RegistrationError(_("The intake date cannot be before the date of reporting in."))
    previous = _transition(outflow, rules.OUTFLOW_TRANSITIONS, rules.OUTFLOW_TARGET, "accept")
    outflow.accepted_on = accepted_on
    outflow.intake_completed_on = accepted_on
    _save(outflow, actor)
    _event(outflow, action="accept", from_state=previous, actor=actor)
    return outflow


@transaction.atomic
def outflow_refuse(
    *, outflow: OutflowRegistration, actor, refused_on: date, reason: str
) -> OutflowRegistration:
    _require(actor, "change_registration", outflow, _("You may not change this registration."))
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(_("Record the destination's reason for refusing."))
    _not_future(refused_on, _("The date of refusal"))
    previous = _transition(outflow, rules.OUTFLOW_TRANSITIONS, rules.OUTFLOW_TARGET, "refuse")
    outflow.refused_on = refused_on
    outflow.refusal_reason = reason
    _save(outflow, actor)
    _event(outflow, action="refuse", from_state=previous, actor=actor, note=reason)
    return outflow


@transaction.atomic
def outflow_end(
    *, outflow: OutflowRegistration, actor, ended_on: date, end_reason: str, note: str = ""
) -> OutflowRegistration:
    _require(actor, "change_registration", outflow, _("You may not change this registration."))
    if end_reason not in EndReason.values:
        raise RegistrationError(_("Choose how the outflow ended: returned, transferred or cancelled."))
    if outflow.state == OutflowState.DRAFT and end_reason != EndReason.CANCELLED:
        raise RegistrationError(_("A draft can only be cancelled."))
    _not_future(ended_on, _("The end date"))
    previous = _transition(outflow, rules.OUTFLOW_TRANSITIONS, rules.OUTFLOW_TARGET, "end")
    outflow.ended_on = ended_on
    outflow.end_reason = end_reason
    _save(outflow, actor)
    _event(outflow, action="end", from_state=previous, actor=actor, note=note)
    if end_reason == EndReason.RETURNED and outflow.member.mobility_reason:
        outflow.member.mobility_reason = ""  # back at school: no longer a mobile member (Art. 1)
        _save(outflow.member, actor)
    return outflow


# --- The member's own reports (Annex 3) ---------------------------------------------------------------


def _own_member(actor) -> Member:
    scope = permissions.scope_for(actor)
    if scope.member_id is None:
        raise RegistrationError(_("Only a party member can report on their own record."))
    return Member.objects.select_related("secondary").get(pk=scope.member_id)


@transaction.atomic
def member_report_departure(*, actor, data: dict[str, Any]) -> OutflowRegistration:
    """行前要报告 (Annex 3.1): opens a draft outflow for the secretary to complete."""
    member = _own_member(actor)
    if member.outflows.exclude(state=OutflowState.ENDED).exists():
        raise RegistrationError(_("You already have an open outflow registration: report a change instead."))
    outflow = OutflowRegistration(
        member=member,
        secondary_id=member.secondary_id,
        branch_id=member.branch_id,
        created_by=actor,
        reason=member.mobility_reason,
    )
    _apply(outflow, data, OUTFLOW_FIELDS)
    _check_outflow_dates(outflow)
    if outflow.destination_county is not None:
        _check_county(outflow.destination_county)
    _save(outflow, actor)
    _event(outflow, action="member_report_departure", from_state="", actor=actor)
    return outflow


@transaction.atomic
def member_report_arrival(*, actor, reported_on: date, destination_org_name: str) -> OutflowRegistration:
    """流入要报到 (Annex 3.2)."""
    member = _own_member(actor)
    outflow = member.outflows.exclude(state=OutflowState.ENDED).first()
    if outflow is None:
        raise RegistrationError(_("You have no open outflow registration: report your departure first."))
    if not (destination_org_name or "").strip():
        raise RegistrationError(_("Enter the party organisation you reported to."))
    return outflow_report_in(
        outflow=outflow,
        actor=actor,
        reported_on=reported_on,
        destination_org_name=destination_org_name.strip(),
    )


@transaction.atomic
def member_report_change(*, actor, member: Member | None = None, data: dict[str, Any]) -> ChangeReport:
    """变化要汇报 (Annex 3.4): a change the secretary reviews and applies."""
    own = _own_member(actor)
    if member is not None and member.pk != own.pk:
        raise RegistrationError(_("You can only report changes about yourself."))
    kind = data.get("kind")
    effective_on = data.get("effective_on")
    if kind != ChangeKind.RETURN:  # a return may be announced ahead; other changes have happened
        _not_future(effective_on, _("The date of the change"))
    required = {
        ChangeKind.LOCATION: ("new_county", _("the new county")),
        ChangeKind.EMPLOYER: ("new_unit", _("the new work or study unit")),
        ChangeKind.RESIDENCE: ("new_address", _("the new address")),
        ChangeKind.CONTACT: ("new_phone", _("the new phone")),
    }.get(kind)
    if required and not data.get(required[0]):
        raise RegistrationError(_("Enter %(what)s.") % {"what": required[1]})
    if data.get("new_county") is not None:
        _check_county(data["new_county"])
    outflow = own.outflows.exclude(state=OutflowState.ENDED).first()
    if kind in (ChangeKind.RETURN, ChangeKind.LOCATION) and outflow is None:
        raise RegistrationError(_("You have no open outflow registration to change."))
    report = ChangeReport(
        member=own,
        secondary_id=own.secondary_id,
        branch_id=own.branch_id,
        outflow=outflow,
        **{
            k: v
            for k, v in data.items()
            if k in {"kind", "effective_on", "new_county", "new_unit", "new_address", "new_phone", "details"}
        },
    )
    _save(report, actor)
    return report


@transaction.atomic
def change_report_apply(*, report: ChangeReport, actor) -> ChangeReport:
    _require(actor, "review_change_report", report, _("You may not review this report."))
    if report.status != ChangeReportStatus.PENDING:
        raise RegistrationError(_("This report has already been reviewed."))
    outflow = report.outflow
    if outflow is not None and outflow.state != OutflowState.ENDED:
        if report.kind == ChangeKind.RETURN:
            outflow_end(
                outflow=outflow,
                actor=actor,
                ended_on=min(report.effective_on, _today()),
                end_reason=EndReason.RETURNED if outflow.state != OutflowState.DRAFT else EndReason.CANCELLED,
                note=_("Applied from the member's change report."),
            )
        else:
            changes = {
                ChangeKind.LOCATION: {
                    "destination_county": report.new_county,
                    **({"destination_address": report.new_address} if report.new_address else {}),
                },
                ChangeKind.EMPLOYER: {"destination_unit": report.new_unit},
                ChangeKind.RESIDENCE: {"destination_address": report.new_address},
                ChangeKind.CONTACT: {"contact_phone": report.new_phone},
            }[report.kind]
            outflow_update(outflow=outflow, actor=actor, data=changes)
    if report.kind == ChangeKind.CONTACT and report.new_phone:
        report.member.phone = report.new_phone
        _save(report.member, actor)
    report.status = ChangeReportStatus.APPLIED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    _save(report, actor)
    return report


@transaction.atomic
def change_report_decline(*, report: ChangeReport, actor, reason: str) -> ChangeReport:
    _require(actor, "review_change_report", report, _("You may not review this report."))
    if report.status != ChangeReportStatus.PENDING:
        raise RegistrationError(_("This report has already been reviewed."))
    if not (reason or "").strip():
        raise RegistrationError(_("Say why the report is declined, so the member can correct it."))
    report.status = ChangeReportStatus.DECLINED
    report.decline_reason = reason.strip()
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    _save(report, actor)
    return report


# --- Inflows --------------------------------------------------------------------------------------------


def _start_inflow_clock(inflow: InflowRegistration) -> None:
    """Art. 2: counted from the origin's outflow registration; 30 days if the origin is in our province."""
    county = inflow.origin_county
    if county is None or not county.is_county_level:
        raise RegistrationError(_("Choose the origin county (县、市、区)."))
    _not_future(inflow.origin_registered_on, _("The origin's registration date"))
    inflow.due_on = rules.intake_deadline(
        registered_on=inflow.origin_registered_on,
        destination_county_code=county.code,
        home_province_code=_home_province(),
    )
    inflow.flow_scope = rules.flow_scope(origin_code=county.code, destination_code=_home_county())


@transaction.atomic
def inflow_create(
    *,
    actor,
    secondary: SecondaryOrganization,
    data: dict[str, Any],
    member: Member | None = None,
    new_person: dict[str, Any] | None = None,
) -> InflowRegistration:
    """流入登记: for an existing member record, or a new person whose relation is elsewhere."""
    _require(
        actor, "add_registration", secondary, _("You may only register inflows into your own organisation.")
    )
    if (member is None) == (new_person is None):
        raise RegistrationError(_("Choose an existing member or enter the new member's details."))
    if member is None:
        person = {
            **new_person,
            "secondary": secondary,
            "branch": None,
            "origin_organization": data.get("origin_org_name", ""),
        }
        try:
            member = member_create(actor=actor, data=person)
        except MemberError as exc:
            raise RegistrationError(str(exc)) from exc
    elif not permissions.can(actor, "view_member", member):
        raise RegistrationError(_("You may not register this member."))
    if member.inflows.exclude(state=InflowState.ENDED).exists():
        raise RegistrationError(
            _("%(name)s already has an open inflow registration.") % {"name": member.name}
        )
    inflow = InflowRegistration(member=member, secondary=secondary, created_by=actor)
    _apply(inflow, data, INFLOW_FIELDS)
    _check_transfer_facts(inflow)
    _start_inflow_clock(inflow)
    _save(inflow, actor)
    _event(inflow, action="create", from_state="", actor=actor)
    return inflow


@transaction.atomic
def inflow_update(*, inflow: InflowRegistration, actor, data: dict[str, Any]) -> InflowRegistration:
    _require(actor, "change_registration", inflow, _("You may not change this registration."))
    if inflow.state == InflowState.ENDED:
        raise RegistrationError(_("This registration has ended and can no longer be changed."))
    _apply(inflow, data, INFLOW_FIELDS)
    _check_transfer_facts(inflow)
    _start_inflow_clock(inflow)
    _save(inflow, actor)
    _event(inflow, action="update", from_state=inflow.state, actor=actor)
    return inflow


def _inflow_step(inflow, actor, action: str, *, note: str = "", **values) -> InflowRegistration:
    _require(actor, "change_registration", inflow, _("You may not change this registration."))
    previous = _transition(inflow, rules.INFLOW_TRANSITIONS, rules.INFLOW_TARGET, action)
    for name, value in values.items():
        setattr(inflow, name, value)
    _save(inflow, actor)
    _event(inflow, action=action, from_state=previous, actor=actor, note=note)
    return inflow


@transaction.atomic
def inflow_contact(*, inflow: InflowRegistration, actor, contacted_on: date) -> InflowRegistration:
    _not_future(contacted_on, _("The contact date"))
    return _inflow_step(inflow, actor, "contact", contacted_on=contacted_on)


@transaction.atomic
def inflow_register(*, inflow: InflowRegistration, actor, registered_on: date) -> InflowRegistration:
    _not_future(registered_on, _("The registration date"))
    if inflow.contacted_on and registered_on < inflow.contacted_on:
        raise RegistrationError(_("The registration date cannot be before the contact date."))
    return _inflow_step(inflow, actor, "register", registered_on=registered_on)


@transaction.atomic
def inflow_accept(*, inflow: InflowRegistration, actor, branch, accepted_on: date) -> InflowRegistration:
    """A2.1: put the member into one of our branches, without delay and without conditions."""
    if branch is None:
        raise RegistrationError(_("Choose the branch that takes the member in."))
    if branch.secondary_id != inflow.secondary_id or not branch.is_active:
        raise RegistrationError(_("Choose an active branch of the receiving organisation."))
    _not_future(accepted_on, _("The intake date"))
    return _inflow_step(
        inflow, actor, "accept", branch=branch, accepted_on=accepted_on, intake_completed_on=accepted_on
    )


@transaction.atomic
def inflow_record_origin_management(
    *, inflow: InflowRegistration, actor, origin_mpo_name: str, origin_confirmed_on: date | None
) -> InflowRegistration:
    """Art. 4: managed by a mobile-member organisation the origin set up, once the origin has confirmed it."""
    if not (origin_mpo_name or "").strip():
        raise RegistrationError(_("Enter the name of the origin's mobile-member organisation."))
    if origin_confirmed_on is None:
        raise RegistrationError(_("Verify with the origin first (Art. 4) and enter the date it confirmed."))
    _not_future(origin_confirmed_on, _("The confirmation date"))
    return _inflow_step(
        inflow,
        actor,
        "record_origin_management",
        origin_mpo_name=origin_mpo_name.strip(),
        origin_confirmed_on=origin_confirmed_on,
        intake_completed_on=origin_confirmed_on,
    )


@transaction.atomic
def inflow_end(
    *, inflow: InflowRegistration, actor, ended_on: date, end_reason: str, note: str = ""
) -> InflowRegistration:
    if end_reason not in EndReason.values:
        raise RegistrationError(_("Choose how the inflow ended: returned, transferred or cancelled."))
    _not_future(ended_on, _("The end date"))
    return _inflow_step(inflow, actor, "end", note=note, ended_on=ended_on, end_reason=end_reason)


# --- Screening and whereabouts (Art. 2) -------------------------------------------------------------------


@transaction.atomic
def screening_record(*, actor, secondary: SecondaryOrganization, data: dict[str, Any]) -> Screening:
    _require(
        actor, "record_screening", secondary, _("You may only record screenings for your own organisation.")
    )
    member = data.get("member")
    if member is not None and member.secondary_id != secondary.pk:
        raise RegistrationError(_("The member must belong to the organisation that screened."))
    _not_future(data.get("screened_on"), _("The screening date"))
    screening = Screening(secondary=secondary, screened_by=actor, **data)
    _save(screening, actor)
    return screening


@transaction.atomic
def member_flag_unknown(*, actor, member: Member, since: date, cause: str, note: str = "") -> Member:
    """信息掌握不明 (Art. 2): escalated to the organisation department's queue for cross-platform lookup."""
    _require(actor, "change_member", member, _("You may not change this member."))
    if not cause:
        raise RegistrationError(_("Choose why the whereabouts are unknown."))
    _not_future(since, _("The date"))
    member.whereabouts_unknown = True
    member.whereabouts_unknown_since = since
    member.whereabouts_unknown_cause = cause
    member.whereabouts_note = note
    _save(member, actor)
    return member


@transaction.atomic
def member_clear_unknown(*, actor, member: Member, note: str = "") -> Member:
    _require(actor, "change_member", member, _("You may not change this member."))
    member.whereabouts_unknown = False
    member.whereabouts_unknown_since = None
    member.whereabouts_unknown_cause = ""
    member.whereabouts_note = note
    _save(member, actor)
    return member


# --- Batch campaign reports (Art. 2) ----------------------------------------------------------------------

CAMPAIGN_REPORT_FIELDS = (
    "outflow_members",
    "inflow_members",
    "new_registrations",
    "intakes_completed",
    "intakes_pending",
    "pending_reasons",
    "members_reviewed",
    "note",
)


@transaction.atomic
def campaign_report_submit(*, task, actor, data: dict[str, Any], figures: dict[str, int]):
    """The secretary confirms (or corrects) the prefilled figures and submits the organisation's report."""
    from .models import CampaignState

    _require(
        actor, "submit_campaign_report", task, _("Only the organisation's secretary submits its report.")
    )
    if task.campaign.state != CampaignState.OPEN:
        raise RegistrationError(_("This campaign is closed; its reports can no longer be changed."))
    _apply(task, data, CAMPAIGN_REPORT_FIELDS)
    if not task.members_reviewed:
        raise RegistrationError(_("Review every mobile member before submitting (tick the box)."))
    if task.intakes_pending and not task.pending_reasons.strip():
        raise RegistrationError(_("Give the reasons why intakes are still pending."))
    task.corrected = any(getattr(task, k) != v for k, v in figures.items())
    if task.corrected and not task.note.strip():
        raise RegistrationError(
            _("The figures differ from the data: say in the note why they were corrected.")
        )
    task.submitted_at = timezone.now()
    task.submitted_by = actor
    _save(task, actor)
    return task


# --- Imports (registrations.resources): the rules above for a whole file, written in bulk -------------------


@dataclass
class OutflowImport:
    """One row of an outflow import: the stored registration (None for a new one), the registration as the
    row leaves it, and whether the row registers it (starts the intake clock)."""

    before: OutflowRegistration | None
    after: OutflowRegistration
    registers: bool = False


def outflow_import_check(*, actor, item: OutflowImport, registered_on: date | None) -> None:
    """What outflow_create / outflow_update / outflow_register check, without a query: rights, dates, the
    county, what registration requires; registering sets the state and the intake clock (Art. 2).

    The member, the county and any stored registration come loaded with the whole file."""
    outflow = item.after
    if item.before is None:
        _require(
            actor,
            "change_member",
            outflow.member,
            _("You may only register outflows of your own organisation's members."),
        )
    else:
        _require(actor, "change_registration", item.before, _("You may not change this registration."))
        if item.before.state == OutflowState.ENDED:
            raise RegistrationError(_("This registration has ended and can no longer be changed."))
    _check_outflow_dates(outflow)
    if outflow.destination_county is not None:
        _check_county(outflow.destination_county)
    if registered_on and not outflow.registered_on:
        missing = [label for _field, label in registration_missing(outflow)]
        if missing:
            raise RegistrationError(
                _("Before registering, fill in: %(fields)s.") % {"fields": "、".join(map(str, missing))}
            )
        _not_future(registered_on, _("The registration date"))
        if not rules.can_transition(rules.OUTFLOW_TRANSITIONS, outflow.state, "register"):
            raise RegistrationError(_("This registration cannot be registered again."))
        outflow.state = OutflowState.REGISTERED
        outflow.registered_on = registered_on
        item.registers = True
    if outflow.registered_on:
        _start_outflow_clock(outflow)  # a corrected destination may change the deadline (30 or 60 days)


_IMPORT_UPDATABLE = frozenset({*OUTFLOW_FIELDS, "state", "registered_on", "due_on", "flow_scope"})


@transaction.atomic
def outflow_bulk_import(*, actor, items: list[OutflowImport]) -> dict[str, int]:
    """Write an import's outflow registrations in bulk: the registrations, their timeline events, the members
    they make mobile (Art. 1) and the audit entries, in one transaction. Rights are checked again."""
    from members.audit import log_bulk

    now = timezone.now()
    created = [i for i in items if i.before is None]
    updated = [i for i in items if i.before is not None]
    for item in items:
        if item.before is None:
            _require(actor, "change_member", item.after.member, _("You may not change this member."))
        else:
            _require(actor, "change_registration", item.before, _("You may not change this registration."))
        _check_outflow_dates(item.after)
    OutflowRegistration.objects.bulk_create([i.after for i in created], batch_size=1000)
    if updated:
        for item in updated:
            item.after.updated_at = now
        changed = {
            field.name
            for item in updated
            for field in OutflowRegistration._meta.concrete_fields
            if field.name in _IMPORT_UPDATABLE
            and getattr(item.before, field.attname) != getattr(item.after, field.attname)
        }
        OutflowRegistration.objects.bulk_update(
            [i.after for i in updated], sorted(changed | {"updated_at"}), batch_size=1000
        )
    events = []
    for item in items:
        outflow = item.after
        if item.before is None:
            events.append(
                RegistrationEvent(
                    outflow=outflow, action="create", from_state="", to_state=OutflowState.DRAFT, actor=actor
                )
            )
        else:
            events.append(
                RegistrationEvent(
                    outflow=outflow,
                    action="update",
                    from_state=item.before.state,
                    to_state=item.before.state,
                    actor=actor,
                )
            )
        if item.registers:
            events.append(
                RegistrationEvent(
                    outflow=outflow,
                    action="register",
                    from_state=OutflowState.DRAFT if item.before is None else item.before.state,
                    to_state=outflow.state,
                    actor=actor,
                )
            )
    RegistrationEvent.objects.bulk_create(events, batch_size=1000)
    # Art. 1: a registered outflow makes the member a mobile member (as _mark_member_mobile does).
    members = []
    for item in items:
        member = item.after.member
        if item.registers and item.after.reason and member.mobility_reason != item.after.reason:
            names = [f.attname for f in Member._meta.concrete_fields]
            before = Member.from_db(member._state.db, names, [getattr(member, n) for n in names])
            member.mobility_reason = item.after.reason
            member.updated_at = now
            members.append((before, member))
    by_reason: dict[str, list[int]] = {}
    for _before, member in members:
        by_reason.setdefault(member.mobility_reason, []).append(member.pk)
    for reason, pks in by_reason.items():  # one UPDATE per reason (Art. 1 knows eleven), not a CASE per row
        Member.objects.filter(pk__in=pks).update(mobility_reason=reason, updated_at=now)
    log_bulk(actor=actor, created=[i.after for i in created], updated=[(i.before, i.after) for i in updated])
    log_bulk(actor=actor, updated=members)
    return {"created": len(created), "updated": len(updated), "members_made_mobile": len(members)}


@dataclass
class InflowImport:
    """One row of an inflow import: the stored open registration (None for a new one), the registration as the
    row leaves it, and the person to add first when the member is not on file yet."""

    before: InflowRegistration | None
    after: InflowRegistration
    new_member: Member | None = None


def inflow_import_check(*, actor, item: InflowImport) -> None:
    """What inflow_create / inflow_update check, without a query: rights, the origin county and registration
    date, and the intake clock of Art. 2 (counted from the origin's registration)."""
    inflow = item.after
    if item.before is None:
        _require(
            actor,
            "add_registration",
            inflow.secondary,
            _("You may only register inflows into your own organisation."),
        )
        if item.new_member is None and not permissions.can(actor, "view_member", inflow.member):
            raise RegistrationError(_("You may not register this member."))
    else:
        _require(actor, "change_registration", item.before, _("You may not change this registration."))
        if item.before.state == InflowState.ENDED:
            raise RegistrationError(_("This registration has ended and can no longer be changed."))
    _start_inflow_clock(inflow)


@transaction.atomic
def inflow_bulk_import(*, actor, items: list[InflowImport]) -> dict[str, int]:
    """Write an import's inflow registrations in bulk: the people not yet on file (through member_bulk_import),
    the registrations, their timeline events and the audit entries, in one transaction."""
    from members.audit import log_bulk
    from members.services import member_bulk_import

    for item in items:
        if item.before is None:
            _require(
                actor,
                "add_registration",
                item.after.secondary,
                _("You may only register inflows into your own organisation."),
            )
        else:
            _require(actor, "change_registration", item.before, _("You may not change this registration."))
    people = [item.new_member for item in items if item.new_member is not None]
    try:
        member_bulk_import(actor=actor, created=people, updated=[], changed_fields=set())
    except MemberError as exc:
        raise RegistrationError(str(exc)) from exc
    now = timezone.now()
    created = [i for i in items if i.before is None]
    updated = [i for i in items if i.before is not None]
    # bulk_create takes the member_id of the people added above from their new primary keys.
    InflowRegistration.objects.bulk_create([i.after for i in created], batch_size=1000)
    if updated:
        for item in updated:
            item.after.updated_at = now
        changed = {
            field.name
            for item in updated
            for field in InflowRegistration._meta.concrete_fields
            if field.name in (*INFLOW_FIELDS, "due_on", "flow_scope")
            and getattr(item.before, field.attname) != getattr(item.after, field.attname)
        }
        InflowRegistration.objects.bulk_update(
            [i.after for i in updated], sorted(changed | {"updated_at"}), batch_size=1000
        )
    RegistrationEvent.objects.bulk_create(
        [
            RegistrationEvent(
                inflow=item.after,
                action="create" if item.before is None else "update",
                from_state="" if item.before is None else item.before.state,
                to_state=item.after.state,
                actor=actor,
            )
            for item in items
        ],
        batch_size=1000,
    )
    log_bulk(actor=actor, created=[i.after for i in created], updated=[(i.before, i.after) for i in updated])
    return {"created": len(created), "updated": len(updated), "people_added": len(people)}
