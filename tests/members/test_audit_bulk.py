"""Audit entries written for bulk imports say what auditlog says for the same save."""

from auditlog.diff import model_instance_diff

from members.audit import changes
from members.models import Member


def test_the_bulk_diff_agrees_with_auditlog_on_the_models_own_columns(cast):
    before = Member.objects.get(pk=cast["members"]["a1_member"].pk)
    after = Member.objects.get(pk=before.pk)
    after.phone = "13711112222"
    after.id_number = "51110219900307123X"
    after.branch = cast["branch_a0"]

    ours = changes(before, after)
    theirs = model_instance_diff(before, after)

    assert set(ours) == {"phone", "id_number", "branch"}
    assert all(tuple(ours[name]) == tuple(theirs[name]) for name in ours)
    assert "51110219900307123X" not in str(ours["id_number"])


def test_a_created_members_entry_holds_its_values_and_masks_the_id_number(cast):
    member = Member.objects.get(pk=cast["members"]["a1_member"].pk)
    member.id_number = "51110219900307123X"

    created = changes(None, member)

    assert created["name"] == ("None", member.name)
    assert created["number"] == ("None", member.number)
    assert created["secondary"] == ("None", str(member.secondary_id))
    assert "51110219900307123X" not in str(created["id_number"])
    assert "id_number_digest" not in created and "updated_at" not in created  # excluded, as registered
