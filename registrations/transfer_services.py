"""Every write to formal transfers, dossier checks, introduction letters and membership retention (Art. 5).

Each service checks the actor's right, validates, writes and records a TransferStep in the same transaction
(auditlog keeps the field-level history alongside). A refusal or a return always carries a reason: Art. 5
forbids refusing to transfer or to receive a member's relation without one (不得无故拒转拒接).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import permissions
from members.models import Branch, Member

from . import rules, transfer_rules
from .models import (
    DossierCheck,
    EndReason,
    InflowState,
    MembershipRetention,
    OutflowState,
    RelationTransfer,
    RetentionContact,
    RetentionState,
    TransferBasis,
    TransferDecision,
    TransferDirection,
    TransferStage,
    TransferState,
    TransferStep,
)
from .services import (
    RegistrationError,
    _home_county,
    _not_future,
    _require,
    _save,
    _today,
    inflow_end,
    outflow_end,
)

TRANSFER_FIELDS = ("from_org_name", "to_org_name", "other_county", "to_branch", "note")
RETENTION_FIELDS = (
    "country",
    "institution",
    "started_on",
    "expected_end_on",
    "emergency_contact_1",
    "emergency_contact_1_phone",
    "emergency_contact_1_relation",
    "emergency_contact_2",
    "emergency_contact_2_phone",
    "emergency_contact_2_relation",
)

ACTION_LABELS = {
    "submit": gettext_lazy("submitted"),
    "approve": gettext_lazy("approved"),
    "return": gettext_lazy("returned for revision"),
    "refuse": gettext_lazy("refused"),
    "complete": gettext_lazy("completed"),
    "cancel": gettext_lazy("cancelled"),
}


def _step(transfer: RelationTransfer, *, decision: str, from_state: str, actor, stage="", reason="") -> None:
    TransferStep.objects.create(
        transfer=transfer,
        stage=stage,
        decision=decision,
        from_state=from_state,
        to_state=transfer.state,
        actor=actor,
        reason=reason,
    )


def _transition(transfer: RelationTransfer, action: str) -> str:
    if not transfer_rules.can_transfer_transition(transfer.state, action):
        raise RegistrationError(
            _("This transfer is %(state)s; it cannot be %(action)s now.")
            % {"state": transfer.get_state_display(), "action": ACTION_LABELS.get(action, action)}
        )
    return transfer.state


def _apply(obj, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)


def _one_open_transfer_message(member: Member) -> str:
    return _("%(name)s already has an open transfer; finish or cancel it before starting another.") % {
        "name": member.name
    }


def _check_branch(branch: Branch | None, *, message: str) -> Branch:
    if branch is None or not branch.is_active:
        raise RegistrationError(message)
    return branch


def _route(transfer: RelationTransfer) -> None:
    """Fill in where the relation moves from and to, by direction, and check it makes sense."""
    member = transfer.member
    county = transfer.other_county
    if transfer.direction in (TransferDirection.OUT, TransferDirection.INTERNAL):
        if not member.branch_id:
            raise RegistrationError(
                _(
                    "%(name)s's formal relation is not held by one of our branches; it cannot be transferred out."
                )
                % {"name": member.name}
            )
        transfer.from_branch_id = transfer.branch_id = member.branch_id
        transfer.from_org_name = ""
    if transfer.direction == TransferDirection.OUT:
        if not transfer.to_org_name:
            raise RegistrationError(_("Enter the party organisation the relation is transferred to."))
        if county is None or not county.is_county_level:
            raise RegistrationError(_("Choose the county (县、市、区) of the receiving organisation."))
        transfer.to_branch = transfer.to_secondary = None
        transfer.flow_scope = rules.flow_scope(origin_code=_home_county(), destination_code=county.code)
    elif transfer.direction == TransferDirection.IN:
        if member.branch_id:
            raise RegistrationError(
                _("%(name)s's formal relation is already held by %(branch)s.")
                % {"name": member.name, "branch": member.branch}
            )
        transfer.from_org_name = transfer.from_org_name or member.origin_organization
        if not transfer.from_org_name:
            raise RegistrationError(_("Enter the party organisation the relation comes from."))
        if county is None or not county.is_county_level:
            raise RegistrationError(_("Choose the county (县、市、区) of the organisation it comes from."))
        branch = _check_branch(
            transfer.to_branch,
            message=_("Choose the active branch that receives the relation."),
        )
        if branch.secondary_id != member.secondary_id:
            raise RegistrationError(
                _("The receiving branch must belong to %(secondary)s, which manages the member.")
                % {"secondary": member.secondary}
            )
        transfer.branch = transfer.to_branch = branch
        transfer.to_secondary_id = branch.secondary_id
        transfer.from_branch = None
        transfer.to_org_name = ""
        transfer.flow_scope = rules.flow_scope(origin_code=county.code, destination_code=_home_county())
    elif transfer.direction == TransferDirection.INTERNAL:
        branch = _check_branch(
            transfer.to_branch,
            message=_("Choose the active branch that receives the relation."),
        )
        if branch.pk == member.branch_id:
            raise RegistrationError(_("The relation is already held by that branch."))
        transfer.to_secondary_id = branch.secondary_id
        transfer.to_org_name = ""
        transfer.other_county = None
        transfer.flow_scope = ""
    else:
        raise RegistrationError(_("Choose the direction: transfer out, transfer in or between our branches."))


# --- Transfers --------------------------------------------------------------------------------------------


@transaction.atomic
def transfer_create(
    *, actor, member: Member, direction: str, data: dict[str, Any], basis: str = TransferBasis.OTHER
) -> RelationTransfer:
    """A transfer, from a due suggestion (basis = its kind) or by hand; starts as a draft."""
    _require(
        actor, "change_member", member, _("You may only start transfers of your own organisation's members.")
    )
    if basis not in TransferBasis.values:
        raise RegistrationError(_("Choose why the relation is transferred."))
    if RelationTransfer.objects.filter(member=member).open().exists():
        raise RegistrationError(_one_open_transfer_message(member))
    transfer = RelationTransfer(
        member=member, direction=direction, basis=basis, secondary_id=member.secondary_id, created_by=actor
    )
    _apply(transfer, data, TRANSFER_FIELDS)
    _route(transfer)
    try:
        with transaction.atomic():
            _save(transfer, actor)
    except IntegrityError:  # a concurrent request opened one first
        raise RegistrationError(_one_open_transfer_message(member)) from None
    DossierCheck.objects.bulk_create(
        DossierCheck(transfer=transfer, item=item) for item in transfer_rules.checklist(direction)
    )
    _step(transfer, decision=TransferDecision.CREATE, from_state="", actor=actor)
    return transfer


@transaction.atomic
def transfer_update(*, transfer: RelationTransfer, actor, data: dict[str, Any]) -> RelationTransfer:
    """Details can change while the transfer is a draft or has been returned for revision."""
    _require(actor, "change_transfer", transfer, _("You may not change this transfer."))
    if transfer.state not in (TransferState.DRAFT, TransferState.RETURNED):
        raise RegistrationError(_("Only a draft or a returned transfer can be changed."))
    _apply(transfer, data, TRANSFER_FIELDS)
    _route(transfer)
    _save(transfer, actor)
    _step(transfer, decision=TransferDecision.UPDATE, from_state=transfer.state, actor=actor)
    return transfer


@transaction.atomic
def transfer_submit(*, transfer: RelationTransfer, actor) -> RelationTransfer:
    """Draft or returned -> awaiting the branch's decision, the first step of the chain."""
    _require(actor, "change_transfer", transfer, _("You may not change this transfer."))
    previous = _transition(transfer, "submit")
    transfer.state = TransferState.PENDING
    transfer.stage = transfer_rules.CHAIN[0]
    transfer.submitted_on = _today()
    transfer.decision_reason = ""  # the return's reason stays in the steps
    _save(transfer, actor)
    _step(transfer, decision=TransferDecision.SUBMIT, from_state=previous, actor=actor)
    return transfer


