import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import permissions
from members.filters import BootstrapFilterSet

from .filters import YES_NO
from .models import RelationTransfer, TransferDirection, TransferStage, TransferState


class TransferFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Name or number")}),
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=TransferState.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=TransferDirection.choices)
    stage = django_filters.ChoiceFilter(label=_("Step"), choices=TransferStage.choices)
    open = django_filters.BooleanFilter(
        label=_("Open"), method="filter_open", widget=forms.Select(choices=YES_NO)
    )
    receipt_overdue = django_filters.BooleanFilter(
        label=_("Receipt overdue"), method="filter_receipt_overdue", widget=forms.Select(choices=YES_NO)
    )
    secondary = django_filters.ModelChoiceFilter(label=_("Secondary organisation"), queryset=None)

    class Meta:
        model = RelationTransfer
        fields = ["q", "state", "direction", "stage", "open", "receipt_overdue", "secondary"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["secondary"].queryset = permissions.organizations_for(user)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(member__name__icontains=value) | Q(member__number__iexact=value))

    def filter_open(self, queryset, name, value):
        opened = RelationTransfer.objects.open().values("pk")
        return queryset.filter(pk__in=opened) if value else queryset.exclude(pk__in=opened)

    def filter_receipt_overdue(self, queryset, name, value):
        overdue = RelationTransfer.objects.receipt_overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)
