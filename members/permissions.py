"""Who may see and do what: the one place that answers it.

`scope_for(user)` says which organisations a user sees; the `*_for(user)` functions return the querysets
that every selector starts from; `can(user, action, obj)` answers whether a user may do an action to an
object that they can already see. Views turn "not visible" into 404 and "visible, not allowed" into 403
through `get_visible_or_404` and `require`.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Branch, Member, Notification, Role, RoleAssignment, SecondaryOrganization


@dataclass(frozen=True)
class Scope:
    all: bool = False
    secondary_ids: frozenset[int] = field(default_factory=frozenset)  # as secondary-organisation secretary
    branch_ids: frozenset[int] = field(default_factory=frozenset)  # as branch secretary
    member_id: int | None = None  # the user's own member record
    member_secondary_id: int | None = None  # ...its organisation and branch
    member_branch_id: int | None = None

    @property
    def is_org_department(self) -> bool:
        return self.all

    @property
    def is_secondary_secretary(self) -> bool:
        return bool(self.secondary_ids)

    @property
    def is_branch_secretary(self) -> bool:
        return bool(self.branch_ids)

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @property
    def is_staff_role(self) -> bool:
        """Holds a role over organisations (not only their own record)."""
        return self.all or bool(self.secondary_ids) or bool(self.branch_ids)

    @property
    def has_any_role(self) -> bool:
        return self.is_staff_role or self.is_member


NO_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's roles, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_flowparty_scope", None)
    if cached is not None:
        return cached
    is_all = bool(user.is_superuser)
    secondary_ids, branch_ids = set(), set()
    for role, secondary_id, branch_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "secondary_id", "branch_id"
    ):
        if role == Role.ORG_DEPARTMENT:
            is_all = True
        elif role == Role.SECONDARY_SECRETARY:
            secondary_ids.add(secondary_id)
        elif role == Role.BRANCH_SECRETARY:
            branch_ids.add(branch_id)
    member_id, member_secondary_id, member_branch_id = Member.objects.filter(user=user).values_list(
        "pk", "secondary_id", "branch_id"
    ).order_by().first() or (None, None, None)
    scope = Scope(
        all=is_all,
        secondary_ids=frozenset(secondary_ids),
        branch_ids=frozenset(branch_ids),
        member_id=member_id,
        member_secondary_id=member_secondary_id,
        member_branch_id=member_branch_id,
    )
    user._flowparty_scope = scope
    return scope


def is_org_department(user) -> bool:
    return scope_for(user).all


# --- Querysets that every selector starts from ---------------------------------------------------------


def organizations_for(user) -> QuerySet[SecondaryOrganization]:
    """Secondary organisations the user may see: all, those they run, or those of the branches they run."""
    scope = scope_for(user)
    qs = SecondaryOrganization.objects.all()
    if scope.all:
        return qs
    return qs.filter(Q(pk__in=scope.secondary_ids) | Q(branches__pk__in=scope.branch_ids)).distinct()


def managed_organizations_for(user) -> QuerySet[SecondaryOrganization]:
    """Secondary organisations whose records the user may change (add members, registrations...)."""
    scope = scope_for(user)
    qs = SecondaryOrganization.objects.all()
    return qs if scope.all else qs.filter(pk__in=scope.secondary_ids)


def branches_for(user) -> QuerySet[Branch]:
    scope = scope_for(user)
    qs = Branch.objects.select_related("secondary")
    if scope.all:
        return qs
    return qs.filter(Q(secondary_id__in=scope.secondary_ids) | Q(pk__in=scope.branch_ids))


def scope_q(
    user, *, secondary: str = "secondary_id", branch: str | None = "branch_id", member: str | None = None
) -> Q | None:
    """A filter for any model scoped by secondary organisation, branch and member fields.

    Returns None for "everything"; a Q that matches nothing when the user has no scope.
    """
    scope = scope_for(user)
    if scope.all:
        return None
    q = Q(pk__in=[])
    if scope.secondary_ids:
        q |= Q(**{f"{secondary}__in": scope.secondary_ids})
    if scope.branch_ids and branch:
        q |= Q(**{f"{branch}__in": scope.branch_ids})
    if scope.member_id is not None and member:
        q |= Q(**{member: scope.member_id})
    return q


def filter_for(user, queryset: QuerySet, **fields) -> QuerySet:
    q = scope_q(user, **fields)
    return queryset if q is None else queryset.filter(q)


def members_for(user) -> QuerySet[Member]:
    """Members the user may see: everything in their organisations, their branch, or their own record."""
    scope = scope_for(user)
    # The own record needs no term of its own when an organisation or branch of the scope holds it (the usual
    # case: a secretary belongs to the organisation they run). The same rows, but without `OR id = ...` the
    # planner can count an organisation's members from an index alone.
    covered = scope.member_secondary_id in scope.secondary_ids or scope.member_branch_id in scope.branch_ids
    return filter_for(user, Member.objects.all(), member=None if covered else "pk")


def notifications_for(user) -> QuerySet[Notification]:
    """A person's own notifications, whatever their roles: the organisation department sees all members,
    never someone else's inbox."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