def _decide(transfer: RelationTransfer, actor, action: str, reason: str = "") -> RelationTransfer:
    previous = _transition(transfer, action)
    stage = transfer.stage
    if not permissions.can(actor, f"approve_transfer_{stage}", transfer):
        raise RegistrationError(
            _("The decision at this step (%(stage)s) is not yours to make.")
            % {"stage": TransferStage(stage).label}
        )
    reason = (reason or "").strip()
    if transfer_rules.needs_reason(action) and not reason:
        if action == "refuse":
            raise RegistrationError(
                _("Record the reason for refusing: Art. 5 forbids refusing a transfer without one.")
            )
        raise RegistrationError(_("Record what must be revised, so the secretary can correct it."))
    if action == "approve":
        following = transfer_rules.next_stage(stage)
        if following is None:
            transfer.state = TransferState.APPROVED
            transfer.stage = ""
            transfer.approved_on = _today()
        else:
            transfer.stage = following
        transfer.decision_reason = ""
    else:
        transfer.state = TransferState.RETURNED if action == "return" else TransferState.REFUSED
        transfer.stage = ""
        transfer.decision_reason = reason
    _save(transfer, actor)
    _step(transfer, decision=action, from_state=previous, actor=actor, stage=stage, reason=reason)
    return transfer


