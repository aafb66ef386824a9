"""The three responsibility checklists (Annexes 1-3) and the records that meet them (Art. 6-9).

Items are data, seeded by a migration with the seed's own Chinese wording and editable by the organisation
department. Whether an item is met is never stored: rules.py computes it from the records below.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Branch, Member, SecondaryOrganization

from . import rules


class Checklist(models.TextChoices):
    ORIGIN = rules.Checklist.ORIGIN, _("Origin secondary organisation (Annex 1)")
    DESTINATION = rules.Checklist.DESTINATION, _("Destination secondary organisation (Annex 2)")
    MEMBER = rules.Checklist.MEMBER, _("Mobile member (Annex 3)")


class Cadence(models.TextChoices):
    MONTH = rules.Cadence.MONTH, _("Every month")
    QUARTER = rules.Cadence.QUARTER, _("Every quarter")
    HALF_YEAR = rules.Cadence.HALF_YEAR, _("Every half year")
    YEAR = rules.Cadence.YEAR, _("Every year")
    ONCE = rules.Cadence.ONCE, _("Once per outflow or inflow")
    AS_NEEDED = rules.Cadence.AS_NEEDED, _("As needed")


class Rule(models.TextChoices):
    RECORDS = rules.Rule.RECORDS, _("A record of the listed kinds in each period")
    OUTFLOW_REPORTING = (
        rules.Rule.OUTFLOW_REPORTING,
        _("Pre-departure education, outflow registration and reporting in"),
    )
    INFLOW_INTAKE = rules.Rule.INFLOW_INTAKE, _("Intake by the Art. 2 deadline")
    DEPARTURE_REPORT = rules.Rule.DEPARTURE_REPORT, _("Reported before leaving")
    ARRIVAL_AND_DUES = rules.Rule.ARRIVAL_AND_DUES, _("Reported in, and dues paid up to date")
    PROBATION = rules.Rule.PROBATION, _("Probationary conduct each period, conversion on time")
    FOLLOW_UP = rules.Rule.FOLLOW_UP, _("As needed; disposals sent on within 14 days")


class RecordType(models.TextChoices):
    OUTFLOW_REGISTRATION = rules.RecordType.OUTFLOW_REGISTRATION, _("Outflow registration")
    INFLOW_REGISTRATION = rules.RecordType.INFLOW_REGISTRATION, _("Inflow registration")
    DEPARTURE_REPORT = rules.RecordType.DEPARTURE_REPORT, _("Report before leaving")
    ARRIVAL_REPORT = rules.RecordType.ARRIVAL_REPORT, _("Report on arrival")
    CONTACT = rules.RecordType.CONTACT, _("Contact log")
    ORG_LIFE = rules.RecordType.ORG_LIFE, _("Org life attended")
    TRAINING = rules.RecordType.TRAINING, _("Education or training attended")
    PROBATION_CONDUCT = rules.RecordType.PROBATION_CONDUCT, _("Probationary conduct")
    PROBATION_CONVERSION = rules.RecordType.PROBATION_CONVERSION, _("Conversion decision")
    ROLE_ACTIVITY = rules.RecordType.ROLE_ACTIVITY, _("Role activity")
    CARE_VISIT = rules.RecordType.CARE_VISIT, _("Care visit")
    EVALUATION = rules.RecordType.EVALUATION, _("Democratic evaluation fed back")
    SUPERVISION = rules.RecordType.SUPERVISION, _("Supervision")
    DUES = rules.RecordType.DUES, _("Dues payment")
    THOUGHT_REPORT = rules.RecordType.THOUGHT_REPORT, _("Thought report")
    CHANGE_REPORT = rules.RecordType.CHANGE_REPORT, _("Change report")


class Status(models.TextChoices):
    MET = rules.Status.MET, _("Met")
    DUE = rules.Status.DUE, pgettext_lazy("checklist", "Due")
    OVERDUE = rules.Status.OVERDUE, _("Overdue")
    EXEMPT = rules.Status.EXEMPT, _("Exempt")
    AS_NEEDED = rules.Status.AS_NEEDED, _("As needed")
    NOT_APPLICABLE = rules.Status.NOT_APPLICABLE, _("Not applicable")


class ResponsibilityItem(models.Model):
    """责任清单: one item of Annex 1, 2 or 3 (A1.1 ... A3.5)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    checklist = models.CharField(_("checklist"), max_length=16, choices=Checklist.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=40)
    text = models.TextField(pgettext_lazy("checklist item", "text"))
    rule = models.CharField(_("how it is met"), max_length=24, choices=Rule.choices, editable=False)
    record_types = models.JSONField(_("records that meet it"), default=list, blank=True)
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices)
    exempt_applies = models.BooleanField(
        _("frail, immobile or gravely ill members are exempt"),
        default=False,
        help_text=_("Art. 6: no requirement to attend activities and study."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="item_unique_number_in_checklist")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("responsibilities:item_list") + f"#{self.code}"

    @property
    def spec(self) -> rules.ItemSpec:
        return rules.ItemSpec(
            code=self.code,
            checklist=self.checklist,
            rule=self.rule,
            cadence=self.cadence,
            record_types=tuple(self.record_types),
            exempt_applies=self.exempt_applies,
        )

    @property
    def record_type_labels(self) -> list[str]:
        labels = dict(RecordType.choices)
        return [str(labels.get(t, t)) for t in self.record_types]

    def clean(self):
        allowed = rules.ALLOWED_CADENCES.get(rules.Rule(self.rule), ()) if self.rule else ()
        if self.cadence and allowed and self.cadence not in allowed:
            raise ValidationError(
                {
                    "cadence": _("This item can only be kept %(choices)s.")
                    % {"choices": "、".join(str(Cadence(c).label) for c in allowed)}
                }
            )
        unknown = [t for t in self.record_types or [] if t not in RecordType.values]
        if unknown:
            raise ValidationError(
                {"record_types": _("Unknown record types: %(t)s") % {"t": ", ".join(unknown)}}
            )


# --- Records kept about a member -----------------------------------------------------------------------


class MemberRecord(models.Model):
    """What every record about one member has: whom it is about, who keeps it (scoping), who wrote it."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("branch")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ContactMethod(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")


class ContactLog(MemberRecord):
    """定期联系 / 常态联系 (A1.2, A2.2): how the member was reached, with whom, and what was learnt."""

    contacted_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=16, choices=ContactMethod.choices)
    with_whom = models.CharField(
        _("with whom"),
        max_length=100,
        help_text=_("The member, the other organisation's branch, a family member..."),
    )
    learnt = models.TextField(_("what was learnt"))
    fed_back = models.BooleanField(_("performance fed back to the other organisation"), default=False)

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = _("contact log")
        verbose_name_plural = _("contact logs")
        indexes = [models.Index(fields=["member", "contacted_on"])]

    def __str__(self):
        return f"{self.member.name} · {self.get_method_display()} {self.contacted_on}"


class SessionKind(models.TextChoices):
    ORG_LIFE = "org_life", _("Org life")
    TRAINING = "training", _("Education or training")


class SessionMode(models.TextChoices):
    OFFLINE = "offline", _("Offline")
    ONLINE = "online", _("Online")
    BOTH = "both", _("Online and offline")
    MATERIALS = "materials", _("Materials mailed or pushed")


class OrgLifeSession(models.Model):
    """组织生活 / 教育培训 (Art. 6, A1.4, A2.3), with the mobile members who attended."""

    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("secondary organisation"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("branch")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(pgettext_lazy("meeting", "subject"), max_length=200)
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=16, choices=SessionMode.choices)
    place = models.CharField(_("place or platform"), max_length=200, blank=True)
    content = models.TextField(_("content"), blank=True)
    attendees = models.ManyToManyField(
        Member, through="Attendance", related_name="+", verbose_name=_("mobile members attending")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("org-life session or training")
        verbose_name_plural = _("org-life sessions and training")

    def __str__(self):
        return f"{self.title} {self.held_on}"

    def get_absolute_url(self):
        return reverse("responsibilities:session_detail", args=[self.pk])

    @property
    def occasions(self) -> list[str]:
        """Art. 6: the important occasions the session falls around (computed from its date)."""
        labels = dict(Occasion.choices)
        return [str(labels[o]) for o in rules.occasions_on(self.held_on)]


class Occasion(models.TextChoices):
    SPRING_FESTIVAL = rules.Occasion.SPRING_FESTIVAL, _("Spring Festival")
    LABOUR_DAY = rules.Occasion.LABOUR_DAY, _("Labour Day")
    NATIONAL_DAY = rules.Occasion.NATIONAL_DAY, _("National Day")
    WINTER_HOLIDAY = rules.Occasion.WINTER_HOLIDAY, _("Winter holiday")
    SUMMER_HOLIDAY = rules.Occasion.SUMMER_HOLIDAY, _("Summer holiday")


class Attendance(models.Model):
    session = models.ForeignKey(OrgLifeSession, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_unique")]

    def __str__(self):
        return f"{self.member.name} @ {self.session}"


class ProbationKind(models.TextChoices):
    CONDUCT = "conduct", _("Conduct while away")
    CONVERSION = "conversion", _("Conversion decision")


class ConversionDecision(models.TextChoices):
    CONVERTED = "converted", _("Converted to full membership")
    EXTENDED = "extended", _("Probation extended")
    CANCELLED = "cancelled", _("Probationary membership cancelled")


class ProbationRecord(MemberRecord):
    """考察转正 (A1.3): the probationary member's conduct while away, and the conversion decision."""

    kind = models.CharField(_("kind"), max_length=16, choices=ProbationKind.choices)
    recorded_on = models.DateField(_("date"))
    conduct = models.TextField(_("conduct while away"))
    source = models.CharField(
        _("learnt from"), max_length=200, blank=True, help_text=_("e.g. the destination branch's opinion")
    )
    decision = models.CharField(
        pgettext_lazy("conversion", "decision"), max_length=16, choices=ConversionDecision.choices, blank=True
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = _("probation record")
        verbose_name_plural = _("probation records")

    def __str__(self):
        return f"{self.member.name} · {self.get_kind_display()} {self.recorded_on}"


class RoleActivityKind(models.TextChoices):
    DUAL_REPORTING = "dual_reporting", _("Dual reporting")
    VOLUNTEERING = "volunteering", _("Volunteering")
    SCHOOL_LOCALITY = "school_locality", _("School-locality party building")
    TECHNOLOGY = "technology", _("Science and technology empowerment")
    EDUCATION_SERVICE = "education_service", _("Education service")
    PRACTICE = "practice", _("Practical education")
    LOCAL_GOVERNANCE = "local_governance", _("Local development and governance")
    ENTREPRENEURSHIP = "entrepreneurship", _("Returning home to start a business or work")
    OTHER = "other", _("Other")


class RoleActivity(MemberRecord):
    """作用发挥 (Art. 8, A1.5, A3.5)."""

    kind = models.CharField(_("kind"), max_length=24, choices=RoleActivityKind.choices)
    held_on = models.DateField(_("date"))
    description = models.TextField(_("what was done"))
    by_member = models.BooleanField(_("reported by the member"), default=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("role activity")
        verbose_name_plural = _("role activities")

    def __str__(self):
        return f"{self.member.name} · {self.get_kind_display()} {self.held_on}"


class CareTarget(models.TextChoices):
    MEMBER = "member", _("The member")
    EMPTY_NEST_PARENTS = "empty_nest", _("Empty-nest parents")
    LEFT_BEHIND_CHILDREN = "left_behind", _("Left-behind children")
    FAMILY = "family", _("Other family")


class CareCircumstance(models.TextChoices):
    ROUTINE = "routine", _("Regular visit")
    HARDSHIP = "hardship", _("Hardship")
    ILLNESS = "illness", _("Serious illness")
    FAMILY_CRISIS = "family_crisis", _("Family crisis")
    THOUGHT = "thought", _("Thought and ideas")


class CareService(models.TextChoices):
    NONE = "", _("None")
    EMPLOYMENT = "employment", _("Entrepreneurship and employment")
    SKILLS = "skills", _("Skills training")
    RIGHTS = "rights", _("Protection of rights")


class CareVisit(MemberRecord):
    """走访慰问 / 关怀帮扶 (Art. 7, A1.6, A2.4)."""

    visited_on = models.DateField(_("date"))
    target = models.CharField(_("who was visited"), max_length=16, choices=CareTarget.choices)
    circumstance = models.CharField(_("circumstance"), max_length=16, choices=CareCircumstance.choices)
    support = models.TextField(_("support given"))
    service = models.CharField(_("service provided"), max_length=16, choices=CareService.choices, blank=True)
    amount = models.DecimalField(
        _("amount of aid (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")

    def __str__(self):
        return f"{self.member.name} · {self.get_target_display()} {self.visited_on}"


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class DemocraticEvaluation(MemberRecord):
    """民主评议 (A2.5): agreed with the origin's branch, and the result fed back to it."""

    year = models.PositiveSmallIntegerField(_("year"))
    agreed_with_origin_on = models.DateField(_("agreed with the origin on"))
    evaluated_on = models.DateField(_("evaluated on"))
    result = models.CharField(_("result"), max_length=24, choices=EvaluationResult.choices)
    comments = models.TextField(_("comments"), blank=True)
    fed_back_on = models.DateField(_("result fed back to the origin on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-evaluated_on"]
        verbose_name = _("democratic evaluation")
        verbose_name_plural = _("democratic evaluations")
        constraints = [
            models.UniqueConstraint(fields=["member", "secondary", "year"], name="one_evaluation_per_year")
        ]

    def __str__(self):
        return f"{self.member.name} · {self.year} {self.get_result_display()}"


class SupervisionKind(models.TextChoices):
    REMINDER_TALK = "reminder_talk", _("Reminder talk")
    CRITICISM = "criticism", _("Criticism and education")
    DISPOSAL = "disposal", _("Organisational disposal (origin)")
    DISPOSAL_PROPOSAL = "disposal_proposal", _("Proposal of disposal to the formal branch (destination)")


class Supervision(MemberRecord):
    """监督管理 (Art. 8, A1.7, A2.6). A disposal is reported to the destination branch (A1.7); a proposal of
    disposal is sent to the branch holding the formal relation (A2.6)."""

    kind = models.CharField(_("kind"), max_length=24, choices=SupervisionKind.choices)
    occurred_on = models.DateField(_("date"))
    issue = models.TextField(_("problem found"))
    action = models.TextField(_("what was done"), blank=True)
    sent_to = models.CharField(pgettext_lazy("supervision", "sent to"), max_length=200, blank=True)
    sent_on = models.DateField(pgettext_lazy("supervision", "sent on"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")

    def __str__(self):
        return f"{self.member.name} · {self.get_kind_display()} {self.occurred_on}"

    @property
    def needs_sending(self) -> bool:
        return self.kind in (SupervisionKind.DISPOSAL, SupervisionKind.DISPOSAL_PROPOSAL)

    @property
    def pending(self) -> bool:
        return self.needs_sending and self.sent_on is None


class DuesPayment(MemberRecord):
    """党费 (Art. 8, A3.2): paid up to which month."""

    paid_on = models.DateField(_("paid on"))
    paid_through = models.DateField(
        _("paid up to (month)"), help_text=_("The last month this payment covers.")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    paid_to = models.CharField(
        _("paid to"), max_length=200, blank=True, help_text=_("The organisation the dues were paid to.")
    )
    by_member = models.BooleanField(_("reported by the member"), default=False)

    class Meta:
        ordering = ["-paid_through", "-paid_on", "-pk"]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")

    def __str__(self):
        return f"{self.member.name} · {self.paid_through:%Y-%m}"


class ThoughtReport(MemberRecord):
    """思想汇报 (A3.3): the member reports their thoughts, work and org life to the origin branch."""

    submitted_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    read_on = models.DateField(_("read by the branch on"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("thought report")
        verbose_name_plural = _("thought reports")

    def __str__(self):
        return f"{self.member.name} · {self.title}"


# --- Records kept by an organisation ------------------------------------------------------------------


class MajorMatter(models.TextChoices):
    """Art. 7: the major matters on which mobile members are consulted."""

    PERFORMANCE_PAY = "performance_pay", _("Staff performance pay")
    COURSES = "courses", _("Course building")
    GRANTS = "grants", _("Research grant applications")
    TEXTBOOKS = "textbooks", _("Writing and choosing textbooks")
    BRANCH_ELECTION = "branch_election", _("Branch election")
    AWARDS = "awards", _("Awards and honours")
    OTHER = "other", _("Other matters close to staff and students")


class Consultation(models.Model):
    """征求意见 (Art. 7): mobile members consulted on a major matter."""

    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("secondary organisation"),
    )
    matter = models.CharField(_("matter"), max_length=24, choices=MajorMatter.choices)
    subject = models.CharField(pgettext_lazy("meeting", "subject"), max_length=200)
    consulted_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=100, blank=True)
    members = models.ManyToManyField(Member, related_name="+", verbose_name=_("members consulted"))
    opinions = models.TextField(_("opinions received"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-consulted_on", "-pk"]
        verbose_name = _("consultation on a major matter")
        verbose_name_plural = _("consultations on major matters")

    def __str__(self):
        return f"{self.get_matter_display()} · {self.subject}"


class DuesAllocation(models.Model):
    """Art. 9: the party dues the organisation department allots each year to one organisation's
    mobile-member work."""

    year = models.PositiveSmallIntegerField(_("year"))
    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("secondary organisation"),
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    allotted_on = models.DateField(_("allotted on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "secondary__ordering"]
        verbose_name = _("dues allotment")
        verbose_name_plural = _("dues allotments")
        constraints = [
            models.UniqueConstraint(fields=["year", "secondary"], name="one_allocation_per_year_and_org")
        ]

    def __str__(self):
        return f"{self.year} · {self.secondary}"


class ExpensePurpose(models.TextChoices):
    """Art. 9: what the allotted dues are for."""

    EDUCATION = "education", _("Education and training of mobile members")
    ACTIVITIES = "activities", _("Activities of mobile-member organisations")
    HARDSHIP = "hardship", _("Support for mobile members in hardship")


class DuesExpense(models.Model):
    allocation = models.ForeignKey(
        DuesAllocation, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("allotment")
    )
    spent_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=ExpensePurpose.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("spending of allotted dues")
        verbose_name_plural = _("spending of allotted dues")

    def __str__(self):
        return f"{self.get_purpose_display()} {self.amount}"


class InterDepartmentConsultation(models.Model):
    """会商机制 (Art. 9): the organisation department meets the origin's or destination's organisation
    department, with social work, public security, human resources and economic cooperation departments."""

    held_on = models.DateField(_("date"))
    counterpart = models.CharField(_("other organisation department"), max_length=200)
    departments = models.CharField(_("other departments taking part"), max_length=300, blank=True)
    topics = models.TextField(_("topics"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = pgettext_lazy("Art. 9", "inter-department consultation")
        verbose_name_plural = pgettext_lazy("Art. 9", "inter-department consultations")

    def __str__(self):
        return f"{self.counterpart} {self.held_on}"


# --- Reminders -----------------------------------------------------------------------------------------


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", _("Falls due within two weeks")
    OVERDUE = "overdue", _("Overdue")


class ChecklistReminder(models.Model):
    """One reminder told to an organisation's secretaries: at most one per item, period and stage (the unique
    constraint makes the job idempotent)."""

    secondary = models.ForeignKey(
        SecondaryOrganization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("secondary organisation"),
    )
    item = models.ForeignKey(
        ResponsibilityItem,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("checklist", "item"),
    )
    period_key = models.CharField(_("period"), max_length=32)
    stage = models.CharField(pgettext_lazy("reminder", "stage"), max_length=16, choices=ReminderStage.choices)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("checklist reminder")
        verbose_name_plural = _("checklist reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["secondary", "item", "period_key", "stage"], name="one_reminder_per_item_period_stage"
            )
        ]

    def __str__(self):
        return f"{self.item.code} {self.period_key} {self.get_stage_display()}"