# --- Object-level rights -------------------------------------------------------------------------------


def _in_secondary(scope: Scope, obj) -> bool:
    return getattr(obj, "secondary_id", None) in scope.secondary_ids


def _in_branch(scope: Scope, obj) -> bool:
    return getattr(obj, "branch_id", None) in scope.branch_ids


def _view_member(scope: Scope, member: Member) -> bool:
    return (
        scope.all or _in_secondary(scope, member) or _in_branch(scope, member) or member.pk == scope.member_id
    )


def _change_member(scope: Scope, member: Member) -> bool:
    # Members are kept by their secondary organisation; branch secretaries and members only read.
    return scope.all or _in_secondary(scope, member)


def _add_member(scope: Scope, secondary: SecondaryOrganization | None) -> bool:
    if secondary is None:
        return scope.all or bool(scope.secondary_ids)
    return scope.all or secondary.pk in scope.secondary_ids


def _list_members(scope: Scope, obj=None) -> bool:
    return scope.is_staff_role


def _org_department_only(scope: Scope, obj=None) -> bool:
    return scope.all


def _view_record(scope: Scope, obj) -> bool:
    """A record kept about a member (registration, report): its organisation, branch, or the member."""
    return (
        scope.all
        or _in_secondary(scope, obj)
        or _in_branch(scope, obj)
        or (scope.member_id is not None and getattr(obj, "member_id", None) == scope.member_id)
    )


def _change_record(scope: Scope, obj) -> bool:
    # Registrations are kept by the owning secondary organisation (Art. 2); the department may act anywhere.
    return scope.all or _in_secondary(scope, obj)


def _add_record(scope: Scope, secondary=None) -> bool:
    return _add_member(scope, secondary)


def _in_secondary_only(scope: Scope, obj) -> bool:
    """Acts only the organisation's own secretary takes (its batch-registration report, Art. 2)."""
    return _in_secondary(scope, obj)


def _report_as_member(scope: Scope, obj=None) -> bool:
    """Annex 3: a member reports on their own record only."""
    if scope.member_id is None:
        return False
    return obj is None or getattr(obj, "member_id", getattr(obj, "pk", None)) == scope.member_id


def _view_transfer(scope: Scope, obj) -> bool:
    """A transfer: the handling organisation and branch, the receiving ones for a move between our branches,
    or the member."""
    return (
        _view_record(scope, obj)
        or getattr(obj, "to_secondary_id", None) in scope.secondary_ids
        or getattr(obj, "to_branch_id", None) in scope.branch_ids
    )


def _check_dossier(scope: Scope, obj) -> bool:
    # Art. 5: the origin checks before a transfer out, the receiver before a transfer in.
    return _change_record(scope, obj) or getattr(obj, "to_secondary_id", None) in scope.secondary_ids


