import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members import permissions
from members.filters import BootstrapFilterSet
from members.models import MobilityReason

from .models import (
    ChangeReport,
    ChangeReportStatus,
    Division,
    InflowRegistration,
    InflowSource,
    InflowState,
    OutflowRegistration,
    OutflowState,
)

YES_NO = [("", "---------"), ("true", _("Yes")), ("false", _("No"))]


def province_choices():
    return list(Division.objects.filter(level=1).values_list("code", "name"))


class IntakeFilterBase(BootstrapFilterSet):
    """Filters shared by both registers; the clock filters use the same definitions as the counters."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Name or number")}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=forms.Select(choices=YES_NO)
    )
    due_soon = django_filters.BooleanFilter(
        label=_("Due within 7 days"), method="filter_due_soon", widget=forms.Select(choices=YES_NO)
    )
    open = django_filters.BooleanFilter(
        label=_("Open"), method="filter_open", widget=forms.Select(choices=YES_NO)
    )
    timeliness = django_filters.ChoiceFilter(
        label=_("Intake"),
        method="filter_timeliness",
        choices=[("on_time", _("On time")), ("late", _("Late")), ("pending", _("Not yet complete"))],
    )
    year = django_filters.NumberFilter(label=_("Year the clock started"), method="filter_year")
    reason = django_filters.ChoiceFilter(label=_("Mobility reason"), choices=MobilityReason.choices)
    secondary = django_filters.ModelChoiceFilter(label=_("Secondary organisation"), queryset=None)
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=None)
    province_field = ""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["secondary"].queryset = permissions.organizations_for(user)
        self.filters["branch"].queryset = permissions.branches_for(user)
        self.filters["province"].extra["choices"] = province_choices()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(member__name__icontains=value) | Q(member__number__iexact=value))

    # "Yes" applies the queryset's own definition directly (the partial index of pending intakes serves it);
    # "No" is its complement, through the primary key.
    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue()
        return queryset.exclude(pk__in=queryset.model.objects.overdue().values("pk"))

    def filter_due_soon(self, queryset, name, value):
        if value:
            return queryset.due_within(7)
        return queryset.exclude(pk__in=queryset.model.objects.due_within(7).values("pk"))

    def filter_timeliness(self, queryset, name, value):
        if value == "on_time":
            return queryset.on_time()
        if value == "late":
            return queryset.late()
        return queryset.intake_pending()

    def filter_year(self, queryset, name, value):
        return queryset.clock_started_in(int(value)) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.exclude(state="ended") if value else queryset.filter(state="ended")

    def filter_province(self, queryset, name, value):
        return (
            queryset.filter(**{f"{self.province_field}__code__startswith": value[:2]}) if value else queryset
        )


class OutflowFilter(IntakeFilterBase):
    state = django_filters.ChoiceFilter(label=_("State"), choices=OutflowState.choices)
    province = django_filters.ChoiceFilter(
        label=_("Destination province"), method="filter_province", choices=[]
    )
    province_field = "destination_county"

    class Meta:
        model = OutflowRegistration
        fields = [
            "q",
            "state",
            "open",
            "overdue",
            "due_soon",
            "timeliness",
            "year",
            "reason",
            "province",
            "secondary",
            "branch",
        ]


class InflowFilter(IntakeFilterBase):
    state = django_filters.ChoiceFilter(label=_("State"), choices=InflowState.choices)
    province = django_filters.ChoiceFilter(label=_("Origin province"), method="filter_province", choices=[])
    source = django_filters.ChoiceFilter(label=_("How we learnt of them"), choices=InflowSource.choices)
    province_field = "origin_county"

    class Meta:
        model = InflowRegistration
        fields = [
            "q",
            "state",
            "open",
            "overdue",
            "due_soon",
            "timeliness",
            "year",
            "reason",
            "province",
            "source",
            "secondary",
            "branch",
        ]


class ChangeReportFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ChangeReportStatus.choices)

    class Meta:
        model = ChangeReport
        fields = ["status"]
