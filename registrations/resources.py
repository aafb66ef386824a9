"""Importing outflow and inflow registrations from Excel (the provincial platform's columns).

Built on members.resources.PipelineResource: every row is checked with a fixed number of queries for the whole
file (the members by number, their open registrations, the divisions), every problem is reported by row and
column, and a file without errors is written in bulk by registrations.services.outflow_bulk_import, which applies
the same rules as the forms (rights, dates, what registration requires, the intake clock of Art. 2) and writes
the timeline events and audit entries.

A row whose member has no open outflow registration creates one: a draft, or, when 流出登记日期 is filled, a
registered outflow whose intake clock starts that day. A row whose member has one updates it (and registers a
draft when the date is filled); a row that changes nothing is reported as unchanged. Inflows likewise, by the
member's 工号/学号: a member not yet on file is added (with the origin organisation as the holder of the formal
relation), as the inflow form does; the intake clock counts from the origin's registration date.
"""

import unicodedata
from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import permissions
from members import services as member_services
from members.models import Category, Gender, Member, MobilityReason, Standing
from members.resources import (
    _CATEGORIES,
    _GENDERS,
    _REASONS,
    NEW,
    SKIP,
    UPDATE,
    Column,
    Organisations,
    PipelineResource,
    Row,
    _choice,
    _code,
    _text,
    _zh_labels,
    default_secondary,
    header_key,
)
from members.spreadsheets import CellError, choice_lookup, clean_date, clean_id_number, clean_phone

from . import services
from .models import Division, InflowRegistration, InflowSource, InflowState, OutflowRegistration, OutflowState


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


# --- Inflows ------------------------------------------------------------------------------------------------

_SOURCES = choice_lookup(
    InflowSource.choices,
    aliases={
        "管理平台": InflowSource.PLATFORM,
        "平台推送": InflowSource.PLATFORM,
        "摸底排查": InflowSource.SCREENING,
        "本人报告": InflowSource.SELF_REPORT,
        "党员报告": InflowSource.SELF_REPORT,
    },
)

INFLOW_COLUMNS = (
    Column("姓名", "name", _text(64), required=True, note=gettext_lazy("The member's name.")),
    Column(
        "性别",
        "gender",
        _choice(_GENDERS, Gender.choices),
        width=8,
        choices=_zh_labels(Gender.choices),
        note=gettext_lazy("Required for a member not yet on file."),
    ),
    Column(
        "工号/学号",
        "number",
        _code(32),
        required=True,
        aliases=("工号", "学号", "工号或学号"),
        kind="code",
        note=gettext_lazy("Identifies the member; a member not yet on file is added with this number."),
    ),
    Column(
        "身份证号码",
        "id_number",
        clean_id_number,
        aliases=("公民身份号码", "身份证号"),
        kind="code",
        width=22,
        note=gettext_lazy("For a member not yet on file; 18 characters, the last may be X."),
    ),
    Column(
        "联系电话",
        "phone",
        clean_phone,
        aliases=("手机号码", "手机号"),
        kind="code",
        note=gettext_lazy("Digits only."),
    ),
    Column(
        "党员类别",
        "category",
        _choice(_CATEGORIES, Category.choices),
        choices=_zh_labels(Category.choices),
        note=gettext_lazy("Required for a member not yet on file."),
    ),
    Column(
        "流入二级党组织",
        "secondary",
        _text(100),
        aliases=("接收二级党组织", "二级党组织"),
        width=22,
        note=gettext_lazy(
            "The receiving secondary organisation; may be left empty by a secretary who runs one."
        ),
    ),
    Column(
        "流出地党组织",
        "origin_org_name",
        _text(200),
        required=True,
        aliases=("流出地党组织名称", "流出地（单位）党组织"),
        width=26,
        note=gettext_lazy("The origin organisation holding the formal relation."),
    ),
    Column(
        "流出地所在县（市、区）",
        "origin_county",
        _county_text,
        required=True,
        aliases=("流出地所在县",),
        width=24,
        note=gettext_lazy("GB/T 2260 code or name."),
    ),
    Column(
        "流出地登记日期",
        "origin_registered_on",
        clean_date,
        required=True,
        kind="date",
        aliases=("流出登记日期",),
        note=gettext_lazy(
            "The origin's outflow registration date: the intake clock counts from it (Art. 2)."
        ),
    ),
    Column(
        "信息来源",
        "source",
        _choice(_SOURCES, InflowSource.choices),
        required=True,
        width=16,
        choices=_zh_labels(InflowSource.choices),
        note=gettext_lazy("How we learnt of the member."),
    ),
    Column(
        "工作（学习）单位",
        "work_unit",
        _text(200),
        aliases=("工作单位",),
        width=22,
        note=gettext_lazy("Here."),
    ),
    Column(
        "流动原因",
        "reason",
        _choice(_REASONS, MobilityReason.choices),
        width=24,
        choices=_zh_labels(MobilityReason.choices),
        note=gettext_lazy("Art. 1."),
    ),
    Column("流出地联系人", "origin_contact", _text(64), note=gettext_lazy("Optional.")),
    Column(
        "流出地联系人电话",
        "origin_contact_phone",
        clean_phone,
        kind="code",
        note=gettext_lazy("Digits only."),
    ),
    Column("指定联系人", "designated_contact", _text(64), note=gettext_lazy("Optional.")),
    Column(
        "指定联系人电话",
        "designated_contact_phone",
        clean_phone,
        kind="code",
        note=gettext_lazy("Digits only."),
    ),
)

