from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import permissions
from members.forms import BootstrapFormMixin, DateInput, grouped_branch_choices

from . import rules
from .models import (
    Cadence,
    CareVisit,
    Consultation,
    ContactLog,
    ConversionDecision,
    DemocraticEvaluation,
    DuesAllocation,
    DuesExpense,
    DuesPayment,
    InterDepartmentConsultation,
    OrgLifeSession,
    ProbationKind,
    ProbationRecord,
    ResponsibilityItem,
    RoleActivity,
    Supervision,
    ThoughtReport,
)


class MonthField(forms.DateField):
    """A month (<input type="month">), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if isinstance(value, date) else value


def _today():
    return timezone.localdate()


class ItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ResponsibilityItem
        fields = ["title", "text", "cadence", "exempt_applies"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = rules.ALLOWED_CADENCES[rules.Rule(self.instance.rule)]
        self.fields["cadence"].choices = [(c, label) for c, label in Cadence.choices if c in allowed]


class ContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ContactLog
        fields = ["contacted_on", "method", "with_whom", "learnt", "fed_back"]
        widgets = {"contacted_on": DateInput(), "learnt": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = _today


class ProbationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProbationRecord
        fields = ["recorded_on", "conduct", "source"]
        widgets = {"recorded_on": DateInput(), "conduct": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = _today

    def service_data(self) -> dict:
        return {**self.cleaned_data, "kind": ProbationKind.CONDUCT}


class ConversionForm(ProbationForm):
    class Meta(ProbationForm.Meta):
        fields = ["recorded_on", "decision", "conduct", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        self.fields["decision"].choices = ConversionDecision.choices
        self.fields["recorded_on"].label = _("Date of the decision")
        self.fields["conduct"].label = _("Conduct during probation")

    def service_data(self) -> dict:
        return {**self.cleaned_data, "kind": ProbationKind.CONVERSION}


class RoleActivityForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RoleActivity
        fields = ["kind", "held_on", "description"]
        widgets = {"held_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = _today


class CareVisitForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CareVisit
        fields = ["visited_on", "target", "circumstance", "support", "service", "amount"]
        widgets = {"visited_on": DateInput(), "support": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = _today


class EvaluationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = DemocraticEvaluation
        fields = ["year", "agreed_with_origin_on", "evaluated_on", "result", "comments", "fed_back_on"]
        widgets = {
            "agreed_with_origin_on": DateInput(),
            "evaluated_on": DateInput(),
            "fed_back_on": DateInput(),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = _today().year

    def validate_unique(self):
        """The service answers a second evaluation for the same year, in words."""


class SupervisionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Supervision
        fields = ["kind", "occurred_on", "issue", "action", "sent_to", "sent_on"]
        widgets = {
            "occurred_on": DateInput(),
            "sent_on": DateInput(),
            "issue": forms.Textarea(attrs={"rows": 2}),
            "action": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = _today


class DuesForm(BootstrapFormMixin, forms.ModelForm):
    paid_through = MonthField(
        label=_("Paid up to (month)"), help_text=_("The last month this payment covers.")
    )

    class Meta:
        model = DuesPayment
        fields = ["paid_on", "paid_through", "amount", "paid_to"]
        widgets = {"paid_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = _today
        self.fields["paid_through"].widget.attrs["class"] = "form-control"


class ThoughtReportForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ThoughtReport
        fields = ["submitted_on", "title", "content"]
        widgets = {"submitted_on": DateInput(), "content": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitted_on"].initial = _today


class FeedbackForm(BootstrapFormMixin, forms.Form):
    fed_back_on = forms.DateField(
        label=_("Result fed back to the origin on"), widget=DateInput(), initial=_today
    )


class SentForm(BootstrapFormMixin, forms.Form):
    sent_to = forms.CharField(label=_("Sent to"), max_length=200)
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput(), initial=_today)


class MembersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.number}）"


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    secondary = forms.ModelChoiceField(label=_("Secondary organisation"), queryset=None)
    attendees = MembersField(label=_("Mobile members attending"), queryset=None)

    class Meta:
        model = OrgLifeSession
        fields = ["secondary", "branch", "kind", "title", "held_on", "mode", "place", "content", "attendees"]
        widgets = {"held_on": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, attendees, **kwargs):
        super().__init__(*args, **kwargs)
        scope = permissions.scope_for(user)
        branches = permissions.branches_for(user).filter(is_active=True)
        self.fields["secondary"].queryset = permissions.organizations_for(user).filter(is_active=True)
        self.fields["branch"].queryset = branches
        self.fields["branch"].choices = grouped_branch_choices(branches)
        self.fields["branch"].required = not (scope.all or scope.is_secondary_secretary)
        self.fields["attendees"].queryset = attendees
        self.fields["held_on"].initial = _today
        self.fields["attendees"].widget.attrs["class"] = "form-check-input"
        if self.fields["secondary"].queryset.count() == 1:
            self.fields["secondary"].initial = self.fields["secondary"].queryset.first()

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("kind", "title", "held_on", "mode", "place", "content")}


class ConsultationForm(BootstrapFormMixin, forms.ModelForm):
    secondary = forms.ModelChoiceField(label=_("Secondary organisation"), queryset=None)
    members = MembersField(label=_("Members consulted"), queryset=None)

    class Meta:
        model = Consultation
        fields = ["secondary", "matter", "subject", "consulted_on", "method", "opinions", "members"]
        widgets = {"consulted_on": DateInput(), "opinions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, members, **kwargs):
        super().__init__(*args, **kwargs)
        managed = permissions.managed_organizations_for(user).filter(is_active=True)
        self.fields["secondary"].queryset = managed
        self.fields["members"].queryset = members
        self.fields["members"].widget.attrs["class"] = "form-check-input"
        self.fields["consulted_on"].initial = _today
        if managed.count() == 1:
            self.fields["secondary"].initial = managed.first()

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("matter", "subject", "consulted_on", "method", "opinions")}


class AllocationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = DuesAllocation
        fields = ["year", "secondary", "amount", "allotted_on", "note"]
        widgets = {"allotted_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = _today().year
        self.fields["allotted_on"].initial = _today
        self.fields["secondary"].queryset = self.fields["secondary"].queryset.filter(is_active=True)

    def validate_unique(self):
        """The service answers a second allotment for the same year, in words."""


class ExpenseForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = DuesExpense
        fields = ["spent_on", "purpose", "amount", "description"]
        widgets = {"spent_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spent_on"].initial = _today


class InterDepartmentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InterDepartmentConsultation
        fields = ["held_on", "counterpart", "departments", "topics", "outcome"]
        widgets = {
            "held_on": DateInput(),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = _today
        self.fields["departments"].help_text = _(
            "e.g. social work, public security, human resources and social security, economic cooperation"
        )
