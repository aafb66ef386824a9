"""Registrations and their records at province scale, for `seed_demo --members N` (see members/demo/bulk.py).

Per million members: 150,000 outflows and 50,000 inflows in every state (pending ones recent, so that some are
overdue and some due this week; completed ones over three years, mostly on time), intra- and cross-province,
each with the timeline events its path implies, the deadline reminders and notifications the daily job would
have sent up to yesterday, change reports, screenings, and past batch campaigns. Dates follow the rules the
services apply: due dates from `rules.intake_deadline`, flow scope from `rules.flow_scope`, intake completed on
the acceptance date, at most one open registration per member.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from members.demo.bulk import MOBILITY_REASONS, BulkContext
from members.models import Notification

from . import rules
from .models import (
    BatchCampaign,
    CampaignTask,
    ChangeReport,
    Division,
    InflowRegistration,
    IntakeReminder,
    OutflowRegistration,
    RegistrationEvent,
    Screening,
)

OUTFLOWS_PER_MEMBER = 0.15
INFLOWS_PER_MEMBER = 0.05
SCREENINGS_PER_MEMBER = 0.03

OUTFLOW_STATES = [
    ("draft", 3),
    ("registered", 18),
    ("reported", 16),
    ("accepted", 38),
    ("refused", 3),
    ("returned", 11),
    ("transferred", 5),
    ("cancelled", 6),
]
INFLOW_STATES = [
    ("notified", 8),
    ("contacted", 10),
    ("registered", 20),
    ("accepted", 42),
    ("managed_by_origin", 8),
    ("ended", 12),
]
UNITS = [
    "四川大学",
    "成都市第七中学",
    "华为技术有限公司",
    "乐山市人民政府",
    "北京师范大学",
    "重庆大学",
    "某乡镇中心校",
]
ORIGINS = [
    "中共四川师范大学委员会",
    "中共西南交通大学委员会",
    "中共湖南师范大学委员会",
    "中共南京师范大学委员会",
    "中共成都市武侯区委员会",
    "中共重庆师范大学委员会",
]
STAGE_TITLES = {
    rules.ReminderStage.WEEK_BEFORE: "接收纳管还有7天到期：{name}（{kind}）",
    rules.ReminderStage.THREE_DAYS_BEFORE: "接收纳管还有3天到期：{name}（{kind}）",
    rules.ReminderStage.DUE_DAY: "今日到期：{name}（{kind}）",
    rules.ReminderStage.OVERDUE: "逾期未接收纳管：{name}（{kind}）",
}

OUTFLOW_COLUMNS = (
    "id",
    "member_id",
    "secondary_id",
    "branch_id",
    "state",
    "due_on",
    "intake_completed_on",
    "flow_scope",
    "contact_phone",
    "destination_unit",
    "unit_has_party_org",
    "destination_org_name",
    "destination_org_kind",
    "destination_county_id",
    "departure_on",
    "expected_return_on",
    "reason",
    "paired_contact",
    "paired_contact_phone",
    "platform_recorded_on",
    "pre_departure_education_on",
    "registered_on",
    "reported_on",
    "accepted_on",
    "refused_on",
    "refusal_reason",
    "ended_on",
    "end_reason",
    "created_by_id",
    "created_at",
    "updated_at",
)
INFLOW_COLUMNS = (
    "id",
    "member_id",
    "secondary_id",
    "branch_id",
    "state",
    "due_on",
    "intake_completed_on",
    "flow_scope",
    "origin_org_name",
    "origin_contact",
    "origin_contact_phone",
    "origin_county_id",
    "origin_registered_on",
    "source",
    "work_unit",
    "reason",
    "designated_contact",
    "designated_contact_phone",
    "origin_mpo_name",
    "origin_confirmed_on",
    "contacted_on",
    "registered_on",
    "accepted_on",
    "ended_on",
    "end_reason",
    "created_by_id",
    "created_at",
    "updated_at",
)


def _weighted(rng, table):
    total = sum(w for _s, w in table)
    x = rng.random() * total
    for state, w in table:
        x -= w
        if x < 0:
            return state
    return table[-1][0]


def _pending_age(rng) -> int:
    """Days since a still-pending clock started: mostly within the deadline, some overdue."""
    x = rng.random()
    if x < 0.75:
        return rng.randint(0, 28)
    if x < 0.92:
        return rng.randint(29, 60)
    return rng.randint(61, 150)


class _Counties:
    def __init__(self, rng):
        home = settings.FLOWPARTY_HOME_PROVINCE_CODE
        county_codes = list(Division.objects.filter(is_county_level=True).values_list("code", flat=True))
        self.intra = [
            c for c in county_codes if c.startswith(home) and c != settings.FLOWPARTY_HOME_COUNTY_CODE
        ]
        self.cross = [c for c in county_codes if not c.startswith(home)]
        self.rng = rng
        self.names = dict(
            Division.objects.filter(code__in=self.intra + self.cross).values_list("code", "name")
        )

    def pick(self, cross_share=0.3) -> str:
        return self.rng.choice(self.cross if self.rng.random() < cross_share else self.intra)


def generate(ctx: BulkContext) -> dict[str, int]:
    rng, today, members, writer = ctx.rng, ctx.today, ctx.members, ctx.writer
    counties = _Counties(rng)
    if not counties.intra or not counties.cross:
        ctx.log("registrations: no divisions loaded, skipped")
        return {}
    home_province = settings.FLOWPARTY_HOME_PROVINCE_CODE
    home_county = settings.FLOWPARTY_HOME_COUNTY_CODE
    scope_cache: dict[str, str] = {}

    def secretary(secondary_id):
        users = ctx.secretaries["secondary"].get(secondary_id)
        return users[0] if users else None

    # Who: outflows from mobile members (returned ones from members no longer mobile), inflows from members whose
    # formal relation is held elsewhere.
    mobile, settled, elsewhere = [], [], []
    for i in range(len(members)):
        if members.branch_id[i] == 0:
            elsewhere.append(i)
        elif members.mobility[i]:
            mobile.append(i)
        else:
            settled.append(i)
    for group in (mobile, settled, elsewhere):
        rng.shuffle(group)
    n_out = int(len(members) * OUTFLOWS_PER_MEMBER)
    n_in = min(int(len(members) * INFLOWS_PER_MEMBER), len(elsewhere))

    out_first = writer.reserve_ids(OutflowRegistration, n_out)
    in_first = writer.reserve_ids(InflowRegistration, n_in)
    events: list[tuple] = []
    clocks: list[tuple] = []  # (kind, pk, secondary, branch, due_on, clock start, clock end, member index)
    reports_for: list[tuple] = []

    def outflow_rows():
        mobile_at = settled_at = 0
        for k in range(n_out):
            pk = out_first + k
            state = _weighted(rng, OUTFLOW_STATES)
            if state == "returned" and settled_at < len(settled):
                i = settled[settled_at]
                settled_at += 1
            else:
                state = "accepted" if state == "returned" else state
                i = mobile[mobile_at % len(mobile)]
                mobile_at += 1
            member_id, sid, bid = members.id(i), members.secondary_id[i], members.branch_id[i]
            actor = secretary(sid)
            county = counties.pick()
            cross = not county.startswith(home_province)
            days = rules.CROSS_PROVINCE_DAYS if cross else rules.INTRA_PROVINCE_DAYS
            if county not in scope_cache:
                scope_cache[county] = rules.flow_scope(origin_code=home_county, destination_code=county)
            registered = reported = accepted = refused = ended = None
            end_reason = refusal = ""
            steps = []
            if state == "draft":
                created = today - timedelta(days=rng.randint(0, 40))
                steps.append(("create", "", "draft", created))
            elif state in ("registered", "reported", "refused"):
                registered = today - timedelta(days=_pending_age(rng))
                steps += [
                    ("create", "", "draft", registered),
                    ("register", "draft", "registered", registered),
                ]
                if state in ("reported", "refused") and registered < today:
                    reported = registered + timedelta(days=rng.randint(1, max(1, (today - registered).days)))
                    steps.append(("report_in", "registered", "reported", reported))
                if state == "refused":
                    refused = min(today, (reported or registered) + timedelta(days=rng.randint(0, 10)))
                    refusal = "该单位党组织已撤并，建议纳入所在园区党组织管理"
                    steps.append(("refuse", steps[-1][2], "refused", refused))
                elif state == "reported" and reported is None:
                    state = "registered"
            else:
                registered = today - timedelta(days=rng.randint(20, 1100))
                steps += [
                    ("create", "", "draft", registered),
                    ("register", "draft", "registered", registered),
                ]
                if state == "cancelled":
                    ended = min(today, registered + timedelta(days=rng.randint(1, 20)))
                    end_reason = "cancelled"
                    steps.append(("end", "registered", "ended", ended))
                else:
                    took = (
                        rng.randint(3, days - 1) if rng.random() < 0.85 else rng.randint(days + 1, days + 40)
                    )
                    accepted = min(today, registered + timedelta(days=took))
                    reported = registered + timedelta(
                        days=rng.randint(1, max(1, (accepted - registered).days))
                    )
                    reported = min(reported, accepted)
                    steps += [
                        ("report_in", "registered", "reported", reported),
                        ("accept", "reported", "accepted", accepted),
                    ]
                    if state in ("returned", "transferred"):
                        ended = min(today, accepted + timedelta(days=rng.randint(30, 400)))
                        end_reason = state
                        steps.append(("end", "accepted", "ended", ended))
            final = "ended" if ended else state
            due = (
                rules.intake_deadline(
                    registered_on=registered, destination_county_code=county, home_province_code=home_province
                )
                if registered
                else None
            )
            created_at = ctx.at(steps[0][3])
            updated_at = ctx.at(steps[-1][3])
            for action, frm, to, day in steps:
                events.append(("outflow", pk, action, frm, to, actor, ctx.at(day)))
            if due:
                stop = accepted or ended  # a refusal leaves the clock running
                clocks.append(("outflow", pk, sid, bid, due, registered, stop, i))
            if final in ("registered", "reported", "accepted") and rng.random() < 0.08:
                reports_for.append((pk, member_id, sid, bid, registered or today, final == "accepted"))
            yield (
                pk,
                member_id,
                sid,
                bid,
                final,
                due,
                accepted,
                scope_cache[county] if registered else "",
                f"139{member_id % 10**8:08d}",
                UNITS[k % len(UNITS)],
                k % 3 != 0,
                f"{counties.names[county]}{['第一', '机关', '教工', '联合'][k % 4]}党支部",
                "unit" if k % 3 != 0 else "park",
                county,
                (registered or today) - timedelta(days=rng.randint(0, 10)),
                (registered or today) + timedelta(days=rng.randint(180, 720)),
                MOBILITY_REASONS[members.mobility[i]] or "uncertain",
                ["李老师", "王书记", "张老师"][k % 3],
                "0833-2270000",
                registered + timedelta(days=rng.randint(1, 10)) if registered and k % 5 else None,
                (registered or today) - timedelta(days=rng.randint(1, 5)),
                registered,
                reported,
                accepted,
                refused,
                refusal,
                ended,
                end_reason,
                actor,
                created_at,
                max(created_at, updated_at),
            )

    writer.write(OutflowRegistration, OUTFLOW_COLUMNS, outflow_rows())

    def inflow_rows():
        for k in range(n_in):
            pk = in_first + k
            i = elsewhere[k]
            member_id, sid = members.id(i), members.secondary_id[i]
            actor = secretary(sid)
            state = _weighted(rng, INFLOW_STATES)
            county = counties.pick(cross_share=0.45)
            cross = not county.startswith(home_province)
            days = rules.CROSS_PROVINCE_DAYS if cross else rules.INTRA_PROVINCE_DAYS
            pending = state in ("notified", "contacted", "registered")
            origin_registered = today - timedelta(
                days=_pending_age(rng) if pending else rng.randint(20, 1100)
            )
            noticed = min(today, origin_registered + timedelta(days=rng.randint(0, 5)))
            contacted = registered = accepted = confirmed = ended = completed = None
            branch = None
            mpo = end_reason = ""
            steps = [("create", "", "notified", noticed)]
            if state != "notified":
                contacted = min(today, noticed + timedelta(days=rng.randint(0, 5)))
                steps.append(("contact", "notified", "contacted", contacted))
            if state not in ("notified", "contacted"):
                registered = min(today, contacted + timedelta(days=rng.randint(0, 5)))
                steps.append(("register", "contacted", "registered", registered))
            if state in ("accepted", "managed_by_origin", "ended"):
                took = rng.randint(3, days - 1) if rng.random() < 0.85 else rng.randint(days + 1, days + 30)
                completed = max(registered, min(today, origin_registered + timedelta(days=took)))
                if state == "managed_by_origin":
                    confirmed, mpo = completed, "流动党员党支部"
                    steps.append(("record_origin_management", "registered", "managed_by_origin", completed))
                else:
                    accepted = completed
                    branch = rng.choice(ctx.branches[sid])
                    steps.append(("accept", "registered", "accepted", completed))
                if state == "ended":
                    ended = min(today, completed + timedelta(days=rng.randint(30, 400)))
                    end_reason = "transferred" if k % 2 else "returned"
                    steps.append(("end", "accepted", "ended", ended))
            due = rules.intake_deadline(
                registered_on=origin_registered,
                destination_county_code=county,
                home_province_code=home_province,
            )
            for action, frm, to, day in steps:
                events.append(("inflow", pk, action, frm, to, actor, ctx.at(day)))
            clocks.append(("inflow", pk, sid, branch or 0, due, noticed, completed or ended, i))
            created_at = ctx.at(noticed)
            yield (
                pk,
                member_id,
                sid,
                branch,
                state,
                due,
                completed,
                rules.flow_scope(origin_code=county, destination_code=home_county),
                ORIGINS[k % len(ORIGINS)],
                "刘老师",
                "028-84760000",
                county,
                origin_registered,
                ["platform", "screening", "self_report"][k % 3],
                "乐山师范学院",
                MOBILITY_REASONS[members.mobility[i]] or "new_teacher",
                "陈老师",
                "13700000000",
                mpo,
                confirmed,
                contacted,
                registered,
                accepted,
                ended,
                end_reason,
                actor,
                created_at,
                max(created_at, ctx.at(steps[-1][3])),
            )

    writer.write(InflowRegistration, INFLOW_COLUMNS, inflow_rows())

    writer.write(
        RegistrationEvent,
        ("outflow_id", "inflow_id", "action", "from_state", "to_state", "actor_id", "at", "note"),
        (
            (pk if kind == "outflow" else None, pk if kind == "inflow" else None, a, f, t, actor, at, "")
            for kind, pk, a, f, t, actor, at in events
        ),
    )
    events.clear()
    counts = _reminders(ctx, clocks)
    counts["change reports"] = _change_reports(ctx, reports_for, counties)
    counts["screenings"] = _screenings(ctx)
    counts["campaigns"] = _campaigns(ctx)
    return {"outflows": n_out, "inflows": n_in, **counts}


def _reminders(ctx: BulkContext, clocks) -> dict[str, int]:
    """What the daily deadline job would have written had it run every day up to yesterday: one reminder row per
    stage reached, and a notification per reminder to the secretaries (and the department when overdue)."""
    yesterday = ctx.today - timedelta(days=1)
    out_ct = ContentType.objects.get_for_model(OutflowRegistration).pk
    in_ct = ContentType.objects.get_for_model(InflowRegistration).pk
    links = {
        "outflow": reverse("registrations:outflow_detail", args=[0]).replace("/0/", "/{}/"),
        "inflow": reverse("registrations:inflow_detail", args=[0]).replace("/0/", "/{}/"),
    }
    org_department = ctx.secretaries["org_department"][0]
    reminders, notices = [], []
    for kind, pk, sid, bid, due, start, stop, i in clocks:
        last = min(yesterday, stop - timedelta(days=1)) if stop else yesterday
        for stage, offset in reversed(rules.STAGE_OFFSETS):
            day = due + timedelta(days=offset)
            if day < start or day > last:
                continue
            run = uuid.uuid5(uuid.NAMESPACE_URL, f"intake-deadlines:{day}")
            at = ctx.at(day)
            reminders.append(
                (
                    pk if kind == "outflow" else None,
                    pk if kind == "inflow" else None,
                    stage,
                    due,
                    day,
                    run,
                    at,
                )
            )
            recipients = list(ctx.secretaries["secondary"].get(sid, ()))
            recipients += ctx.secretaries["branch"].get(bid, [])
            if stage == rules.ReminderStage.OVERDUE:
                recipients += org_department
            if not recipients:
                continue
            title = STAGE_TITLES[stage].format(
                name=ctx.members.names[i], kind="流出" if kind == "outflow" else "流入"
            )
            read = at if (ctx.today - day).days > 7 else None
            for user_id in dict.fromkeys(recipients):
                notices.append(
                    (
                        user_id,
                        f"intake_{stage}",
                        title,
                        f"到期日：{due:%Y-%m-%d}（第二条）",
                        links[kind].format(pk),
                        out_ct if kind == "outflow" else in_ct,
                        pk,
                        f"intake:{kind}:{pk}:{stage}",
                        at,
                        read,
                        at,
                    )
                )
    ctx.writer.write(
        IntakeReminder,
        ("outflow_id", "inflow_id", "stage", "due_on", "sent_on", "run", "created_at"),
        reminders,
    )
    ctx.writer.write(
        Notification,
        (
            "recipient_id",
            "kind",
            "title",
            "body",
            "link",
            "content_type_id",
            "object_id",
            "dedupe_key",
            "created_at",
            "read_at",
            "emailed_at",
        ),
        notices,
    )
    return {"reminders": len(reminders), "notifications": len(notices)}


def _change_reports(ctx: BulkContext, reports_for, counties) -> int:
    rng, today = ctx.rng, ctx.today
    kinds = ["location", "employer", "residence", "contact", "return"]

    def rows():
        for k, (outflow_id, member_id, sid, bid, since, settled) in enumerate(reports_for):
            kind = kinds[k % len(kinds)]
            effective = min(today, since + timedelta(days=rng.randint(0, 60)))
            status = (
                "pending" if not settled and rng.random() < 0.5 else ("declined" if k % 7 == 0 else "applied")
            )
            reviewer = ctx.secretaries["secondary"].get(sid, [None])[0] if status != "pending" else None
            yield (
                member_id,
                sid,
                bid,
                outflow_id,
                kind,
                effective,
                counties.pick() if kind == "location" else None,
                "新单位" if kind == "employer" else "",
                "新住址" if kind == "residence" else "",
                f"139{member_id % 10**8:08d}" if kind == "contact" else "",
                "本人报告",
                status,
                "信息不符，请核实后重新报告" if status == "declined" else "",
                reviewer,
                ctx.at(effective) if status != "pending" else None,
                ctx.at(effective),
            )

    return ctx.writer.write(
        ChangeReport,
        (
            "member_id",
            "secondary_id",
            "branch_id",
            "outflow_id",
            "kind",
            "effective_on",
            "new_county_id",
            "new_unit",
            "new_address",
            "new_phone",
            "details",
            "status",
            "decline_reason",
            "reviewed_by_id",
            "reviewed_at",
            "created_at",
        ),
        rows(),
    )


def _screenings(ctx: BulkContext) -> int:
    rng, today, members = ctx.rng, ctx.today, ctx.members
    sources = [
        "new_student",
        "upgrade_student",
        "graduate_transfer",
        "new_teacher",
        "degree_study",
        "secondment",
        "routine",
    ]
    methods = ["phone", "talk", "online"]
    count = int(len(members) * SCREENINGS_PER_MEMBER)

    def rows():
        for k in range(count):
            i = rng.randrange(len(members))
            sid = members.secondary_id[i]
            day = today - timedelta(days=rng.randint(0, 700))
            yield (
                sid,
                members.id(i) if k % 10 else None,
                sources[k % len(sources)],
                methods[k % len(methods)],
                day,
                "已核实在外情况，联系方式有效" if k % 4 else "暂未联系上，继续查找",
                ctx.secretaries["secondary"].get(sid, [None])[0],
                ctx.at(day),
            )

    return ctx.writer.write(
        Screening,
        (
            "secondary_id",
            "member_id",
            "source",
            "method",
            "screened_on",
            "findings",
            "screened_by_id",
            "created_at",
        ),
        rows(),
    )


def _campaigns(ctx: BulkContext) -> int:
    """The March and October campaigns of the past three years, closed, most organisations having reported."""
    created = 0
    for years_ago in range(1, 4):
        year = ctx.today.year - years_ago
        for month, close_day in ((3, 31), (10, 31)):
            if BatchCampaign.objects.filter(year=year, month=month).exists():
                continue
            campaign = BatchCampaign.objects.create(
                year=year,
                month=month,
                opens_on=date(year, month, 1),
                closes_on=date(year, month, close_day),
                state="closed",
            )
            tasks = []
            for k, sid in enumerate(sorted(ctx.branches)):
                submitted = k % 5 != 4
                tasks.append(
                    CampaignTask(
                        campaign=campaign,
                        secondary_id=sid,
                        outflow_members=ctx.rng.randint(100, 4000),
                        inflow_members=ctx.rng.randint(30, 1500),
                        new_registrations=ctx.rng.randint(10, 600),
                        intakes_completed=ctx.rng.randint(10, 600),
                        intakes_pending=ctx.rng.randint(0, 40),
                        members_reviewed=submitted,
                        submitted_at=ctx.at(date(year, month, 25)) if submitted else None,
                        submitted_by_id=ctx.secretaries["secondary"].get(sid, [None])[0]
                        if submitted
                        else None,
                        pending_at_close=ctx.rng.randint(0, 40),
                    )
                )
            CampaignTask.objects.bulk_create(tasks)
            created += 1
    return created
