"""Transfers and retention as people use them, through the test client."""

from datetime import timedelta

from django.urls import reverse

from registrations.models import MembershipRetention, OutflowRegistration, RelationTransfer


def test_a_transfer_goes_from_the_form_through_the_chain_to_the_letter_and_completion(as_user, cast, today):
    member = cast["members"]["a1_member"]
    client = as_user("sec_a")
    response = client.post(
        reverse("registrations:transfer_create"),
        {
            "member": member.number,
            "direction": "out",
            "basis": "contract",
            "to_org_name": "中共成都市武侯区委员会",
            "other_county_province": "510000",
            "other_county_city": "510100",
            "other_county": "510107",
        },
    )
    transfer = RelationTransfer.objects.get(member=member)
    assert response.status_code == 302 and transfer.basis == "contract"
    action = lambda name: reverse("registrations:transfer_action", args=[transfer.pk, name])  # noqa: E731
    assert client.post(action("submit")).status_code == 302
    assert as_user("branch_a1").post(action("approve")).status_code == 302
    assert as_user("sec_a").post(action("approve")).status_code == 302
    batch = as_user("orgdept").post(reverse("registrations:transfer_batch"), {"transfers": [transfer.pk]})
    assert batch.status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == "approved"
    client = as_user("sec_a")
    for item in ("admission_materials", "development_procedures", "dues_paid"):
        response = client.post(
            reverse("registrations:transfer_check", args=[transfer.pk]),
            {"item": item, "dues_paid_until": f"{today:%Y-%m}"},
        )
        assert response.status_code == 302
    letter = client.post(reverse("registrations:transfer_letter", args=[transfer.pk]), {"valid_days": ""})
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert client.post(action("complete"), {"complete-on": today.isoformat()}).status_code == 302
    member.refresh_from_db()
    assert member.branch is None and member.origin_organization == "中共成都市武侯区委员会"
    page = client.get(member.get_absolute_url()).content.decode()
    assert transfer.get_absolute_url() in page  # the member page lists the transfer
    detail = client.get(transfer.get_absolute_url()).content.decode()
    assert "branch_a1" not in detail and "陈晓燕" in detail  # the audit trail names who approved


def test_a_refusal_without_a_reason_is_shown_as_an_error_and_changes_nothing(as_user, make_transfer):
    transfer = make_transfer("branch")
    response = as_user("branch_a1").post(
        reverse("registrations:transfer_action", args=[transfer.pk, "refuse"]), {"refuse-reason": " "}
    )
    assert response.status_code == 400
    assert response.context["action_errors"]
    transfer.refresh_from_db()
    assert transfer.state == "pending"


def test_the_member_can_read_their_own_transfer_but_not_act_on_it(as_user, cast, make_transfer):
    transfer = make_transfer("draft", member=cast["members"]["member_a"])
    client = as_user("member_a")
    assert client.get(transfer.get_absolute_url()).status_code == 200
    response = client.post(reverse("registrations:transfer_action", args=[transfer.pk, "submit"]))
    assert response.status_code == 403


def test_the_due_list_suggests_a_transfer_and_prefills_it(as_user, make_outflow, sec_a, today):
    from registrations import services

    outflow = make_outflow("accepted")
    services.outflow_update(
        outflow=outflow,
        actor=sec_a,
        data={"contract_signed_on": today - timedelta(days=30), "contract_months": 12},
    )
    client = as_user("sec_a")
    page = client.get(reverse("registrations:transfer_due")).content.decode()
    assert 'data-due-kind="contract"' in page and outflow.member.name in page
    create = client.get(
        reverse("registrations:transfer_create") + f"?member={outflow.member.pk}&direction=out&basis=contract"
    )
    form = create.context["form"]
    assert form.initial["to_org_name"] == outflow.destination_org_name
    assert form.initial["basis"] == "contract"
    # Another organisation does not see it.
    assert (
        as_user("sec_b")
        .get(reverse("registrations:transfer_due"))
        .content.decode()
        .count(outflow.member.name)
        == 0
    )


def test_the_outflow_form_records_the_art_5_facts_and_the_page_says_what_is_due(as_user, make_outflow, today):
    outflow = make_outflow("registered")
    client = as_user("sec_a")
    form = client.get(reverse("registrations:outflow_edit", args=[outflow.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "destination_county": outflow.destination_county_id,
            "has_fixed_unit": "on",
            "unit_has_party_org": "True",
            "departure_on": outflow.departure_on.isoformat(),
            "expected_return_on": outflow.expected_return_on.isoformat(),
            "housing_kind": "bought",
            "housing_since": (today - timedelta(days=400)).isoformat(),
            "settled_on": "",
            "contract_signed_on": "",
            "contract_months": "",
            "platform_recorded_on": "",
            "pre_departure_education_on": "",
        }
    )
    response = client.post(reverse("registrations:outflow_edit", args=[outflow.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    outflow = OutflowRegistration.objects.get(pk=outflow.pk)
    assert outflow.housing_kind == "bought"
    page = client.get(outflow.get_absolute_url()).content.decode()
    assert 'id="transfer-due"' in page


def test_a_secretary_records_a_member_abroad(as_user, cast, today):
    member = cast["members"]["a1_member"]
    response = as_user("sec_a").post(
        reverse("registrations:retention_create"),
        {
            "member": member.number,
            "country": "日本",
            "institution": "东京大学",
            "started_on": today.isoformat(),
            "expected_end_on": (today + timedelta(days=700)).isoformat(),
            "emergency_contact_1": "张父",
            "emergency_contact_1_phone": "13900000011",
            "emergency_contact_2": "张母",
            "emergency_contact_2_phone": "13900000012",
        },
    )
    retention = MembershipRetention.objects.get(member=member)
    assert response.status_code == 302
    contact = as_user("sec_a").post(
        reverse("registrations:retention_contact", args=[retention.pk]),
        {"contact-contacted_on": today.isoformat(), "contact-method": "online", "contact-note": "视频联系"},
    )
    assert contact.status_code == 302
    retention.refresh_from_db()
    assert retention.last_contact_on == today
    listing = as_user("sec_a").get(reverse("registrations:retention_list")).content.decode()
    assert "东京大学" in listing


def test_lists_filter_transfers_by_state_direction_and_step(as_user, make_transfer, cast):
    from tests.factories import MemberFactory

    pending = make_transfer("secondary")
    draft = make_transfer("draft", member=MemberFactory(branch=cast["branch_a0"], secondary=cast["org_a"]))
    client = as_user("sec_a")
    url = reverse("registrations:transfer_list")
    by_stage = client.get(url, {"stage": "secondary"}).context["page"].object_list
    assert list(by_stage) == [pending]
    by_state = client.get(url, {"state": "draft", "direction": "out"}).context["page"].object_list
    assert list(by_state) == [draft]
    assert client.get(url, {"direction": "in"}).context["page"].paginator.count == 0
