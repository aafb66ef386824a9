from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisations and members")

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from . import models, spreadsheets  # noqa: F401 (spreadsheets registers its system check)
        from .middleware import stamp_session_on_login

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="flowparty_session_clocks")

        auditlog.register(
            models.Member,
            exclude_fields=["id_number_digest", "updated_at"],
            mask_fields=["id_number", "phone"],
            mask_callable="members.identity.mask_for_audit",
        )
        auditlog.register(models.SecondaryOrganization)
        auditlog.register(models.Branch)
        auditlog.register(models.RoleAssignment)
        auditlog.register(
            models.User, include_fields=["username", "email", "is_active", "is_staff", "is_superuser"]
        )
