from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import permissions
from members.forms import BootstrapFormMixin, DateInput, grouped_branch_choices
from members.models import Branch

from .forms import CountyChoiceField, MemberNumberField, PlaceFieldsMixin
from .models import (
    DossierCheck,
    DueKind,
    MembershipRetention,
    RelationTransfer,
    RetentionContact,
    TransferBasis,
    TransferDirection,
)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m")
        super().__init__(**kwargs)


class MonthField(forms.DateField):
    """A month (YYYY-MM), kept as its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


def _branch_field(field: forms.ModelChoiceField) -> None:
    branches = Branch.objects.filter(is_active=True).select_related("secondary")
    field.queryset = branches
    field.choices = grouped_branch_choices(branches)
    field.widget.attrs["class"] = "form-select"


class TransferForm(PlaceFieldsMixin, BootstrapFormMixin, forms.ModelForm):
    """The details of a transfer: where the relation goes (or comes from)."""

    place_fields = ("other_county",)
    other_county = CountyChoiceField(
        label=_("County of the organisation outside the university"),
        required=False,
        help_text=_("Decides whether the transfer is within the province or across provinces."),
    )

    class Meta:
        model = RelationTransfer
        fields = ["to_branch", "to_org_name", "from_org_name", "other_county", "note"]
        labels = {
            "to_branch": _("Receiving branch (ours)"),
            "to_org_name": _("Receiving party organisation (outside the university)"),
            "from_org_name": _("Party organisation it comes from (outside the university)"),
        }
        help_texts = {
            "to_branch": _("For a transfer in, or a move between our branches."),
            "to_org_name": _("For a transfer out: the full name, as on the introduction letter."),
            "from_org_name": _("For a transfer in; defaults to the organisation on the member's record."),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _branch_field(self.fields["to_branch"])

    def transfer_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in TransferForm.Meta.fields}


class TransferCreateForm(TransferForm):
    member = MemberNumberField(label=_("Member's staff or student number"))
    direction = forms.ChoiceField(label=_("Direction"), choices=TransferDirection.choices)
    basis = forms.ChoiceField(label=_("Why"), choices=TransferBasis.choices, initial=TransferBasis.OTHER)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["member"].queryset = permissions.members_for(user).filter(
            secondary__in=permissions.managed_organizations_for(user)
        )
        self.fields["member"].widget.attrs["class"] = "form-control"
        for name in ("direction", "basis"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.order_fields(["member", "direction", "basis"])


class ReasonForm(BootstrapFormMixin, forms.Form):
    # Not required here: the service refuses an empty reason with the Art. 5 message.
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Opinion (optional)"), required=False, max_length=500)


class EmptyForm(forms.Form):
    pass


class CompleteForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("Completed on"), widget=DateInput(), initial=timezone.localdate)


class ReceiptForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("Receipt returned on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class LetterForm(BootstrapFormMixin, forms.Form):
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_(
            "Set when the letter is first printed; 30 days within the province, 60 across provinces by default."
        ),
    )


class CheckForm(BootstrapFormMixin, forms.Form):
    item = forms.ChoiceField(choices=DossierCheck.Item.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    dues_paid_until = MonthField(label=_("Dues paid up to (month)"), required=False)


class BatchApproveForm(forms.Form):
    transfers = forms.ModelMultipleChoiceField(
        label=_("Transfers"), queryset=RelationTransfer.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfers"].queryset = queryset
        self.fields["transfers"].error_messages["required"] = _("Tick at least one transfer.")


class DueFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Why"), required=False, choices=[("", _("All")), *DueKind.choices])


class RetentionForm(BootstrapFormMixin, forms.ModelForm):
    member = MemberNumberField(label=_("Member's staff or student number"))

    class Meta:
        model = MembershipRetention
        fields = [
            "country",
            "institution",
            "started_on",
            "expected_end_on",
            "emergency_contact_1",
            "emergency_contact_1_phone",
            "emergency_contact_1_relation",
            "emergency_contact_2",
            "emergency_contact_2_phone",
            "emergency_contact_2_relation",
        ]
        widgets = {"started_on": DateInput(), "expected_end_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = permissions.members_for(user).filter(
            secondary__in=permissions.managed_organizations_for(user)
        )
        self.fields["member"].widget.attrs["class"] = "form-control"
        for name in ("emergency_contact_1_phone", "emergency_contact_2_phone"):
            self.fields[name].widget.attrs.update(inputmode="tel")
        self.order_fields(["member"])

    def retention_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class RetentionContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RetentionContact
        fields = ["contacted_on", "method", "note"]
        widgets = {"contacted_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate


class RetentionEndForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("How it ended"), required=False, max_length=200)
