from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = _("Responsibility checklists")

    def ready(self):
        from auditlog.registry import auditlog

        from members import sections as member_sections

        from . import models, sections

        for model in (
            models.ResponsibilityItem,
            models.ContactLog,
            models.OrgLifeSession,
            models.ProbationRecord,
            models.RoleActivity,
            models.CareVisit,
            models.DemocraticEvaluation,
            models.Supervision,
            models.DuesPayment,
            models.ThoughtReport,
            models.Consultation,
            models.DuesAllocation,
            models.DuesExpense,
            models.InterDepartmentConsultation,
        ):
            auditlog.register(model)
        member_sections.member_section(sections.member_checklist)
        member_sections.home_section(sections.home_checklist)