@transaction.atomic
def transfer_approve(*, transfer: RelationTransfer, actor, note: str = "") -> RelationTransfer:
    return _decide(transfer, actor, "approve", note)


@transaction.atomic
def transfer_return(*, transfer: RelationTransfer, actor, reason: str) -> RelationTransfer:
    return _decide(transfer, actor, "return", reason)


@transaction.atomic
def transfer_refuse(*, transfer: RelationTransfer, actor, reason: str) -> RelationTransfer:
    return _decide(transfer, actor, "refuse", reason)


@dataclass
class BatchResult:
    approved: list[RelationTransfer]
    skipped: list[RelationTransfer]


@transaction.atomic
def transfer_batch_approve(*, transfers, actor) -> BatchResult:
    """The organisation department approves many transfers at its step at once; each is audited alone.
    Transfers no longer awaiting the department (decided meanwhile) are skipped, not failed."""
    if not permissions.can(actor, "batch_approve_transfers"):
        raise RegistrationError(_("Only the organisation department approves transfers in a batch."))
    result = BatchResult(approved=[], skipped=[])
    for transfer in transfers:
        if transfer.state != TransferState.PENDING or transfer.stage != TransferStage.DEPARTMENT:
            result.skipped.append(transfer)
            continue
        _decide(transfer, actor, "approve")
        result.approved.append(transfer)
    return result


@transaction.atomic
def transfer_check(
    *, transfer: RelationTransfer, actor, item: str, note: str = "", dues_paid_until: date | None = None
) -> DossierCheck:
    """Art. 5: one dossier item checked, by whom and when."""
    _require(actor, "check_dossier", transfer, _("You may not check this transfer's dossier."))
    if not transfer.is_open:
        raise RegistrationError(_("This transfer is closed; its dossier check can no longer change."))
    check = transfer.checks.filter(item=item).first()
    if check is None:
        raise RegistrationError(_("That item is not on this transfer's checklist."))
    if check.is_done:
        raise RegistrationError(_("That item has already been checked."))
    if item == DossierCheck.Item.DUES_PAID:
        if dues_paid_until is None:
            raise RegistrationError(_("Enter the month up to which the party dues are paid."))
        transfer.dues_paid_until = dues_paid_until.replace(day=1)
        _save(transfer, actor)
    check.done_by = actor
    check.done_at = timezone.now()
    check.note = (note or "").strip()
    _save(check, actor)
    reason = check.get_item_display()
    if check.note:
        reason = f"{reason}: {check.note}"
    _step(transfer, decision=TransferDecision.CHECK, from_state=transfer.state, actor=actor, reason=reason)
    return check


def unfinished_checks(transfer: RelationTransfer) -> list[DossierCheck]:
    return [c for c in transfer.checks.all() if not c.is_done]


@transaction.atomic
def transfer_letter_print(*, transfer: RelationTransfer, actor, valid_days: int | None = None) -> bytes:
    """The introduction letter (介绍信) as a PDF; only for an approved transfer. The first print issues it
    (number, date, validity); every print is counted with its printer."""
    from .letters import render_introduction_letter

    _require(actor, "change_transfer", transfer, _("You may not print this transfer's letter."))
    if not transfer.has_letter:
        raise RegistrationError(
            _("A transfer in arrives with the origin's introduction letter; record its receipt instead.")
        )
    if transfer.state not in (TransferState.APPROVED, TransferState.COMPLETED):
        raise RegistrationError(
            _("The introduction letter is issued only once every step has approved the transfer.")
        )
    today = _today()
    if transfer.letter_issued_on is None:
        days = valid_days or transfer_rules.letter_valid_days(cross_province=transfer.is_cross_province)
        transfer.letter_issued_on = today
        transfer.letter_valid_days = days
        transfer.letter_valid_until = transfer_rules.letter_valid_until(issued_on=today, valid_days=days)
        transfer.letter_number = f"{today.year}{transfer.pk:05d}"
    transfer.letter_print_count += 1
    transfer.letter_last_printed_by = actor
    transfer.letter_last_printed_at = timezone.now()
    _save(transfer, actor)
    _step(
        transfer,
        decision=TransferDecision.LETTER,
        from_state=transfer.state,
        actor=actor,
        reason=_("Printed %(count)d time(s)") % {"count": transfer.letter_print_count},
    )
    return render_introduction_letter(transfer)


