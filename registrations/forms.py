from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import permissions
from members.forms import BootstrapFormMixin, DateInput, grouped_branch_choices
from members.models import Gender, Member

from .models import (
    CampaignTask,
    ChangeKind,
    ChangeReport,
    Division,
    EndReason,
    InflowRegistration,
    OutflowRegistration,
    Screening,
)

# Art. 5: the facts that make a formal transfer due, on both registrations.
TRANSFER_FACT_FIELDS = [
    "settled_on",
    "housing_kind",
    "housing_since",
    "contract_signed_on",
    "contract_months",
]
TRANSFER_FACT_WIDGETS = {
    "settled_on": DateInput(),
    "housing_since": DateInput(),
    "contract_signed_on": DateInput(),
}


class CountyChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Division.objects.filter(is_county_level=True))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _("Choose a county, city or district from the list (GB/T 2260)."),
            },
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return obj.name


class PlaceFieldsMixin:
    """Cascading province -> city -> county selects for each county field in `place_fields`.

    Only the county is stored; the two upper selects are filled from it, and static/js/app.js reloads the
    lower lists from /places/children/ when a higher one changes.
    """

    place_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = [("", "---------")] + list(Division.objects.filter(level=1).values_list("code", "name"))
        for name in self.place_fields:
            county_field = self.fields[name]
            selected = self._selected_county(name)
            province_code = city_code = ""
            if selected is not None:
                city_code = selected.parent_id or ""
                province_code = selected.code[:2] + "0000"
                if selected.level == Division.Level.PREFECTURE:  # a city without counties (东莞市)
                    city_code = selected.code
            province_code = (
                self.data.get(f"{self.add_prefix(name)}_province", province_code)
                if self.is_bound
                else province_code
            )
            city_code = (
                self.data.get(f"{self.add_prefix(name)}_city", city_code) if self.is_bound else city_code
            )
            self.fields[f"{name}_province"] = forms.ChoiceField(
                label=_("Province"),
                required=False,
                choices=provinces,
                initial=province_code,
                widget=forms.Select(
                    attrs={
                        "data-cascade": "city",
                        "data-cascade-target": f"id_{name}_city",
                        "class": "form-select",
                    }
                ),
            )
            self.fields[f"{name}_city"] = forms.ChoiceField(
                label=_("City"),
                required=False,
                choices=self._children(province_code),
                initial=city_code,
                widget=forms.Select(
                    attrs={
                        "data-cascade": "county",
                        "data-cascade-target": f"id_{name}",
                        "class": "form-select",
                    }
                ),
            )
            county_field.widget.choices = self._children(city_code, county=True)
            county_field.widget.attrs["class"] = "form-select"

    def _selected_county(self, name) -> Division | None:
        if self.is_bound:
            code = self.data.get(self.add_prefix(name))
        else:
            code = self.initial.get(name)
            if code is None and getattr(self, "instance", None) is not None:
                code = getattr(self.instance, f"{name}_id", None)
        code = getattr(code, "pk", code)
        return Division.objects.filter(pk=code).first() if code else None

    @staticmethod
    def _children(code: str, *, county: bool = False):
        choices = [("", "---------")]
        if not code:
            return choices
        return choices + list(children_of(code, county=county))

    def clean(self):
        cleaned = super().clean()
        for name in self.place_fields:
            cleaned.pop(f"{name}_province", None)
            cleaned.pop(f"{name}_city", None)
        return cleaned


def children_of(code: str, *, county: bool = False) -> list[tuple[str, str]]:
    """The options below a division; a city without counties offers itself as its only county."""
    rows = list(Division.objects.filter(parent_id=code).values_list("code", "name"))
    if not rows and county:
        rows = list(Division.objects.filter(pk=code, is_county_level=True).values_list("code", "name"))
    return rows