INFLOW_IMPORT_FIELDS = (
    "origin_org_name",
    "origin_registered_on",
    "source",
    "work_unit",
    "reason",
    "origin_contact",
    "origin_contact_phone",
    "designated_contact",
    "designated_contact_phone",
)
INFLOW_CHANGE_FIELDS = (*INFLOW_IMPORT_FIELDS, "origin_county_id", "due_on")
PERSON_FIELDS = ("name", "gender", "number", "id_number", "phone", "category")


class InflowResource(PipelineResource):
    """流入登记: by the member's 工号/学号; a member not yet on file is added with the registration."""

    columns = INFLOW_COLUMNS
    key_field = "number"
    title = "流入登记"
    domain_errors = (services.RegistrationError,)

    def plan(self, rows: list[Row]) -> None:
        from members.crypto import digest

        organisations = Organisations()
        numbers = {row.values["number"] for row in rows if "number" in row.filled}
        members = {m.number: m for m in Member.objects.filter(number__in=numbers)}
        open_inflows = {
            i.member_id: i
            for i in InflowRegistration.objects.filter(member__in=list(members.values())).exclude(
                state=InflowState.ENDED
            )
        }
        id_digests = {digest(row.values["id_number"]) for row in rows if "id_number" in row.filled}
        holders = dict(
            Member.objects.filter(id_number_digest__in=list(id_digests)).values_list(
                "id_number_digest", "number"
            )
        )
        places = Places()
        fallback = default_secondary(self.user, organisations)
        today = timezone.localdate()
        for row in rows:
            member = members.get(row.get("number"))
            existing = open_inflows.get(member.pk) if member else None
            self._plan_row(row, member, existing, organisations, places, fallback, holders, today)

    def _plan_row(self, row, member, existing, organisations, places, fallback, holders, today) -> None:
        from members.crypto import digest

        header = self.header
        secondary = fallback
        if row.get("secondary"):
            found = organisations.secondary(row.get("secondary"))
            secondary = found[0] if found else None
            if not found:
                row.error(
                    header("secondary"),
                    _("There is no secondary organisation “%(name)s”.") % {"name": row.get("secondary")},
                )
        elif existing is not None:
            secondary = organisations.secondaries.get(existing.secondary_id)
        if secondary is None and not row.errors:
            row.error(header("secondary"), _("Fill in the receiving secondary organisation."))
        elif secondary is not None and not permissions.can(self.user, "add_registration", secondary):
            row.error(
                header("secondary"),
                _("%(organisation)s is not an organisation you run.") % {"organisation": secondary.name},
            )
        county = None
        if "origin_county" in row.filled:
            try:
                county = places.county(row.get("origin_county"))
            except CellError as exc:
                row.error(header("origin_county"), str(exc))
        registered_on = row.get("origin_registered_on")
        if registered_on and registered_on > today:
            row.error(
                header("origin_registered_on"), _("The origin's registration date cannot be in the future.")
            )
        new_member = None
        if member is not None:
            if not permissions.can(self.user, "view_member", member):
                row.error(
                    header("number"),
                    _("%(number)s is a member of an organisation you do not run; you may not change it.")
                    % {"number": member.number},
                )
                return
            if row.get("name") and not _same_name(row.get("name"), member.name):
                row.error(
                    header("name"),
                    _("The name does not match the member on file for %(number)s (%(name)s).")
                    % {"number": member.number, "name": member.name},
                )
        elif secondary is not None:
            for name in ("gender", "category"):
                if name not in row.filled and not any(e.column == header(name) for e in row.errors):
                    row.error(header(name), _("Required for a member not yet on file."))
            if "id_number" in row.filled and digest(row.get("id_number")) in holders:
                row.error(header("id_number"), _("Another member already has this ID-card number."))
            new_member = Member(
                secondary=secondary,
                branch=None,
                origin_organization=row.get("origin_org_name", ""),
                standing=Standing.FULL,
                **{name: row.values[name] for name in PERSON_FIELDS if name in row.filled},
            )
            if not row.errors:
                try:
                    member_services.member_import_check(actor=self.user, member=new_member, before=None)
                except ValidationError as exc:
                    self.validation_errors(row, exc, {c.field: c.header for c in self.columns})
                except member_services.MemberError as exc:
                    row.error("", str(exc))
        if existing is not None and secondary is not None and existing.secondary_id != secondary.pk:
            row.error(
                header("secondary"),
                _(
                    "This member's open inflow registration is kept by %(organisation)s; an import does not move it."
                )
                % {"organisation": organisations.secondaries[existing.secondary_id].name},
            )
        if row.errors:
            return

        if existing is None:
            inflow = InflowRegistration(
                member=member or new_member, secondary=secondary, created_by=self.user
            )
        else:
            names = [f.attname for f in InflowRegistration._meta.concrete_fields]
            inflow = InflowRegistration.from_db(
                existing._state.db, names, [getattr(existing, n) for n in names]
            )
            inflow.member = member
            inflow.origin_county = places.by_code.get(existing.origin_county_id)
        for name in INFLOW_IMPORT_FIELDS:
            if name in row.filled:
                setattr(inflow, name, row.values[name])
        if county is not None:
            inflow.origin_county = county
        item = services.InflowImport(before=existing, after=inflow, new_member=new_member)
        try:
            services.inflow_import_check(actor=self.user, item=item)
        except services.RegistrationError as exc:
            row.error("", str(exc))
            return
        person = member or new_member
        row.label = f"{person.name}（{person.number}）"
        if existing is None:
            row.status = NEW
            row.changes = [header("name")] if new_member is not None else []
        else:
            changed = [n for n in INFLOW_CHANGE_FIELDS if getattr(existing, n) != getattr(inflow, n)]
            headers = {c.field: c.header for c in self.columns}
            row.changes = [headers.get(n.removesuffix("_id"), n) for n in changed if n != "due_on"]
            row.status = UPDATE if changed else SKIP
        row.target = item

    def write(self, rows: list[Row]) -> None:
        services.inflow_bulk_import(
            actor=self.user, items=[row.target for row in rows if row.status in (NEW, UPDATE)]
        )
