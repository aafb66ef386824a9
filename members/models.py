"""Organisations, members and who holds which role.

The organisation tree is the committee (学校党委), its secondary organisations (二级党组织) and their
branches (党支部). A member belongs to one secondary organisation, which manages them; the formal
relation (正式组织关系) is held by a branch, or for members whose relation is elsewhere by an outside
organisation recorded as text.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import identity
from .crypto import EncryptedCharField, digest


class User(AbstractUser):
    """An account. The username is the staff or student number (工号/学号) for members."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username


class Committee(models.Model):
    """The university Party Committee (学校党委), top of the tree."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("university committee")
        verbose_name_plural = _("university committees")

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class SecondaryOrganization(models.Model):
    """二级党组织: a college committee, general branch, the offices' committee, the retirees' committee..."""

    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="secondary_organizations",
        verbose_name=_("university committee"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    ordering = models.PositiveIntegerField(_("ordering"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("secondary organisation")
        verbose_name_plural = _("secondary organisations")

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_active and self.retired_on:
            raise ValidationError({"retired_on": _("An active organisation has no retirement date.")})


class Branch(models.Model):
    """党支部, inside one secondary organisation."""

    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="branches",
        verbose_name=_("secondary organisation"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    ordering = models.PositiveIntegerField(_("ordering"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["secondary__ordering", "ordering", "code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.UniqueConstraint(fields=["secondary", "name"], name="branch_unique_name_in_secondary")
        ]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Category(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    STUDENT = "student", _("Student")
    GRADUATE = "graduate", _("Graduate")
    RETIREE = "retiree", _("Retiree")
    NEW_TEACHER = "new_teacher", _("New teacher")
    UPGRADE_STUDENT = "upgrade_student", _("Upgrade student")
    OTHER_STAFF = "other_staff", _("Other staff")


class Standing(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class MobilityReason(models.TextChoices):
    """Art. 1: who is managed as a mobile member."""

    DEGREE_STUDY = "degree_study", _("In-service degree study")
    SECONDMENT = "secondment", _("Secondment")
    VILLAGE_ASSISTANCE = "village_assistance", _("Village assistance")
    PLACEMENT_TEACHING = "placement_teaching", _("Placement teaching")
    EXCHANGE_STUDY = "exchange_study", _("Exchange study")
    GRADUATE_EXAMS = "graduate_exams", _("Graduate kept for public or postgraduate exams")
    NEW_TEACHER_UNTRANSFERRED = "new_teacher", _("New teacher, relation not yet transferred")
    UPGRADE_STUDENT_UNTRANSFERRED = "upgrade_student", _("Upgrade student, relation not yet transferred")
    RETIREE_ELSEWHERE = "retiree_elsewhere", _("Retiree living elsewhere")
    UNCERTAIN = "uncertain", _("Uncertain duration or attendance")
    OTHER = "other", _("Other")


class UnknownCause(models.TextChoices):
    """Art. 2: why a member's whereabouts are unknown (信息掌握不明)."""

    MIGRANT_WORK = "migrant_work", _("Migrant work or business")
    UNIT_RESTRUCTURED = "unit_restructured", _("Unit restructured")
    GRADUATE_UNKNOWN = "graduate_unknown", _("Graduate's destination unknown")
    CHANGED_EMPLOYER = "changed_employer", _("Changed employer")
    ABROAD = "abroad", _("Abroad")
    MOVED = "moved", _("Moved")
    OTHER = "other", _("Other")


SEARCH_MIN_CONTAINS = 3


class MemberQuerySet(models.QuerySet):
    def mobile(self):
        return self.exclude(mobility_reason="")

    def search(self, text: str):
        """Name, staff or student number, or the end of a phone number.

        From three characters on, any part of the name (trigram index on PostgreSQL); shorter input (a surname, a
        two-character name) matches names that start with it: a substring of one or two characters matches too
        much of a million members to be a search, and no index can serve it.
        """
        text = (text or "").strip()
        if not text:
            return self
        if len(text) < SEARCH_MIN_CONTAINS:
            return self.filter(Q(name__startswith=text) | Q(number__iexact=text))
        return self.filter(Q(name__icontains=text) | Q(number__iexact=text) | Q(phone__endswith=text))