class OutflowForm(PlaceFieldsMixin, BootstrapFormMixin, forms.ModelForm):
    place_fields = ("destination_county",)
    destination_county = CountyChoiceField(label=_("Destination county"), required=False)

    class Meta:
        model = OutflowRegistration
        fields = [
            "contact_phone",
            "destination_unit",
            "has_fixed_unit",
            "unit_has_party_org",
            "is_new_employment",
            "destination_org_name",
            "destination_org_kind",
            "destination_county",
            "destination_address",
            "departure_on",
            "expected_return_on",
            "reason",
            "paired_contact",
            "paired_contact_phone",
            "destination_contact",
            "destination_contact_phone",
            "certificate_number",
            "platform_recorded_on",
            "pre_departure_education_on",
            *TRANSFER_FACT_FIELDS,
            "doctoral_study",
            "going_abroad",
            "wishes_to_transfer",
        ]
        widgets = {
            "departure_on": DateInput(),
            "expected_return_on": DateInput(),
            "platform_recorded_on": DateInput(),
            "pre_departure_education_on": DateInput(),
            **TRANSFER_FACT_WIDGETS,
            "unit_has_party_org": forms.Select(
                choices=[(None, _("Unknown")), (True, _("Yes")), (False, _("No"))]
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("contact_phone", "paired_contact_phone", "destination_contact_phone"):
            self.fields[name].widget.attrs.update(inputmode="tel")


class MemberNumberField(forms.CharField):
    """A member picked by staff/student number, within the viewer's scope (a select of every member would not
    scale to a province)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.queryset = Member.objects.none()
        self.widget.attrs.update(autocomplete="off", placeholder=_("e.g. T0100003"))

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        member = (
            self.queryset.filter(number__iexact=value.strip()).select_related("secondary", "branch").first()
        )
        if member is None:
            raise forms.ValidationError(
                _(
                    "No member with staff/student number %(number)s in your organisations. Check the number, or add "
                    "the member first."
                )
                % {"number": value}
            )
        return member


class OutflowCreateForm(OutflowForm):
    member = MemberNumberField(label=_("Member's staff or student number"))
    registered_on = forms.DateField(
        label=_("Registration date"),
        required=False,
        widget=DateInput(),
        help_text=_("The intake clock starts on this day (Art. 2)."),
    )

    class Meta(OutflowForm.Meta):
        fields = OutflowForm.Meta.fields

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["member"].queryset = permissions.members_for(user).filter(
            secondary__in=permissions.managed_organizations_for(user)
        )
        self.fields["registered_on"].widget.attrs["class"] = "form-control"
        self.fields["registered_on"].initial = timezone.localdate()
        self.order_fields(["member", "registered_on"])


class MemberDepartureForm(PlaceFieldsMixin, BootstrapFormMixin, forms.ModelForm):
    """Annex 3.1, from a phone: the essentials; the secretary completes the rest."""

    place_fields = ("destination_county",)
    destination_county = CountyChoiceField(label=_("Destination county"))

    class Meta:
        model = OutflowRegistration
        fields = [
            "destination_county",
            "destination_address",
            "destination_unit",
            "departure_on",
            "expected_return_on",
            "contact_phone",
        ]
        widgets = {"departure_on": DateInput(), "expected_return_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("destination_unit", "departure_on", "contact_phone"):
            self.fields[name].required = True
        self.fields["contact_phone"].widget.attrs.update(inputmode="tel")


class ReportInForm(BootstrapFormMixin, forms.Form):
    reported_on = forms.DateField(label=_("Reported in on"), widget=DateInput(), initial=timezone.localdate)
    destination_org_name = forms.CharField(label=_("Party organisation reported to"), max_length=200)


class DateForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)


class RegisterForm(DateForm):
    on = forms.DateField(label=_("Registration date"), widget=DateInput(), initial=timezone.localdate)


class ContactForm(DateForm):
    on = forms.DateField(label=_("Contact date"), widget=DateInput(), initial=timezone.localdate)


class AcceptForm(DateForm):
    on = forms.DateField(label=_("Intake date"), widget=DateInput(), initial=timezone.localdate)


class RefuseForm(DateForm):
    on = forms.DateField(label=_("Date of refusal"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Destination's reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(DateForm):
    on = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)
    end_reason = forms.ChoiceField(label=_("How it ended"), choices=EndReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ChangeReportForm(PlaceFieldsMixin, BootstrapFormMixin, forms.ModelForm):
    place_fields = ("new_county",)
    new_county = CountyChoiceField(label=_("New county"), required=False)

    class Meta:
        model = ChangeReport
        fields = ["kind", "effective_on", "new_county", "new_address", "new_unit", "new_phone", "details"]
        widgets = {"effective_on": DateInput(), "details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ChangeKind.choices
        self.fields["new_phone"].widget.attrs.update(inputmode="tel")


class DeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}))


class InflowForm(PlaceFieldsMixin, BootstrapFormMixin, forms.ModelForm):
    place_fields = ("origin_county",)
    origin_county = CountyChoiceField(label=_("Origin county"))

    class Meta:
        model = InflowRegistration
        fields = [
            "origin_org_name",
            "origin_contact",
            "origin_contact_phone",
            "origin_county",
            "origin_registered_on",
            "source",
            "work_unit",
            "reason",
            "designated_contact",
            "designated_contact_phone",
            *TRANSFER_FACT_FIELDS,
        ]
        widgets = {"origin_registered_on": DateInput(), **TRANSFER_FACT_WIDGETS}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class InflowCreateForm(InflowForm):
    secondary = forms.ModelChoiceField(label=_("Receiving secondary organisation"), queryset=None)
    member = MemberNumberField(
        label=_("Existing member's staff or student number"),
        required=False,
        help_text=_("Leave empty to enter a new member whose relation is elsewhere."),
    )
    new_name = forms.CharField(label=_("Name"), required=False, max_length=64)
    new_gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "---------"), *Gender.choices]
    )
    new_number = forms.CharField(label=_("Staff or student number"), required=False, max_length=32)
    new_category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", "---------"), *Member._meta.get_field("category").choices],
    )
    new_phone = forms.CharField(label=_("Phone"), required=False, max_length=20)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        managed = permissions.managed_organizations_for(user).filter(is_active=True)
        self.fields["secondary"].queryset = managed
        self.fields["member"].queryset = permissions.members_for(user).filter(secondary__in=managed)
        for name in ("secondary", "new_gender", "new_category"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("member", "new_name", "new_number", "new_phone"):
            self.fields[name].widget.attrs["class"] = "form-control"
        if managed.count() == 1:
            self.fields["secondary"].initial = managed.first()
        self.order_fields(
            ["secondary", "member", "new_name", "new_gender", "new_number", "new_category", "new_phone"]
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("member"):
            missing = [
                self.fields[n].label
                for n in ("new_name", "new_gender", "new_number", "new_category")
                if not cleaned.get(n)
            ]
            if missing:
                raise forms.ValidationError(
                    _("Choose an existing member, or enter the new member's %(fields)s.")
                    % {"fields": "、".join(map(str, missing))}
                )
        return cleaned

    def new_person(self) -> dict | None:
        if self.cleaned_data.get("member"):
            return None
        return {
            "name": self.cleaned_data["new_name"],
            "gender": self.cleaned_data["new_gender"],
            "number": self.cleaned_data["new_number"],
            "category": self.cleaned_data["new_category"],
            "phone": self.cleaned_data.get("new_phone", ""),
        }

    def registration_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in InflowForm.Meta.fields}


class InflowAcceptForm(DateForm):
    on = forms.DateField(label=_("Intake date"), widget=DateInput(), initial=timezone.localdate)
    branch = forms.ModelChoiceField(label=_("Branch taking the member in"), queryset=None, required=False)

    def __init__(self, *args, inflow, **kwargs):
        super().__init__(*args, **kwargs)
        branches = inflow.secondary.branches.filter(is_active=True)
        self.fields["branch"].queryset = branches
        self.fields["branch"].choices = grouped_branch_choices(branches)
        self.fields["branch"].widget.attrs["class"] = "form-select"


class OriginManagementForm(BootstrapFormMixin, forms.Form):
    origin_mpo_name = forms.CharField(label=_("Origin's mobile-member organisation"), max_length=200)
    origin_confirmed_on = forms.DateField(label=_("Origin confirmed on"), widget=DateInput(), required=False)


class ScreeningForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Screening
        fields = ["source", "method", "screened_on", "member", "findings"]
        widgets = {"screened_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, secondary_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secondary"] = forms.ModelChoiceField(
            label=_("Secondary organisation"), queryset=secondary_queryset
        )
        self.fields["secondary"].widget.attrs["class"] = "form-select"
        if secondary_queryset.count() == 1:
            self.fields["secondary"].initial = secondary_queryset.first()
        self.fields["member"].queryset = permissions.members_for(user).filter(
            secondary__in=secondary_queryset
        )
        self.fields["member"].required = False
        self.order_fields(["secondary"])


class UnknownWhereaboutsForm(BootstrapFormMixin, forms.Form):
    since = forms.DateField(label=_("Unknown since"), widget=DateInput(), initial=timezone.localdate)
    cause = forms.ChoiceField(
        label=_("Cause"), choices=Member._meta.get_field("whereabouts_unknown_cause").choices
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CampaignReportForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CampaignTask
        fields = [
            "outflow_members",
            "inflow_members",
            "new_registrations",
            "intakes_completed",
            "intakes_pending",
            "pending_reasons",
            "members_reviewed",
            "note",
        ]
        widgets = {
            "pending_reasons": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "outflow_members",
            "inflow_members",
            "new_registrations",
            "intakes_completed",
            "intakes_pending",
        ):
            self.fields[name].required = True
            self.fields[name].min_value = 0
