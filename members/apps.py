from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisations and members")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, spreadsheets  # noqa: F401 (spreadsheets registers its system check)

        auditlog.register(
            models.Member, exclude_fields=["id_number_digest", "updated_at"], mask_fields=["id_number"]
        )
        auditlog.register(models.SecondaryOrganization)
        auditlog.register(models.Branch)
        auditlog.register(models.RoleAssignment)
        auditlog.register(
            models.User, include_fields=["username", "email", "is_active", "is_staff", "is_superuser"]
        )
