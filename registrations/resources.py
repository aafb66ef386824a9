"""Importing outflow registrations from Excel (the provincial platform's columns).

Built on members.resources.PipelineResource: every row is checked with a fixed number of queries for the whole
file (the members by number, their open registrations, the divisions), every problem is reported by row and
column, and a file without errors is written in bulk by registrations.services.outflow_bulk_import, which applies
the same rules as the forms (rights, dates, what registration requires, the intake clock of Art. 2) and writes
the timeline events and audit entries.

A row whose member has no open outflow registration creates one: a draft, or, when 流出登记日期 is filled, a
registered outflow whose intake clock starts that day. A row whose member has one updates it (and registers a
draft when the date is filled); a row that changes nothing is reported as unchanged.
"""

import unicodedata
from collections import defaultdict
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import permissions
from members.models import Member, MobilityReason
from members.resources import (
    _REASONS,
    NEW,
    SKIP,
    UPDATE,
    Column,
    PipelineResource,
    Row,
    _choice,
    _code,
    _text,
    _zh_labels,
    header_key,
)
from members.spreadsheets import CellError, clean_date, clean_phone

from . import services
from .models import Division, OutflowRegistration, OutflowState


def _county_text(value) -> str:
    from members.spreadsheets import clean_code

    return clean_code(value, max_length=100)


OUTFLOW_COLUMNS = (
    Column(
        "姓名", "name", _text(64), required=True, note=gettext_lazy("Checked against the member on file.")
    ),
    Column(
        "工号/学号",
        "number",
        _code(32),
        required=True,
        aliases=("工号", "学号", "工号或学号"),
        kind="code",
        note=gettext_lazy("The member's staff or student number; the member must already be on file."),
    ),
    Column(
        "流动原因",
        "reason",
        _choice(_REASONS, MobilityReason.choices),
        width=24,
        choices=_zh_labels(MobilityReason.choices),
        note=gettext_lazy("Art. 1; empty keeps the member's reason."),
    ),
    Column(
        "流出登记日期",
        "registered_on",
        clean_date,
        kind="date",
        note=gettext_lazy(
            "Filled: the outflow is registered and the intake clock starts that day (Art. 2). Empty: a draft."
        ),
    ),
    Column(
        "外出时间",
        "departure_on",
        clean_date,
        kind="date",
        aliases=("外出日期",),
        note=gettext_lazy("Departure date."),
    ),
    Column("预计返回时间", "expected_return_on", clean_date, kind="date", note=gettext_lazy("Optional.")),
    Column(
        "外出地点所在县（市、区）",
        "destination_county",
        _county_text,
        aliases=("外出地点所在县", "外出地点"),
        width=24,
        note=gettext_lazy("GB/T 2260 code (e.g. 510104) or name (e.g. 四川省成都市锦江区 or 成都市锦江区)."),
    ),
    Column(
        "外出单位",
        "destination_unit",
        _text(200),
        aliases=("工作（学习）单位", "流入单位"),
        width=24,
        note=gettext_lazy("The work or study unit at the destination."),
    ),
    Column(
        "流入地（单位）基层党组织名称",
        "destination_org_name",
        _text(200),
        aliases=("流入地党组织名称", "流入地基层党组织"),
        width=28,
        note=gettext_lazy("Where the member is to be taken in (Art. 3)."),
    ),
    Column(
        "结对联系人",
        "paired_contact",
        _text(64),
        note=gettext_lazy("The paired contact at the origin (Art. 2)."),
    ),
    Column(
        "结对联系人电话", "paired_contact_phone", clean_phone, kind="code", note=gettext_lazy("Digits only.")
    ),
    Column(
        "流出期间联系电话",
        "contact_phone",
        clean_phone,
        kind="code",
        aliases=("联系电话",),
        note=gettext_lazy("The member's phone while away."),
    ),
    Column(
        "流动党员活动证编号", "certificate_number", _code(40), kind="code", note=gettext_lazy("Optional.")
    ),
    Column(
        "管理平台录入日期",
        "platform_recorded_on",
        clean_date,
        kind="date",
        note=gettext_lazy("When it was recorded on the provincial platform."),
    ),
    Column(
        "行前教育日期", "pre_departure_education_on", clean_date, kind="date", note=gettext_lazy("Optional.")
    ),
)

OUTFLOW_IMPORT_FIELDS = (
    "reason",
    "departure_on",
    "expected_return_on",
    "destination_county",
    "destination_unit",
    "destination_org_name",
    "paired_contact",
    "paired_contact_phone",
    "contact_phone",
    "certificate_number",
    "platform_recorded_on",
    "pre_departure_education_on",
)
OUTFLOW_CHANGE_FIELDS = (
    *(f"{n}_id" if n == "destination_county" else n for n in OUTFLOW_IMPORT_FIELDS),
    "state",
    "registered_on",
    "due_on",
)


