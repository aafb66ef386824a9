from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from . import identity, permissions
from .crypto import digest
from .models import Member


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def grouped_branch_choices(branches):
    """Branches as <optgroup>s by secondary organisation, so the choice reads as a tree."""
    choices = [("", "---------")]
    for secondary, group in groupby(
        branches.order_by("secondary__ordering", "secondary__code", "ordering", "code"),
        key=lambda b: b.secondary,
    ):
        choices.append((secondary.name, [(b.pk, b.name) for b in group]))
    return choices


def bootstrapify(form: forms.BaseForm, *, small: bool = False) -> forms.BaseForm:
    """Give every widget its Bootstrap class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


class BootstrapFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class MemberForm(BootstrapFormMixin, forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID-card number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "number",
            "category",
            "secondary",
            "branch",
            "origin_organization",
            "phone",
            "email",
            "id_number",
            "standing",
            "joined_on",
            "converted_on",
            "mobility_reason",
            "is_exempt",
            "exempt_reason",
            "whereabouts_unknown",
            "whereabouts_unknown_since",
            "whereabouts_unknown_cause",
            "whereabouts_note",
        ]
        widgets = {
            "joined_on": DateInput(),
            "converted_on": DateInput(),
            "whereabouts_unknown_since": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secondary"].queryset = permissions.managed_organizations_for(user).filter(is_active=True)
        branches = permissions.branches_for(user).filter(
            secondary__in=self.fields["secondary"].queryset, is_active=True
        )
        self.fields["branch"].queryset = branches
        self.fields["branch"].choices = grouped_branch_choices(branches)
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.full_identifiers = permissions.can(user, "view_full_identifiers")
        if self.instance.pk and self.instance.phone and not self.full_identifiers:
            # Only the organisation department sees numbers in full: a blank field keeps the stored one.
            self.initial["phone"] = ""
            self.fields["phone"].help_text = _("On file: %(masked)s. Leave blank to keep it.") % {
                "masked": self.instance.masked_phone
            }
        if self.instance.pk and self.instance.id_number:
            # Never send the stored number back to the browser: blank keeps it.
            self.initial["id_number"] = ""
            self.fields["id_number"].help_text = _("On file: %(masked)s. Leave blank to keep it.") % {
                "masked": self.instance.masked_id_number
            }
        else:
            self.fields["id_number"].help_text = _("Optional. 18 characters; the last may be X.")

    def clean_id_number(self):
        value = identity.normalize_id_number(self.cleaned_data.get("id_number", ""))
        if not value and self.instance.pk:
            return self.instance.id_number
        if value and not identity.is_valid_id_number(value):
            raise forms.ValidationError(
                _(
                    "Enter an 18-character ID-card number whose last character is the correct check digit (0-9 or X)."
                )
            )
        if (
            value
            and Member.objects.exclude(pk=self.instance.pk).filter(id_number_digest=digest(value)).exists()
        ):
            raise forms.ValidationError(_("Another member already has this ID-card number."))
        return value

    def clean_phone(self):
        value = identity.normalize_digits(self.cleaned_data.get("phone", ""))
        if not value and self.instance.pk and not self.full_identifiers:
            return self.instance.phone
        if value and not value.replace("-", "").isdigit():
            raise forms.ValidationError(_("Enter the phone number with digits only, e.g. 13800001234."))
        return value