class Member(models.Model):
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("branch holding the formal relation"),
    )
    origin_organization = models.CharField(
        _("formal relation held elsewhere by"),
        max_length=200,
        blank=True,
        help_text=_("For members whose formal relation is held outside the university."),
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("account"),
    )

    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    number = models.CharField(_("staff or student number"), max_length=32, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    id_number = EncryptedCharField(_("ID-card number"), blank=True)
    id_number_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)

    standing = models.CharField(
        _("party standing"), max_length=16, choices=Standing.choices, default=Standing.FULL
    )
    joined_on = models.DateField(
        _("date of joining"),
        null=True,
        blank=True,
        help_text=_("For a probationary member, the date admitted as probationary."),
    )
    converted_on = models.DateField(_("date of conversion"), null=True, blank=True)

    mobility_reason = models.CharField(
        _("mobility reason"),
        max_length=24,
        choices=MobilityReason.choices,
        blank=True,
        help_text=_("Art. 1. Empty when the member is not mobile."),
    )

    is_exempt = models.BooleanField(
        _("frail, immobile or gravely ill"),
        default=False,
        help_text=_("Art. 6: no requirement to attend activities and study."),
    )
    exempt_reason = models.CharField(_("exemption reason"), max_length=200, blank=True)

    whereabouts_unknown = models.BooleanField(_("whereabouts unknown"), default=False)
    whereabouts_unknown_since = models.DateField(_("unknown since"), null=True, blank=True)
    whereabouts_unknown_cause = models.CharField(
        _("cause"), max_length=24, choices=UnknownCause.choices, blank=True
    )
    whereabouts_note = models.CharField(_("note"), max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["secondary__ordering", "number"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [
            models.Index(fields=["secondary", "number"]),
            models.Index(fields=["name"]),
            models.Index(fields=["mobility_reason"]),
            # A branch secretary's list, in number order without a sort.
            models.Index(fields=["branch", "number"], name="member_branch_number"),
            # Search by staff or student number is case-insensitive (number__iexact).
            models.Index(Upper("number"), name="member_number_upper"),
            # The dashboard's and the home page's breakdowns of mobile members, read from the index alone
            # (PostgreSQL; `include` is ignored elsewhere). Name search uses trigram indexes made by migration
            # members/0003 on PostgreSQL only.
            models.Index(
                fields=["secondary", "category", "mobility_reason"],
                include=["id"],
                condition=~Q(mobility_reason=""),
                name="member_mobile",
            ),
            models.Index(fields=["secondary"], condition=Q(whereabouts_unknown=True), name="member_unknown"),
            # The department's queue of unknown whereabouts, longest first.
            models.Index(
                fields=["whereabouts_unknown_since", "id"],
                condition=Q(whereabouts_unknown=True),
                name="member_unknown_queue",
            ),
            models.Index(
                fields=["secondary"], condition=Q(standing="probationary"), name="member_probationary"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.number}）"

    def save(self, *args, **kwargs):
        # Keep the look-up digest in step with the encrypted value (storage detail, not a business rule).
        self.id_number_digest = digest(self.id_number) if self.id_number else None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    @property
    def is_mobile(self) -> bool:
        return bool(self.mobility_reason)

    @property
    def conversion_due_on(self) -> date | None:
        """Party Constitution Art. 7: the probationary period is one year from admission."""
        if self.standing != Standing.PROBATIONARY or not self.joined_on:
            return None
        return self.joined_on + relativedelta(years=1)

    @property
    def masked_phone(self) -> str:
        return identity.mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return identity.mask_id_number(self.id_number)

    @property
    def formal_relation(self) -> str:
        if self.branch_id:
            return str(self.branch)
        return self.origin_organization

    def clean(self):
        errors = {}
        if self.id_number:
            self.id_number = identity.normalize_id_number(self.id_number)
            if not identity.is_valid_id_number(self.id_number):
                errors["id_number"] = _(
                    "Enter an 18-character ID-card number whose last character is the correct "
                    "check digit (0-9 or X)."
                )
        if self.branch_id and self.secondary_id and self.branch.secondary_id != self.secondary_id:
            errors["branch"] = _("The branch must belong to the member's secondary organisation.")
        if not self.branch_id and not self.origin_organization.strip():
            errors["origin_organization"] = _(
                "Choose the branch holding the formal relation, or enter the outside "
                "organisation that holds it."
            )
        if self.branch_id and self.origin_organization.strip():
            errors["origin_organization"] = _(
                "A member whose relation is held by one of our branches has no outside organisation."
            )
        if (
            self.standing == Standing.FULL
            and self.joined_on
            and self.converted_on
            and self.converted_on < self.joined_on
        ):
            errors["converted_on"] = _("The conversion date cannot be before the date of joining.")
        if self.standing == Standing.PROBATIONARY and self.converted_on:
            errors["converted_on"] = _(
                "A probationary member has not been converted yet; clear the conversion date."
            )
        if self.standing == Standing.PROBATIONARY and not self.joined_on:
            errors["joined_on"] = _(
                "Enter the date the member was admitted as probationary; conversion is due a year later."
            )
        if self.is_exempt and not self.exempt_reason.strip():
            errors["exempt_reason"] = _("Say why the member is exempt (Art. 6).")
        if self.whereabouts_unknown:
            if not self.whereabouts_unknown_since:
                errors["whereabouts_unknown_since"] = _("Enter since when the whereabouts are unknown.")
            if not self.whereabouts_unknown_cause:
                errors["whereabouts_unknown_cause"] = _("Choose why the whereabouts are unknown.")
        if self.joined_on and self.joined_on > timezone.localdate():
            errors["joined_on"] = _("The date of joining cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    ORG_DEPARTMENT = "org_department", _("Organisation department")
    SECONDARY_SECRETARY = "secondary_secretary", _("Secondary organisation secretary")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")


class RoleAssignment(models.Model):
    """One role one person holds. A person may hold several; a member's own role comes from Member.user."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("branch"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role="org_department", secondary__isnull=True, branch__isnull=True)
                    | Q(role="secondary_secretary", secondary__isnull=False, branch__isnull=True)
                    | Q(role="branch_secretary", secondary__isnull=True, branch__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role="org_department"), name="role_unique_org_department"
            ),
            models.UniqueConstraint(
                fields=["user", "secondary"],
                condition=Q(role="secondary_secretary"),
                name="role_unique_secondary_secretary",
            ),
            models.UniqueConstraint(
                fields=["user", "branch"],
                condition=Q(role="branch_secretary"),
                name="role_unique_branch_secretary",
            ),
        ]

    def __str__(self):
        scope = self.secondary or self.branch or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()

    def clean(self):
        if self.role == Role.ORG_DEPARTMENT and (self.secondary_id or self.branch_id):
            raise ValidationError(
                _("The organisation department role covers all organisations; leave scope empty.")
            )
        if self.role == Role.SECONDARY_SECRETARY and (not self.secondary_id or self.branch_id):
            raise ValidationError({"secondary": _("Choose the secondary organisation this secretary runs.")})
        if self.role == Role.BRANCH_SECRETARY and (not self.branch_id or self.secondary_id):
            raise ValidationError({"branch": _("Choose the branch this secretary runs.")})


class Notification(models.Model):
    """One notice to one person: shown under the bell, and e-mailed once when they have an address.

    Written only by `members.notifications.notify` / `notify_many`. A job that notifies about a subject at a
    stage (a registration's 7-day reminder...) passes a `dedupe_key`; the unique constraint makes a second
    run of the job a no-op for that person, whatever happened in between.
    """

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.SlugField(_("kind"), max_length=64, help_text=_("What happened, e.g. intake_due."))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True, help_text=_("Where the subject is shown."))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("subject type")
    )
    object_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        blank=True,
        help_text=_("The same key is never notified to the same person twice."),
    )
    created_at = models.DateTimeField(_("notified at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            ),
        ]
        indexes = [
            # The list page: one person's notices, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The bell's count runs on every page: only the unread rows are indexed.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The e-mail sweep looks for what was not e-mailed yet.
            models.Index(
                fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent"
            ),
            models.Index(fields=["content_type", "object_id"], name="notification_subject"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class AccessAction(models.TextChoices):
    VIEW_MEMBER = "view_member", _("Viewed a member's page")
    REVEAL = "reveal", _("Revealed a phone or ID number")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")


class AccessLog(models.Model):
    """Who read which personal data, when (PIPL Art. 28: sensitive personal data). Written, never changed."""

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("account")
    )
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices, db_index=True)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    what = models.CharField(_("what"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
