from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from auditlog.registry import auditlog

        from members import sections as member_sections

        from . import models, sections, transfer_sections

        auditlog.register(models.OutflowRegistration)
        auditlog.register(models.InflowRegistration)
        auditlog.register(models.ChangeReport)
        auditlog.register(models.Screening)
        auditlog.register(models.RelationTransfer)
        auditlog.register(models.DossierCheck)
        auditlog.register(models.MembershipRetention)
        auditlog.register(models.RetentionContact)
        member_sections.member_section(sections.member_registrations)
        member_sections.member_section(transfer_sections.member_transfers)
        member_sections.home_section(sections.home_counters)
        member_sections.home_section(transfer_sections.home_counters)
