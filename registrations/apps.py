from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from auditlog.registry import auditlog

        from members import sections as member_sections

        from . import models, sections

        auditlog.register(models.OutflowRegistration)
        auditlog.register(models.InflowRegistration)
        auditlog.register(models.ChangeReport)
        auditlog.register(models.Screening)
        member_sections.member_section(sections.member_registrations)
        member_sections.home_section(sections.home_counters)
