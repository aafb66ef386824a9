import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import permissions
from .forms import bootstrapify
from .models import AccessAction, AccessLog, Category, Member, MobilityReason, Standing


class BootstrapFilterSet(django_filters.FilterSet):
    """A FilterSet whose form has the Bootstrap classes (small widgets, for the filter bars above lists)."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            self._form = bootstrapify(super().form, small=True)
        return self._form


class MemberFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, number or phone")}),
    )
    secondary = django_filters.ModelChoiceFilter(label=_("Secondary organisation"), queryset=None)
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=None)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    standing = django_filters.ChoiceFilter(label=_("Party standing"), choices=Standing.choices)
    mobile = django_filters.BooleanFilter(
        label=_("Mobile member"),
        method="filter_mobile",
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
    )
    mobility_reason = django_filters.ChoiceFilter(label=_("Mobility reason"), choices=MobilityReason.choices)
    whereabouts_unknown = django_filters.BooleanFilter(
        label=_("Whereabouts unknown"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
    )
    is_exempt = django_filters.BooleanFilter(
        label=_("Exempt (Art. 6)"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Member
        fields = [
            "q",
            "secondary",
            "branch",
            "category",
            "standing",
            "mobile",
            "mobility_reason",
            "whereabouts_unknown",
            "is_exempt",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["secondary"].queryset = permissions.organizations_for(user)
        self.filters["branch"].queryset = permissions.branches_for(user)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_mobile(self, queryset, name, value):
        return queryset.exclude(mobility_reason="") if value else queryset.filter(mobility_reason="")


class AccessLogFilter(BootstrapFilterSet):
    user = django_filters.CharFilter(label=_("Account"), field_name="user__username", lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AccessAction.choices)
    member = django_filters.CharFilter(
        label=_("Member's number"), field_name="member__number", lookup_expr="iexact"
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AccessLog
        fields = ["user", "action", "member", "since", "until"]
