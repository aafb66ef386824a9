from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from auditlog.registry import auditlog

        from members import sections as member_sections

        from . import checks, models, sections, transfer_sections  # noqa: F401 (checks registers itself)

        # Phones are masked in the audit trail as on the pages (PIPL Art. 28).
        mask = "members.identity.mask_for_audit"
        auditlog.register(
            models.OutflowRegistration,
            mask_callable=mask,
            mask_fields=["contact_phone", "paired_contact_phone", "destination_contact_phone"],
        )
        auditlog.register(
            models.InflowRegistration,
            mask_callable=mask,
            mask_fields=["origin_contact_phone", "designated_contact_phone"],
        )
        auditlog.register(models.ChangeReport, mask_callable=mask, mask_fields=["new_phone"])
        auditlog.register(models.Screening)
        auditlog.register(models.RelationTransfer)
        auditlog.register(models.DossierCheck)
        auditlog.register(models.MembershipRetention)
        auditlog.register(models.RetentionContact)
        member_sections.member_section(sections.member_registrations)
        member_sections.member_section(transfer_sections.member_transfers)
        member_sections.home_section(sections.home_counters)
        member_sections.home_section(transfer_sections.home_counters)
