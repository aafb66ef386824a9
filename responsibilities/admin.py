from django.contrib import admin

from .models import (
    Attendance,
    CareVisit,
    ChecklistReminder,
    Consultation,
    ContactLog,
    DemocraticEvaluation,
    DuesAllocation,
    DuesExpense,
    DuesPayment,
    InterDepartmentConsultation,
    OrgLifeSession,
    ProbationRecord,
    ResponsibilityItem,
    RoleActivity,
    Supervision,
    ThoughtReport,
)


@admin.register(ResponsibilityItem)
class ResponsibilityItemAdmin(admin.ModelAdmin):
    """The organisation department edits wording, cadence and the Art. 6 exemption; how an item is met (its
    rule) is fixed by the code that computes it."""

    list_display = ["code", "title", "checklist", "cadence", "exempt_applies"]
    list_filter = ["checklist", "cadence"]
    list_editable = ["cadence"]
    fields = [
        "code",
        "checklist",
        "number",
        "title",
        "text",
        "rule",
        "record_types",
        "cadence",
        "exempt_applies",
    ]
    readonly_fields = ["code", "checklist", "number", "rule"]

    def has_add_permission(self, request):
        return False  # the three annexes have 7 + 6 + 5 items, seeded by a migration

    def has_delete_permission(self, request, obj=None):
        return False


class MemberRecordAdmin(admin.ModelAdmin):
    list_filter = ["secondary"]
    search_fields = ["member__name", "member__number"]
    raw_id_fields = ["member"]
    list_select_related = ["member", "secondary"]
    readonly_fields = ["recorded_by", "created_at"]


@admin.register(ContactLog)
class ContactLogAdmin(MemberRecordAdmin):
    list_display = ["contacted_on", "member", "method", "with_whom", "secondary"]


@admin.register(ProbationRecord)
class ProbationRecordAdmin(MemberRecordAdmin):
    list_display = ["recorded_on", "member", "kind", "decision"]


@admin.register(RoleActivity)
class RoleActivityAdmin(MemberRecordAdmin):
    list_display = ["held_on", "member", "kind", "by_member"]


@admin.register(CareVisit)
class CareVisitAdmin(MemberRecordAdmin):
    list_display = ["visited_on", "member", "target", "circumstance", "amount"]


@admin.register(DemocraticEvaluation)
class DemocraticEvaluationAdmin(MemberRecordAdmin):
    list_display = ["year", "member", "result", "agreed_with_origin_on", "fed_back_on"]


@admin.register(Supervision)
class SupervisionAdmin(MemberRecordAdmin):
    list_display = ["occurred_on", "member", "kind", "sent_on"]


@admin.register(DuesPayment)
class DuesPaymentAdmin(MemberRecordAdmin):
    list_display = ["paid_on", "member", "paid_through", "amount", "by_member"]


@admin.register(ThoughtReport)
class ThoughtReportAdmin(MemberRecordAdmin):
    list_display = ["submitted_on", "member", "title"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["member"]


@admin.register(OrgLifeSession)
class OrgLifeSessionAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "kind", "mode", "secondary", "branch"]
    list_filter = ["kind", "mode", "secondary"]
    search_fields = ["title"]
    inlines = [AttendanceInline]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["consulted_on", "matter", "subject", "secondary"]
    list_filter = ["matter", "secondary"]
    raw_id_fields = ["members"]


class DuesExpenseInline(admin.TabularInline):
    model = DuesExpense
    extra = 0
    readonly_fields = ["recorded_by"]


@admin.register(DuesAllocation)
class DuesAllocationAdmin(admin.ModelAdmin):
    list_display = ["year", "secondary", "amount", "allotted_on"]
    list_filter = ["year"]
    inlines = [DuesExpenseInline]


@admin.register(InterDepartmentConsultation)
class InterDepartmentConsultationAdmin(admin.ModelAdmin):
    list_display = ["held_on", "counterpart"]


@admin.register(ChecklistReminder)
class ChecklistReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "secondary", "item", "period_key", "stage", "member_count"]
    list_filter = ["stage", "item"]
    readonly_fields = [f.name for f in ChecklistReminder._meta.fields]

    def has_add_permission(self, request):
        return False
