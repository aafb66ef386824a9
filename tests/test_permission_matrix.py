"""Every URL x every role: 302 to log in, 200, 403 (in scope, no right), 404 (out of scope) or 405 (GET on a
URL that changes something)."""

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import ROLES

OK, LOGIN, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 302, 403, 404, 405


def _row(anonymous, orgdept, sec_a, sec_b, branch_a1, member_a, norole):
    return dict(zip(ROLES, [anonymous, orgdept, sec_a, sec_b, branch_a1, member_a, norole], strict=True))


def _r(name, *args, query=""):
    """A URL builder: args may be functions of the world (the cast and its registrations)."""
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args]) + query


LIST = _row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN)
CREATE = _row(LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
POST_ONLY = _row(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
MEMBER_ONLY = _row(LOGIN, FORBIDDEN, OK, OK, OK, OK, FORBIDDEN)
ANY_USER = _row(LOGIN, OK, OK, OK, OK, OK, OK)
ORG_DEPARTMENT = _row(LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
A1_MEMBER = lambda w: w["members"]["a1_member"].pk  # noqa: E731 (a member of branch_a1, in sec_a's organisation)

# name -> (URL builder, expected status per role)
MATRIX = {
    "home": (_r("home"), ANY_USER),
    "members:list": (_r("members:list"), LIST),
    "members:organizations": (_r("members:organizations"), LIST),
    "members:create": (_r("members:create"), CREATE),
    "members:detail": (_r("members:detail", A1_MEMBER), _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING)),
    "members:detail (own record)": (
        _r("members:detail", lambda w: w["members"]["member_a"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, OK, MISSING),
    ),
    "members:edit": (
        _r("members:edit", A1_MEMBER),
        _row(LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "admin:index": (_r("admin:index"), ORG_DEPARTMENT),
    "members:reveal": (_r("members:reveal", A1_MEMBER), POST_ONLY),
    "members:open_account": (_r("members:open_account", A1_MEMBER), POST_ONLY),
    "members:access_log": (_r("members:access_log"), ORG_DEPARTMENT),
    "privacy": (_r("privacy"), _row(OK, OK, OK, OK, OK, OK, OK)),
    "registrations:outflow_list": (_r("registrations:outflow_list"), LIST),
    "registrations:inflow_list": (_r("registrations:inflow_list"), LIST),
    "registrations:change_report_list": (_r("registrations:change_report_list"), LIST),
    "registrations:screening_list": (_r("registrations:screening_list"), LIST),
    "registrations:outflow_create": (_r("registrations:outflow_create"), CREATE),
    "registrations:inflow_create": (_r("registrations:inflow_create"), CREATE),
    "registrations:screening_create": (_r("registrations:screening_create"), CREATE),
    "registrations:outflow_detail": (
        _r("registrations:outflow_detail", lambda w: w["outflow"].pk),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "registrations:outflow_detail (own)": (
        _r("registrations:outflow_detail", lambda w: w["own_outflow"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, OK, MISSING),
    ),
    "registrations:outflow_edit": (
        _r("registrations:outflow_edit", lambda w: w["outflow"].pk),
        _row(LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "registrations:outflow_action": (
        _r("registrations:outflow_action", lambda w: w["outflow"].pk, "accept"),
        POST_ONLY,
    ),
    "registrations:inflow_detail": (
        _r("registrations:inflow_detail", lambda w: w["inflow"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, MISSING, MISSING),
    ),
    "registrations:inflow_edit": (
        _r("registrations:inflow_edit", lambda w: w["inflow"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, MISSING, MISSING),
    ),
    "registrations:inflow_action": (
        _r("registrations:inflow_action", lambda w: w["inflow"].pk, "contact"),
        POST_ONLY,
    ),
    "registrations:change_report_detail": (
        _r("registrations:change_report_detail", lambda w: w["report"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, OK, MISSING),
    ),
    "registrations:change_report_apply": (
        _r("registrations:change_report_apply", lambda w: w["report"].pk),
        POST_ONLY,
    ),
    "registrations:change_report_decline": (
        _r("registrations:change_report_decline", lambda w: w["report"].pk),
        POST_ONLY,
    ),
    "registrations:whereabouts_flag": (
        _r("registrations:whereabouts_flag", A1_MEMBER),
        _row(LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "registrations:whereabouts_clear": (_r("registrations:whereabouts_clear", A1_MEMBER), POST_ONLY),
    "registrations:unknown_queue": (_r("registrations:unknown_queue"), ORG_DEPARTMENT),
    "registrations:me": (_r("registrations:me"), MEMBER_ONLY),
    "registrations:me_departure": (_r("registrations:me_departure"), MEMBER_ONLY),
    "registrations:me_arrival": (_r("registrations:me_arrival"), MEMBER_ONLY),
    "registrations:me_change": (_r("registrations:me_change"), MEMBER_ONLY),
    "registrations:place_children": (_r("registrations:place_children", query="?parent=510000"), ANY_USER),
    "registrations:campaign_list": (_r("registrations:campaign_list"), LIST),
    "registrations:campaign_detail": (_r("registrations:campaign_detail", lambda w: w["campaign"].pk), LIST),
    "registrations:campaign_task": (
        _r("registrations:campaign_task", lambda w: w["task"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, MISSING, MISSING),
    ),
    "registrations:pending_work": (_r("registrations:pending_work"), ORG_DEPARTMENT),
    "reports:dashboard": (_r("reports:dashboard"), LIST),
    "reports:statistics": (_r("reports:statistics"), LIST),
    "reports:campaign_statistics": (_r("reports:campaign_statistics", lambda w: w["campaign"].pk), LIST),
    # Excel exports: every staff role, each its own rows (tests/reports/test_exports.py checks the contents).
    "exports:export": (_r("exports:export", "outflows"), LIST),
    "exports:export (roster of mobile members)": (
        _r("exports:export", "members", query="?mobile=true"),
        LIST,
    ),
    "exports:export (inflows)": (_r("exports:export", "inflows"), LIST),
    "exports:export (overdue list)": (_r("exports:export", "overdue"), LIST),
    "exports:campaign": (_r("exports:campaign", lambda w: w["campaign"].pk), LIST),
    "exports:prepare": (_r("exports:prepare", "members"), POST_ONLY),
    # A prepared export is its requester's alone (the token names sec_a).
    "exports:download": (
        _r("exports:download", lambda w: w["export_token"]),
        _row(LOGIN, MISSING, OK, MISSING, MISSING, MISSING, MISSING),
    ),
    # Excel imports: those who keep members and registrations.
    "imports:index": (_r("imports:index"), CREATE),
    "imports:upload": (_r("imports:upload", "members"), CREATE),
    "imports:upload (outflows)": (_r("imports:upload", "outflows"), CREATE),
    "imports:upload (inflows)": (_r("imports:upload", "inflows"), CREATE),
    "imports:template": (_r("imports:template", "members"), CREATE),
    "imports:template (inflows)": (_r("imports:template", "inflows"), CREATE),
    "imports:template (outflows)": (_r("imports:template", "outflows"), CREATE),
    "imports:confirm": (_r("imports:confirm", "members"), POST_ONLY),
    "notifications:list": (_r("notifications:list"), ANY_USER),
    "notifications:open": (_r("notifications:open", lambda w: w["notice"]), POST_ONLY),
    "notifications:read": (_r("notifications:read", lambda w: w["notice"]), POST_ONLY),
    "notifications:read_all": (_r("notifications:read_all"), POST_ONLY),
    # Formal transfers and membership retention (Art. 5)
    "registrations:transfer_list": (_r("registrations:transfer_list"), LIST),
    "registrations:transfer_create": (_r("registrations:transfer_create"), CREATE),
    "registrations:transfer_due": (_r("registrations:transfer_due"), LIST),
    "registrations:transfer_batch": (_r("registrations:transfer_batch"), ORG_DEPARTMENT),
    "registrations:transfer_detail": (
        _r("registrations:transfer_detail", lambda w: w["transfer"].pk),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "registrations:transfer_detail (own)": (
        _r("registrations:transfer_detail", lambda w: w["own_transfer"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, OK, MISSING),
    ),
    "registrations:transfer_detail (move to sec_b's organisation)": (
        _r("registrations:transfer_detail", lambda w: w["move_transfer"].pk),
        _row(LOGIN, OK, OK, OK, OK, MISSING, MISSING),
    ),
    "registrations:transfer_edit": (
        _r("registrations:transfer_edit", lambda w: w["draft_transfer"].pk),
        _row(LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "registrations:transfer_check": (
        _r("registrations:transfer_check", lambda w: w["transfer"].pk),
        POST_ONLY,
    ),
    "registrations:transfer_letter": (
        _r("registrations:transfer_letter", lambda w: w["transfer"].pk),
        POST_ONLY,
    ),
    "registrations:transfer_action": (
        _r("registrations:transfer_action", lambda w: w["transfer"].pk, "approve"),
        POST_ONLY,
    ),
    "registrations:retention_list": (_r("registrations:retention_list"), LIST),
    "registrations:retention_create": (_r("registrations:retention_create"), CREATE),
    "registrations:retention_detail": (
        _r("registrations:retention_detail", lambda w: w["retention"].pk),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "registrations:retention_contact": (
        _r("registrations:retention_contact", lambda w: w["retention"].pk),
        POST_ONLY,
    ),
    "registrations:retention_end": (
        _r("registrations:retention_end", lambda w: w["retention"].pk),
        POST_ONLY,
    ),
    # Responsibility checklists (Annexes 1-3) and the records that meet them.
    "responsibilities:item_list": (
        _r("responsibilities:item_list"),
        _row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN),
    ),
    "responsibilities:item_edit": (
        _r("responsibilities:item_edit", lambda w: w["item"].pk),
        ORG_DEPARTMENT,
    ),
    "responsibilities:overview": (_r("responsibilities:overview"), LIST),
    "responsibilities:org_matrix": (
        _r("responsibilities:org_matrix", lambda w: w["org_a"].pk),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "responsibilities:member_record_create": (
        _r("responsibilities:member_record_create", A1_MEMBER, "contact"),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "responsibilities:member_record_create (conversion)": (
        _r("responsibilities:member_record_create", A1_MEMBER, "conversion"),
        _row(LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "responsibilities:member_record_create (own record)": (
        _r("responsibilities:member_record_create", lambda w: w["members"]["member_a"].pk, "dues"),
        _row(LOGIN, OK, OK, MISSING, MISSING, FORBIDDEN, MISSING),
    ),
    "responsibilities:record_follow_up": (
        _r("responsibilities:record_follow_up", "supervision", lambda w: w["supervision"].pk),
        POST_ONLY,
    ),
    "responsibilities:matrix_export_prepare": (
        _r("responsibilities:matrix_export_prepare", lambda w: w["org_a"].pk),
        POST_ONLY,
    ),
    "responsibilities:record_edit": (
        _r("responsibilities:record_edit", "contact", lambda w: w["contact"].pk),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "responsibilities:session_list": (_r("responsibilities:session_list"), LIST),
    "responsibilities:session_create": (
        _r("responsibilities:session_create"),
        _row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN),
    ),
    "responsibilities:session_detail": (
        _r("responsibilities:session_detail", lambda w: w["session"].pk),
        _row(LOGIN, OK, OK, MISSING, OK, MISSING, MISSING),
    ),
    "responsibilities:consultation_list": (_r("responsibilities:consultation_list"), LIST),
    "responsibilities:consultation_create": (_r("responsibilities:consultation_create"), CREATE),
    "responsibilities:allocation_list": (
        _r("responsibilities:allocation_list"),
        _row(LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    "responsibilities:allocation_create": (_r("responsibilities:allocation_create"), ORG_DEPARTMENT),
    "responsibilities:expense_create": (
        _r("responsibilities:expense_create", lambda w: w["allocation"].pk),
        _row(LOGIN, OK, OK, MISSING, MISSING, MISSING, MISSING),
    ),
    "responsibilities:interdept_list": (_r("responsibilities:interdept_list"), ORG_DEPARTMENT),
    "responsibilities:interdept_create": (_r("responsibilities:interdept_create"), ORG_DEPARTMENT),
    "responsibilities:me": (_r("responsibilities:me"), MEMBER_ONLY),
    "responsibilities:me_record": (_r("responsibilities:me_record", "thought_report"), MEMBER_ONLY),
}

CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.fixture
def world(cast):
    """The cast plus a registration of each kind in sec_a's organisation."""
    from members.models import User
    from registrations import jobs, services
    from registrations.models import Division
    from tests.factories import NotificationFactory

    today = timezone.localdate()
    sec_a = User.objects.get(username="sec_a")
    data = {
        "contact_phone": "13900001111",
        "destination_org_name": "某党支部",
        "paired_contact": "李老师",
        "destination_county": Division.objects.get(pk="510104"),
        "departure_on": today - timedelta(days=3),
    }
    outflow = services.outflow_create(
        actor=sec_a, member=cast["members"]["a1_member"], data=data, register=True
    )
    own = services.outflow_create(actor=sec_a, member=cast["members"]["member_a"], data=data, register=True)
    inflow = services.inflow_create(
        actor=sec_a,
        secondary=cast["org_a"],
        new_person={"name": "外来", "gender": "male", "number": "IN9", "category": "new_teacher"},
        data={
            "origin_org_name": "外校党委",
            "origin_county": Division.objects.get(pk="430102"),
            "origin_registered_on": today - timedelta(days=5),
            "source": "platform",
        },
    )
    report = services.member_report_change(
        actor=User.objects.get(username="member_a"),
        data={"kind": "contact", "effective_on": today, "new_phone": "13800000000"},
    )
    # A notification addressed to member_a: only member_a may act on it, the organisation department included.
    notice = NotificationFactory(recipient=User.objects.get(username="member_a"), link="/members/").pk
    campaign = jobs.campaign_open(today=date(2026, 3, 1))
    checklists = _checklist_world(cast, sec_a, today)
    from reports.exports import download_token

    export_token = download_token(
        user=sec_a, name="exports/prepared-for-sec-a.xlsx", filename="流出党员登记.xlsx"
    )
    return {
        "export_token": export_token,
        **cast,
        "campaign": campaign,
        "task": campaign.tasks.get(secondary=cast["org_a"]),
        "outflow": outflow,
        "own_outflow": own,
        "inflow": inflow,
        "report": report,
        "notice": notice,
        **checklists,
        **_transfer_world(cast, today),
    }


def _transfer_world(cast, today):
    """A transfer out at the secondary step (a1_member, branch_a1's), a draft, member_a's own, a move into
    sec_b's organisation, and a member abroad."""
    from members.models import User
    from registrations import transfer_services as ts
    from registrations.models import Division
    from tests.factories import MemberFactory

    users = {u.username: u for u in User.objects.filter(username__in=["sec_a", "branch_a1", "orgdept"])}
    out = {"to_org_name": "中共四川大学委员会", "other_county": Division.objects.get(pk="510107")}

    def create(member, direction="out", data=out):
        return ts.transfer_create(actor=users["sec_a"], member=member, direction=direction, data=data)

    transfer = create(cast["members"]["a1_member"])
    ts.transfer_submit(transfer=transfer, actor=users["sec_a"])
    ts.transfer_approve(transfer=transfer, actor=users["branch_a1"])  # now at the secondary step
    draft = create(MemberFactory(branch=cast["branch_a1"], secondary=cast["org_a"]))
    own = create(cast["members"]["member_a"])
    move = create(
        MemberFactory(branch=cast["branch_a1"], secondary=cast["org_a"]),
        direction="internal",
        data={"to_branch": cast["branch_b0"]},
    )
    retention = ts.retention_create(
        actor=users["sec_a"],
        member=cast["members"]["a1_member"],
        data={
            "country": "英国",
            "institution": "爱丁堡大学",
            "started_on": today,
            "expected_end_on": today + timedelta(days=365),
            "emergency_contact_1": "王父",
            "emergency_contact_1_phone": "13900000001",
            "emergency_contact_2": "李母",
            "emergency_contact_2_phone": "13900000002",
        },
    )
    return {
        "transfer": transfer,
        "draft_transfer": draft,
        "own_transfer": own,
        "move_transfer": move,
        "retention": retention,
    }


def _checklist_world(cast, sec_a, today):
    """A session of branch_a1, a pending disposal about a1_member, and org A's dues allotment."""
    from decimal import Decimal

    from members.models import User
    from responsibilities import services as checklist_services
    from responsibilities.models import ResponsibilityItem

    member = cast["members"]["a1_member"]
    session = checklist_services.session_record(
        actor=sec_a,
        secondary=cast["org_a"],
        branch=cast["branch_a1"],
        data={"kind": "org_life", "title": "支部主题党日", "held_on": today, "mode": "online"},
        attendees=[member],
    )
    supervision = checklist_services.supervision_record(
        actor=sec_a,
        member=member,
        data={"kind": "disposal", "occurred_on": today, "issue": "长期不交纳党费"},
    )
    contact = checklist_services.contact_record(
        actor=sec_a,
        member=member,
        data={"contacted_on": today, "method": "phone", "with_whom": "本人", "learnt": "表现良好"},
    )
    allocation = checklist_services.allocation_create(
        actor=User.objects.get(username="orgdept"),
        data={
            "year": today.year,
            "secondary": cast["org_a"],
            "amount": Decimal("1000"),
            "allotted_on": today,
        },
    )
    return {
        "item": ResponsibilityItem.objects.get(code="A1.2"),
        "session": session,
        "supervision": supervision,
        "contact": contact,
        "allocation": allocation,
    }


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_each_role_gets_the_right_answer_from_each_url(world, login, name, role):
    build, expected = MATRIX[name]
    response = login(role).get(build(world), follow=name.startswith("admin:"))
    if name.startswith("admin:") and expected[role] == LOGIN:
        # The admin sends strangers through its own login view, which hands over to allauth.
        assert response.request["PATH_INFO"] == reverse("account_login")
        return
    assert response.status_code == expected[role]
    if expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("account_login"))


# POSTs to the state-changing URLs: out of scope is 404, in scope without the right is 403.
POSTS = {
    "outflow report in": (
        _r("registrations:outflow_action", lambda w: w["outflow"].pk, "report_in"),
        _row(LOGIN, 302, 302, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "inflow contact": (
        _r("registrations:inflow_action", lambda w: w["inflow"].pk, "contact"),
        _row(LOGIN, 302, 302, MISSING, MISSING, MISSING, MISSING),
    ),
    "change report apply": (
        _r("registrations:change_report_apply", lambda w: w["report"].pk),
        _row(LOGIN, 302, 302, MISSING, MISSING, FORBIDDEN, MISSING),
    ),
    "export prepare": (
        _r("exports:prepare", "outflows"),
        _row(LOGIN, 302, 302, 302, 302, FORBIDDEN, FORBIDDEN),
    ),
    "import confirm without a previewed file": (
        _r("imports:confirm", "members"),
        _row(LOGIN, MISSING, MISSING, MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    "whereabouts clear": (
        _r("registrations:whereabouts_clear", A1_MEMBER),
        _row(LOGIN, 302, 302, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    # At the secondary step: the branch secretary sees it but does not decide it.
    "transfer approve": (
        _r("registrations:transfer_action", lambda w: w["transfer"].pk, "approve"),
        _row(LOGIN, 302, 302, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "transfer refuse without a reason": (
        _r("registrations:transfer_action", lambda w: w["transfer"].pk, "refuse"),
        _row(LOGIN, 400, 400, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "transfer complete before approval": (
        _r("registrations:transfer_action", lambda w: w["transfer"].pk, "complete"),
        _row(LOGIN, 400, 400, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "transfer check": (
        _r("registrations:transfer_check", lambda w: w["transfer"].pk),
        _row(LOGIN, 302, 302, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    # Not approved yet: the letter is refused (400) to those who could print it.
    "transfer letter before approval": (
        _r("registrations:transfer_letter", lambda w: w["transfer"].pk),
        _row(LOGIN, 400, 400, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "transfer batch approval": (
        _r("registrations:transfer_batch"),
        _row(LOGIN, 200, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    "retention contact": (
        _r("registrations:retention_contact", lambda w: w["retention"].pk),
        _row(LOGIN, 302, 302, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "contact log": (
        _r("responsibilities:member_record_create", A1_MEMBER, "contact"),
        _row(LOGIN, 302, 302, MISSING, 302, MISSING, MISSING),
    ),
    "disposal sent on": (
        _r("responsibilities:record_follow_up", "supervision", lambda w: w["supervision"].pk),
        _row(LOGIN, 302, 302, MISSING, 302, MISSING, MISSING),
    ),
    "dues spending": (
        _r("responsibilities:expense_create", lambda w: w["allocation"].pk),
        _row(LOGIN, 302, 302, MISSING, MISSING, MISSING, MISSING),
    ),
    "open a member's account": (
        _r("members:open_account", A1_MEMBER),
        _row(LOGIN, 302, FORBIDDEN, MISSING, FORBIDDEN, MISSING, MISSING),
    ),
    "checklist matrix prepared for download": (
        _r("responsibilities:matrix_export_prepare", lambda w: w["org_a"].pk),
        _row(LOGIN, 302, 302, MISSING, 302, MISSING, MISSING),
    ),
    "contact log corrected": (
        _r("responsibilities:record_edit", "contact", lambda w: w["contact"].pk),
        _row(LOGIN, 302, 302, MISSING, 302, MISSING, MISSING),
    ),
    "checklist item edit": (
        _r("responsibilities:item_edit", lambda w: w["item"].pk),
        _row(LOGIN, 302, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
}
POST_CASES = [(name, role) for name in POSTS for role in ROLES]


@pytest.mark.parametrize(("name", "role"), POST_CASES, ids=[f"{n}-{r}" for n, r in POST_CASES])
def test_each_role_gets_the_right_answer_when_changing_things(world, login, name, role):
    build, expected = POSTS[name]
    today = timezone.localdate().isoformat()
    response = login(role).post(
        build(world),
        {
            "report-reported_on": today,
            "report-destination_org_name": "某支部",
            "contact-on": today,
            "item": "admission_materials",
            "contact-contacted_on": today,
            "contact-method": "phone",
            "complete-on": today,
            # the checklist forms
            "contacted_on": today,
            "method": "phone",
            "with_whom": "本人",
            "learnt": "表现良好",
            "sent_to": "流入地党支部",
            "sent_on": today,
            "spent_on": today,
            "purpose": "hardship",
            "amount": "10",
            "description": "慰问",
            "title": "抓定期联系",
            "text": "加强联系。",
            "cadence": "half_year",
        },
    )
    assert response.status_code == expected[role]


def test_state_changes_require_csrf(world, client):
    from members.models import User

    client.handler.enforce_csrf_checks = True
    client.force_login(User.objects.get(username="sec_a"))
    url = reverse("registrations:outflow_action", args=[world["outflow"].pk, "accept"])
    assert client.post(url, {"accept-on": timezone.localdate().isoformat()}).status_code == 403
    world["outflow"].refresh_from_db()
    assert world["outflow"].state == "registered"


def _our_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin"} or "allauth" in str(entry.urlconf_name):
                continue
            if str(entry.pattern).startswith("i18n"):
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _our_url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and not str(entry.pattern).startswith("__errors__"):
            yield f"{namespace}{entry.name}"


def test_the_matrix_covers_every_url_of_ours():
    covered = {name.split(" ")[0] for name in MATRIX}
    missing = sorted(set(_our_url_names()) - covered)
    assert missing == [], f"add these URLs to the permission matrix: {missing}"
