from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from registrations import transfer_selectors
from registrations.models import DueKind, MembershipRetention, RelationTransfer, TransferState, TransferStep


@override_settings(DEBUG=True)
def test_the_demo_has_a_transfer_in_each_state_a_due_member_of_each_kind_and_runs_twice(db):
    call_command("seed_demo")
    counts = (
        RelationTransfer.objects.count(),
        TransferStep.objects.count(),
        MembershipRetention.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        RelationTransfer.objects.count(),
        TransferStep.objects.count(),
        MembershipRetention.objects.count(),
    )
    assert set(RelationTransfer.objects.values_list("state", flat=True)) == set(TransferState.values)
    assert set(RelationTransfer.objects.filter(state="pending").values_list("stage", flat=True)) == {
        "branch",
        "secondary",
        "department",
    }
    today = timezone.localdate()
    kinds = {row.suggestion.kind for row in transfer_selectors.due_list_all(today=today)}
    assert kinds == set(DueKind.values)
    assert MembershipRetention.objects.filter(state="active").exists()
    assert transfer_selectors.kept_graduates_all(today=today)
    assert RelationTransfer.objects.receipt_overdue(today).exists()
