from django.contrib import admin

from .models import (
    ChangeReport,
    Division,
    DossierCheck,
    InflowRegistration,
    MembershipRetention,
    OutflowRegistration,
    RegistrationEvent,
    RelationTransfer,
    Screening,
    TransferReminder,
    TransferStep,
)


class ReadOnlyStateMixin:
    """States change only through the services (with validation and the timeline); the admin shows them."""

    readonly_fields = ["state", "due_on", "intake_completed_on", "flow_scope", "created_by", "created_at"]


class EventInline(admin.TabularInline):
    model = RegistrationEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutflowRegistration)
class OutflowAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["member", "secondary", "state", "destination_county", "registered_on", "due_on"]
    list_filter = ["state", "secondary", "flow_scope"]
    search_fields = ["member__name", "member__number"]
    list_select_related = ["member", "secondary", "destination_county"]
    raw_id_fields = ["member", "destination_county"]
    inlines = [EventInline]


@admin.register(InflowRegistration)
class InflowAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ["member", "secondary", "state", "origin_org_name", "origin_registered_on", "due_on"]
    list_filter = ["state", "secondary", "source"]
    search_fields = ["member__name", "member__number", "origin_org_name"]
    list_select_related = ["member", "secondary"]
    raw_id_fields = ["member", "origin_county"]
    inlines = [EventInline]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "full_name"]
    list_filter = ["level"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False  # refreshed from the data package: `manage.py load_divisions`


@admin.register(ChangeReport)
class ChangeReportAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "effective_on", "status", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["status", "reviewed_by", "reviewed_at"]
    raw_id_fields = ["member", "outflow", "new_county"]


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    list_display = ["screened_on", "secondary", "source", "method", "member"]
    list_filter = ["source", "method", "secondary"]
    raw_id_fields = ["member"]


class TransferStepInline(admin.TabularInline):
    model = TransferStep
    extra = 0
    can_delete = False
    fields = ["at", "stage", "decision", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DossierCheckInline(admin.TabularInline):
    model = DossierCheck
    extra = 0
    can_delete = False
    fields = ["item", "done_by", "done_at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RelationTransfer)
class RelationTransferAdmin(admin.ModelAdmin):
    """Read-mostly: states, approvals and letters change only through the services (with the audit trail)."""

    list_display = ["member", "direction", "secondary", "state", "stage", "submitted_on", "completed_on"]
    list_filter = ["state", "stage", "direction", "secondary"]
    search_fields = ["member__name", "member__number", "to_org_name", "from_org_name"]
    list_select_related = ["member", "secondary"]
    raw_id_fields = ["member", "other_county", "from_branch", "to_branch", "branch"]
    readonly_fields = [
        "state",
        "stage",
        "submitted_on",
        "approved_on",
        "completed_on",
        "decision_reason",
        "letter_number",
        "letter_issued_on",
        "letter_valid_days",
        "letter_valid_until",
        "letter_print_count",
        "letter_last_printed_by",
        "letter_last_printed_at",
        "receipt_returned_on",
        "created_by",
    ]
    inlines = [DossierCheckInline, TransferStepInline]


@admin.register(MembershipRetention)
class MembershipRetentionAdmin(admin.ModelAdmin):
    list_display = ["member", "country", "institution", "state", "started_on", "next_contact_due_on"]
    list_filter = ["state", "secondary"]
    search_fields = ["member__name", "member__number", "institution"]
    raw_id_fields = ["member"]
    readonly_fields = ["state", "last_contact_on", "next_contact_due_on", "created_by"]


@admin.register(TransferReminder)
class TransferReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject", "period", "sent_at", "recipients"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False