class Places:
    """GB/T 2260 divisions by code, full name, name without the province, and bare name: one query."""

    def __init__(self):
        divisions = list(Division.objects.only("code", "name", "full_name", "level", "is_county_level"))
        self.by_code = {d.code: d for d in divisions}
        self.by_key: dict[str, list[Division]] = defaultdict(list)
        provinces = {d.code[:2]: d.name for d in divisions if d.level == Division.Level.PROVINCE}
        for d in divisions:
            keys = {header_key(d.code), header_key(d.name)}
            if d.full_name:
                keys.add(header_key(d.full_name))
                province = provinces.get(d.code[:2], "")
                if province and d.full_name.startswith(province):
                    keys.add(header_key(d.full_name[len(province) :]))
            for key in keys - {""}:
                self.by_key[key].append(d)

    def county(self, text: str) -> Division:
        found = self.by_key.get(header_key(text), [])
        counties = [d for d in found if d.is_county_level]
        if len(counties) == 1:
            return counties[0]
        if len(counties) > 1:
            raise CellError(
                _("Several counties are called “%(name)s”: add the city (e.g. %(example)s) or use the code.")
                % {"name": text, "example": counties[0].full_name}
            )
        if found:
            raise CellError(
                _("%(name)s is not a county: enter the county, city or district (县、市、区).")
                % {"name": text}
            )
        raise CellError(
            _("No county, city or district “%(name)s” (GB/T 2260): check the name or use the code.")
            % {"name": text}
        )


def _same_name(a: str, b: str) -> bool:
    def fold(text):
        return "".join(unicodedata.normalize("NFKC", text or "").split())

    return fold(a) == fold(b)


class OutflowResource(PipelineResource):
    """流出登记: by the member's 工号/学号."""

    columns = OUTFLOW_COLUMNS
    key_field = "number"
    title = "流出登记"
    domain_errors = (services.RegistrationError,)

    def plan(self, rows: list[Row]) -> None:
        numbers = {row.values["number"] for row in rows if "number" in row.filled}
        members = {m.number: m for m in Member.objects.filter(number__in=numbers)}
        open_outflows = {
            o.member_id: o
            for o in OutflowRegistration.objects.filter(member__in=list(members.values())).exclude(
                state=OutflowState.ENDED
            )
        }
        places = Places()
        today = timezone.localdate()
        for row in rows:
            member = members.get(row.get("number"))
            self._plan_row(row, member, open_outflows.get(member.pk) if member else None, places, today)

    def _plan_row(self, row: Row, member: Member | None, existing, places, today: date) -> None:
        header = self.header
        county = None
        if "destination_county" in row.filled:
            try:
                county = places.county(row.get("destination_county"))
            except CellError as exc:
                row.error(header("destination_county"), str(exc))
        registered_on = row.get("registered_on")
        if registered_on and registered_on > today:
            row.error(header("registered_on"), _("The registration date cannot be in the future."))
        if member is None or not permissions.can(self.user, "change_member", member):
            if "number" in row.filled:
                row.error(
                    header("number"),
                    _(
                        "No member with staff/student number %(number)s in your organisations. Check the number, "
                        "or add the member first."
                    )
                    % {"number": row.get("number")},
                )
            return
        if row.get("name") and not _same_name(row.get("name"), member.name):
            row.error(
                header("name"),
                _("The name does not match the member on file for %(number)s (%(name)s).")
                % {"number": member.number, "name": member.name},
            )
        if (
            existing is not None
            and registered_on
            and existing.registered_on
            and registered_on != existing.registered_on
        ):
            row.error(
                header("registered_on"),
                _("Already registered on %(date)s; an import does not change the registration date.")
                % {"date": existing.registered_on.isoformat()},
            )
        if row.errors:
            return

        if existing is None:
            outflow = OutflowRegistration(
                member=member,
                secondary_id=member.secondary_id,
                branch_id=member.branch_id,
                created_by=self.user,
                reason=member.mobility_reason,
            )
        else:
            names = [f.attname for f in OutflowRegistration._meta.concrete_fields]
            outflow = OutflowRegistration.from_db(
                existing._state.db, names, [getattr(existing, n) for n in names]
            )
            outflow.member = member
            existing.member = member
            if existing.destination_county_id:
                outflow.destination_county = places.by_code.get(existing.destination_county_id)
        for name in OUTFLOW_IMPORT_FIELDS:
            if name == "destination_county":
                if county is not None:
                    outflow.destination_county = county
            elif name in row.filled:
                setattr(outflow, name, row.values[name])
        if (
            outflow.departure_on
            and outflow.expected_return_on
            and outflow.departure_on > outflow.expected_return_on
        ):
            row.error(
                header("departure_on"),
                _("The departure date is after the expected return; check both dates."),
            )
            return
        if registered_on and not outflow.registered_on:
            for field, _label in services.registration_missing(outflow):
                row.error(
                    header(field),
                    _("Required when %(column)s is filled (Art. 2).") % {"column": header("registered_on")},
                )
            if row.errors:
                return
        item = services.OutflowImport(before=existing, after=outflow)
        try:
            services.outflow_import_check(actor=self.user, item=item, registered_on=registered_on)
        except services.RegistrationError as exc:
            row.error("", str(exc))
            return
        row.label = f"{member.name}（{member.number}）"
        if existing is None:
            row.status = NEW
        else:
            changed = [n for n in OUTFLOW_CHANGE_FIELDS if getattr(existing, n) != getattr(outflow, n)]
            headers = {c.field: c.header for c in self.columns}
            row.changes = [headers.get(n.removesuffix("_id"), n) for n in changed if n != "due_on"]
            row.status = UPDATE if changed else SKIP
        row.target = item

    def write(self, rows: list[Row]) -> None:
        services.outflow_bulk_import(
            actor=self.user, items=[row.target for row in rows if row.status in (NEW, UPDATE)]
        )