@transaction.atomic
def transfer_receipt_record(
    *, transfer: RelationTransfer, actor, returned_on: date, note: str = ""
) -> RelationTransfer:
    """The tear-off receipt (回执) came back from the receiving organisation."""
    _require(actor, "change_transfer", transfer, _("You may not change this transfer."))
    if transfer.letter_issued_on is None:
        raise RegistrationError(_("No introduction letter has been issued for this transfer yet."))
    if transfer.receipt_returned_on is not None:
        raise RegistrationError(_("The receipt has already been recorded."))
    _not_future(returned_on, _("The date the receipt came back"))
    if returned_on < transfer.letter_issued_on:
        raise RegistrationError(_("The receipt cannot come back before the letter was issued."))
    transfer.receipt_returned_on = returned_on
    transfer.receipt_note = (note or "").strip()
    _save(transfer, actor)
    _step(
        transfer,
        decision=TransferDecision.RECEIPT,
        from_state=transfer.state,
        actor=actor,
        reason=transfer.receipt_note,
    )
    return transfer


@transaction.atomic
def transfer_complete(*, transfer: RelationTransfer, actor, completed_on: date) -> RelationTransfer:
    """The relation moves: the member's branch (or the outside organisation's name) changes, and any open
    outflow or inflow ends as transferred. Not before the dossier check is complete."""
    _require(actor, "change_transfer", transfer, _("You may not complete this transfer."))
    previous = _transition(transfer, "complete")
    missing = unfinished_checks(transfer)
    if missing:
        raise RegistrationError(
            _("Finish the dossier check first (Art. 5): %(items)s.")
            % {"items": "、".join(c.get_item_display() for c in missing)}
        )
    if transfer.has_letter and transfer.letter_issued_on is None:
        raise RegistrationError(_("Print the introduction letter before completing the transfer."))
    _not_future(completed_on, _("The completion date"))
    if transfer.approved_on and completed_on < transfer.approved_on:
        raise RegistrationError(_("The transfer cannot complete before it was approved."))

    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    note = _("Formal relation transferred: %(from)s → %(to)s") % {
        "from": transfer.origin_label,
        "to": transfer.destination_label,
    }
    for outflow in member.outflows.exclude(state=OutflowState.ENDED):
        outflow_end(
            outflow=outflow,
            actor=actor,
            ended_on=completed_on,
            end_reason=EndReason.CANCELLED if outflow.state == OutflowState.DRAFT else EndReason.TRANSFERRED,
            note=note,
        )
    for inflow in member.inflows.exclude(state=InflowState.ENDED):
        inflow_end(
            inflow=inflow, actor=actor, ended_on=completed_on, end_reason=EndReason.TRANSFERRED, note=note
        )

    if transfer.direction == TransferDirection.OUT:
        member.branch = None
        member.origin_organization = transfer.to_org_name
        member.mobility_reason = ""  # no longer ours to manage as a mobile member (Art. 1)
    else:
        member.branch = transfer.to_branch
        member.secondary_id = transfer.to_branch.secondary_id
        member.origin_organization = ""
        if transfer.direction == TransferDirection.IN:
            member.mobility_reason = ""  # the relation is here now (Art. 1: no longer untransferred)
    try:
        member.full_clean()
    except ValidationError as exc:
        raise RegistrationError(" ".join(exc.messages)) from exc
    _save(member, actor)

    transfer.state = TransferState.COMPLETED
    transfer.completed_on = completed_on
    _save(transfer, actor)
    _step(transfer, decision=TransferDecision.COMPLETE, from_state=previous, actor=actor, reason=note)
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: RelationTransfer, actor, reason: str) -> RelationTransfer:
    _require(actor, "change_transfer", transfer, _("You may not change this transfer."))
    previous = _transition(transfer, "cancel")
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(_("Say why the transfer is cancelled."))
    transfer.state = TransferState.CANCELLED
    transfer.stage = ""
    _save(transfer, actor)
    _step(transfer, decision=TransferDecision.CANCEL, from_state=previous, actor=actor, reason=reason)
    return transfer


