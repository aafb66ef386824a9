from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Branch, Committee, Member, Notification, RoleAssignment, SecondaryOrganization, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["secondary", "branch"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Profile"), {"fields": ("full_name",)}))
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0
    fields = ["code", "name", "ordering", "is_active", "retired_on"]


@admin.register(SecondaryOrganization)
class SecondaryOrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "ordering", "is_active", "retired_on"]
    list_filter = ["is_active"]
    list_editable = ["ordering"]
    search_fields = ["code", "name"]
    inlines = [BranchInline]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "secondary", "ordering", "is_active"]
    list_filter = ["is_active", "secondary"]
    search_fields = ["code", "name"]
    list_select_related = ["secondary"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "category", "secondary", "branch", "standing", "mobility_reason"]
    list_filter = ["category", "standing", "mobility_reason", "is_exempt", "whereabouts_unknown", "secondary"]
    search_fields = ["number", "name"]
    list_select_related = ["secondary", "branch"]
    autocomplete_fields = ["branch", "user"]
    exclude = ["id_number"]
    readonly_fields = ["masked_id_number"]

    @admin.display(description=_("ID-card number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "secondary", "branch"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "secondary", "branch"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For looking into "did they get told?": notices are written by the notification services only."""

    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at"]
    list_filter = [
        "kind",
        ("read_at", admin.EmptyFieldListFilter),
        ("emailed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "recipient__username", "recipient__full_name", "dedupe_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