def _approve_at_branch(scope: Scope, obj) -> bool:
    # The branch secretary decides the first step; the secondary organisation stands in for a branch
    # without one, and the department may act anywhere.
    return scope.all or _in_branch(scope, obj) or _in_secondary(scope, obj)


def _approve_at_secondary(scope: Scope, obj) -> bool:
    return scope.all or _in_secondary(scope, obj)


def _any_role(scope: Scope, obj=None) -> bool:
    return scope.has_any_role


def _record_about_member(scope: Scope, obj) -> bool:
    """Checklist records about a member (contacts, org life, care, evaluations...): the member's secondary
    organisation, the branch secretary of the member's branch (or of the record's branch), the department."""
    return scope.all or _in_secondary(scope, obj) or _in_branch(scope, obj)


def _record_for_organization(scope: Scope, obj=None) -> bool:
    """Org-life sessions and training: for an organisation the user runs, or a branch they run."""
    if obj is None:
        return scope.is_staff_role
    if isinstance(obj, Branch):
        return scope.all or obj.secondary_id in scope.secondary_ids or obj.pk in scope.branch_ids
    return scope.all or obj.pk in scope.secondary_ids


def _spend_allotment(scope: Scope, obj=None) -> bool:
    """Art. 9: the organisation the dues were allotted to records what it spent them on."""
    if obj is None:
        return scope.all or scope.is_secondary_secretary
    return scope.all or _in_secondary(scope, obj)


RULES = {
    "view_member": _view_member,
    "change_member": _change_member,
    "add_member": _add_member,
    "list_members": _list_members,
    "manage_organizations": _org_department_only,
    "view_registration": _view_record,
    "change_registration": _change_record,
    "add_registration": _add_record,
    "list_registrations": _list_members,
    "review_change_report": _change_record,
    "report_as_member": _report_as_member,
    "record_screening": _add_record,
    "view_unknown_queue": _org_department_only,
    "view_pending_work": _org_department_only,
    "view_dashboard": _list_members,
    "view_full_identifiers": _org_department_only,
    "open_accounts": _org_department_only,  # members' login accounts (members.accounts)
    "view_access_log": _org_department_only,
    "list_campaigns": _list_members,
    "view_campaign_task": _view_record,
    "submit_campaign_report": _in_secondary_only,
    "view_all": _org_department_only,
    # Formal transfers and membership retention (Art. 5)
    "list_transfers": _list_members,
    "view_transfer": _view_transfer,
    "add_transfer": _add_record,
    "change_transfer": _change_record,
    "check_dossier": _check_dossier,
    "approve_transfer_branch": _approve_at_branch,
    "approve_transfer_secondary": _approve_at_secondary,
    "approve_transfer_department": _org_department_only,
    "batch_approve_transfers": _org_department_only,
    "list_retentions": _list_members,
    "view_retention": _view_record,
    "add_retention": _add_record,
    "change_retention": _change_record,
    # Responsibility checklists (Annexes 1-3) and the records that meet them.
    "view_checklist_items": _any_role,
    "edit_checklist_items": _org_department_only,
    "view_checklists": _list_members,
    "record_about_member": _record_about_member,
    "record_conversion": _change_member,
    "record_org_life": _record_for_organization,
    "record_consultation": _add_record,
    "view_dues_allocations": _spend_allotment,
    "allot_dues": _org_department_only,
    "spend_allotted_dues": _spend_allotment,
    "record_inter_department_consultation": _org_department_only,
    # Excel exchange (issue 7): every staff role exports what it sees (the selectors scope the rows); only
    # those who keep members and registrations import them; full phone and ID numbers are the department's.
    "export": _list_members,
    "import_members": _add_member,
    "import_registrations": _add_record,
}


def can(user, action: str, obj=None) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None
    return rule(scope_for(user), obj)


def require(user, action: str, obj=None) -> None:
    """403 for a user who may see the object but not do this to it."""
    if not can(user, action, obj):
        raise PermissionDenied


def get_visible_or_404(queryset: QuerySet, **lookup) -> Model:
    """Fetch from a queryset already scoped to the user: anything outside the scope is a 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None