# --- Membership retention (保留党籍) ------------------------------------------------------------------------


def _check_retention(retention: MembershipRetention) -> None:
    required = {
        "country": _("the country or region"),
        "institution": _("the institution abroad"),
        "started_on": _("the start date"),
        "expected_end_on": _("the expected end"),
        "emergency_contact_1": _("the first emergency contact"),
        "emergency_contact_1_phone": _("the first emergency contact's phone"),
        "emergency_contact_2": _("the second emergency contact"),
        "emergency_contact_2_phone": _("the second emergency contact's phone"),
    }
    missing = [str(label) for name, label in required.items() if not getattr(retention, name)]
    if missing:
        raise RegistrationError(_("Enter %(what)s.") % {"what": "、".join(missing)})
    if retention.expected_end_on < retention.started_on:
        raise RegistrationError(_("The expected end is before the start; check both dates."))
    if retention.emergency_contact_1_phone == retention.emergency_contact_2_phone:
        raise RegistrationError(_("The two emergency contacts need two different phone numbers."))


@transaction.atomic
def retention_create(*, actor, member: Member, data: dict[str, Any]) -> MembershipRetention:
    """保留党籍 for a member going abroad (Art. 5); the first contact is due 6 months after the start."""
    _require(
        actor,
        "change_member",
        member,
        _("You may only record retention for your own organisation's members."),
    )
    if not member.branch_id:
        raise RegistrationError(
            _("%(name)s's formal relation is not held by one of our branches.") % {"name": member.name}
        )
    if member.retentions.filter(state=RetentionState.ACTIVE).exists():
        raise RegistrationError(_("%(name)s's membership is already retained.") % {"name": member.name})
    retention = MembershipRetention(
        member=member, secondary_id=member.secondary_id, branch_id=member.branch_id, created_by=actor
    )
    _apply(retention, data, RETENTION_FIELDS)
    _check_retention(retention)
    retention.next_contact_due_on = transfer_rules.retention_contact_due(
        started_on=retention.started_on, last_contact_on=None
    )
    try:
        with transaction.atomic():
            _save(retention, actor)
    except IntegrityError:
        raise RegistrationError(
            _("%(name)s's membership is already retained.") % {"name": member.name}
        ) from None
    return retention


@transaction.atomic
def retention_record_contact(
    *, retention: MembershipRetention, actor, contacted_on: date, method: str, note: str = ""
) -> RetentionContact:
    _require(actor, "change_retention", retention, _("You may not change this retention."))
    if retention.state != RetentionState.ACTIVE:
        raise RegistrationError(_("This retention has ended."))
    _not_future(contacted_on, _("The contact date"))
    if contacted_on < retention.started_on:
        raise RegistrationError(_("The contact date cannot be before the retention started."))
    contact = RetentionContact(
        retention=retention,
        contacted_on=contacted_on,
        method=method,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    _save(contact, actor)
    if retention.last_contact_on is None or contacted_on > retention.last_contact_on:
        retention.last_contact_on = contacted_on
    retention.next_contact_due_on = transfer_rules.retention_contact_due(
        started_on=retention.started_on, last_contact_on=retention.last_contact_on
    )
    _save(retention, actor)
    return contact


@transaction.atomic
def retention_end(*, retention: MembershipRetention, actor, ended_on: date, note: str) -> MembershipRetention:
    _require(actor, "change_retention", retention, _("You may not change this retention."))
    if retention.state != RetentionState.ACTIVE:
        raise RegistrationError(_("This retention has already ended."))
    if not (note or "").strip():
        raise RegistrationError(_("Say how the retention ended (returned, relation transferred...)."))
    _not_future(ended_on, _("The end date"))
    if ended_on < retention.started_on:
        raise RegistrationError(_("The end date cannot be before the retention started."))
    retention.state = RetentionState.ENDED
    retention.ended_on = ended_on
    retention.end_note = note.strip()
    _save(retention, actor)
    return retention
