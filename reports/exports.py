"""The exports: which rows, which columns, for whom.

Each export starts from the viewer's scoped selector (members.permissions / registrations.selectors), so a file
never holds a row the viewer could not open; the list exports take the list's own filter, so the file holds what
the list shows. Phones and ID-card numbers are masked unless the viewer may see them in full
(`view_full_identifiers`, the organisation department). Columns and values are Chinese whatever the UI language:
a file goes to the provincial platform and back, and the roster and outflow register use the import's columns,
so that an export (with full identifiers) can be imported again.

`export_file(kind, user=..., params=...)` writes an export to a temporary file; `count_rows` says how big it will
be, so the view can hand a large one to Celery (reports.tasks.prepare_export).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.http import Http404, QueryDict
from django.utils import timezone, translation

from members import identity, permissions
from members import selectors as member_selectors
from members.models import Branch, Category, Gender, MobilityReason, SecondaryOrganization, Standing
from members.resources import MEMBER_COLUMNS
from registrations import jobs
from registrations import selectors as registration_selectors
from registrations.filters import InflowFilter, OutflowFilter
from registrations.models import BatchCampaign, InflowSource, InflowState, OutflowState
from registrations.resources import INFLOW_COLUMNS, OUTFLOW_COLUMNS

from .xlsx import Column, Sheet, xlsx_file

CHUNK = 2000


def _columns(import_columns) -> list[Column]:
    return [
        Column(c.header, kind="code" if c.kind == "code" else c.kind, width=c.width) for c in import_columns
    ]


@dataclass(frozen=True)
class Identifiers:
    """How this viewer sees phones and ID-card numbers."""

    full: bool

    def phone(self, value: str) -> str:
        return value if self.full else identity.mask_phone(value)

    def id_number(self, value: str) -> str:
        return value if self.full else identity.mask_id_number(value)


def identifiers_for(user) -> Identifiers:
    return Identifiers(full=permissions.can(user, "view_full_identifiers"))


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _labels(choices) -> dict:
    """value -> label in the active language, computed once per export (get_FOO_display rebuilds the choices
    dictionary and translates the label on every call: a third of a 100,000-row export's time)."""
    return {value: str(label) for value, label in choices}


# --- The roster (members) -----------------------------------------------------------------------------------


def _members(user, params):
    """The member list's rows (scope and filters), without its order and its deferred ID number."""
    return member_selectors.member_list(user=user, params=params).qs.order_by()


# What the roster reads of each member: plain values, not model instances (a 100,000-row export built 300,000
# objects with their organisation and branch before).
_ROSTER_FIELDS = (
    "name",
    "gender",
    "number",
    "id_number",
    "phone",
    "email",
    "category",
    "standing",
    "joined_on",
    "converted_on",
    "branch_id",
    "origin_organization",
    "mobility_reason",
    "whereabouts_unknown",
    "is_exempt",
)


def _by_organisation(queryset, *order) -> Iterator[tuple[str, tuple]]:
    """(organisation name, row) for an export's rows, organisation by organisation in their display order, each
    in `order`. One query per organisation, each streamed from an index on the organisation; a single query
    ordered by the organisations' display order would sort every row in scope before the first one (4 s for the
    roster at 1,000,000 members)."""
    for pk, name in SecondaryOrganization.objects.order_by("ordering", "code").values_list("pk", "name"):
        for row in queryset.filter(secondary_id=pk).order_by(*order).iterator(chunk_size=CHUNK):
            yield name, row


def _roster_rows(user, params) -> Iterator[tuple[str, tuple]]:
    return _by_organisation(_members(user, params).values_list(*_ROSTER_FIELDS), "number")


def members_sheet(user, params) -> Sheet:
    ids = identifiers_for(user)
    columns = _columns(MEMBER_COLUMNS) + [Column("信息掌握不明", width=12), Column("免于参加活动", width=12)]

    def rows() -> Iterator[list]:
        genders, categories = _labels(Gender.choices), _labels(Category.choices)
        standings, reasons = _labels(Standing.choices), _labels(MobilityReason.choices)
        branches = dict(Branch.objects.values_list("pk", "name"))
        for secondary, values in _roster_rows(user, params):
            (
                name,
                gender,
                number,
                id_number,
                phone,
                email,
                category,
                standing,
                joined_on,
                converted_on,
                branch_id,
                origin_organization,
                mobility_reason,
                whereabouts_unknown,
                is_exempt,
            ) = values
            yield [
                name,
                genders.get(gender, gender),
                number,
                ids.id_number(id_number),
                ids.phone(phone),
                email,
                categories.get(category, category),
                standings.get(standing, standing),
                joined_on,
                converted_on,
                secondary,
                branches.get(branch_id, ""),
                origin_organization,
                reasons.get(mobility_reason, mobility_reason),
                _yes(whereabouts_unknown),
                _yes(is_exempt),
            ]

    return Sheet(title="党员花名册", columns=columns, rows=rows())


# --- The registers -------------------------------------------------------------------------------------------
# Plain values too, with the member's columns joined in: five model instances a row (and the member's ID number
# decrypted for nothing) made the outflow register's rows cost as much as writing them.


def _outflows(user, params):
    queryset = registration_selectors.outflows_for(user)
    return OutflowFilter(params, queryset=queryset, user=user).qs.order_by()


def outflows_sheet(user, params) -> Sheet:
    ids = identifiers_for(user)
    columns = _columns(OUTFLOW_COLUMNS) + [
        Column("二级党组织", width=22),
        Column("所在党支部", width=22),
        Column("状态", width=10),
        Column("接收纳管期限", kind="date", width=14),
        Column("接收纳管日期", kind="date", width=14),
        Column("结束日期", kind="date", width=12),
    ]

    def rows() -> Iterator[list]:
        reasons, states = _labels(MobilityReason.choices), _labels(OutflowState.choices)
        branches = dict(Branch.objects.values_list("pk", "name"))
        queryset = _outflows(user, params).values_list(
            "member__name",
            "member__number",
            "reason",
            "registered_on",
            "departure_on",
            "expected_return_on",
            "destination_county__full_name",
            "destination_unit",
            "destination_org_name",
            "paired_contact",
            "paired_contact_phone",
            "contact_phone",
            "certificate_number",
            "platform_recorded_on",
            "pre_departure_education_on",
            "branch_id",
            "state",
            "due_on",
            "intake_completed_on",
            "ended_on",
            named=True,
        )
        for secondary, o in _by_organisation(queryset, "-registered_on", "pk"):
            yield [
                o.member__name,
                o.member__number,
                reasons.get(o.reason, o.reason),
                o.registered_on,
                o.departure_on,
                o.expected_return_on,
                o.destination_county__full_name,
                o.destination_unit,
                o.destination_org_name,
                o.paired_contact,
                ids.phone(o.paired_contact_phone),
                ids.phone(o.contact_phone),
                o.certificate_number,
                o.platform_recorded_on,
                o.pre_departure_education_on,
                secondary,
                branches.get(o.branch_id, ""),
                states.get(o.state, o.state),
                o.due_on,
                o.intake_completed_on,
                o.ended_on,
            ]

    return Sheet(title="流出党员登记", columns=columns, rows=rows())


def _inflows(user, params):
    queryset = registration_selectors.inflows_for(user)
    return InflowFilter(params, queryset=queryset, user=user).qs.order_by()


def inflows_sheet(user, params) -> Sheet:
    ids = identifiers_for(user)
    columns = _columns(INFLOW_COLUMNS) + [
        Column("接收党支部", width=22),
        Column("状态", width=12),
        Column("接收纳管期限", kind="date"),
        Column("接收纳管日期", kind="date"),
        Column("结束日期", kind="date"),
    ]

    def rows() -> Iterator[list]:
        genders, categories = _labels(Gender.choices), _labels(Category.choices)
        reasons, states, sources = (
            _labels(MobilityReason.choices),
            _labels(InflowState.choices),
            _labels(InflowSource.choices),
        )
        branches = dict(Branch.objects.values_list("pk", "name"))
        queryset = _inflows(user, params).values_list(
            "member__name",
            "member__gender",
            "member__number",
            "member__id_number",
            "member__phone",
            "member__category",
            "origin_org_name",
            "origin_county__full_name",
            "origin_registered_on",
            "source",
            "work_unit",
            "reason",
            "origin_contact",
            "origin_contact_phone",
            "designated_contact",
            "designated_contact_phone",
            "branch_id",
            "state",
            "due_on",
            "intake_completed_on",
            "ended_on",
            named=True,
        )
        for secondary, i in _by_organisation(queryset, "-origin_registered_on", "pk"):
            yield [
                i.member__name,
                genders.get(i.member__gender, i.member__gender),
                i.member__number,
                ids.id_number(i.member__id_number),
                ids.phone(i.member__phone),
                categories.get(i.member__category, i.member__category),
                secondary,
                i.origin_org_name,
                i.origin_county__full_name,
                i.origin_registered_on,
                sources.get(i.source, i.source),
                i.work_unit,
                reasons.get(i.reason, i.reason),
                i.origin_contact,
                ids.phone(i.origin_contact_phone),
                i.designated_contact,
                ids.phone(i.designated_contact_phone),
                branches.get(i.branch_id, ""),
                states.get(i.state, i.state),
                i.due_on,
                i.intake_completed_on,
                i.ended_on,
            ]

    return Sheet(title="流入党员登记", columns=columns, rows=rows())


# --- The overdue list and the campaign report ------------------------------------------------------------------


def overdue_sheet(user, params) -> Sheet:
    overdue = registration_selectors.overdue_registrations(user=user)
    today = timezone.localdate()
    columns = [
        Column("类型", width=8),
        Column("姓名", width=12),
        Column("工号/学号", kind="code"),
        Column("二级党组织", width=22),
        Column("党支部", width=22),
        Column("登记日期", kind="date"),
        Column("接收纳管期限", kind="date"),
        Column("超期天数", kind="number", width=10),
        Column("已报组织部日期", kind="date"),
        Column("状态", width=12),
    ]

    def rows() -> Iterator[list]:
        for label, queryset, registered, states in (
            ("流出", overdue["outflows"], "registered_on", _labels(OutflowState.choices)),
            ("流入", overdue["inflows"], "origin_registered_on", _labels(InflowState.choices)),
        ):
            for r in queryset.iterator(chunk_size=CHUNK):
                yield [
                    label,
                    r.member.name,
                    r.member.number,
                    r.secondary.name,
                    r.branch.name if r.branch_id else "",
                    getattr(r, registered),
                    r.due_on,
                    (today - r.due_on).days,
                    r.escalated_on,
                    states.get(r.state, r.state),
                ]

    return Sheet(title="超期未接收纳管", columns=columns, rows=rows())


def campaign_sheet(user, campaign: BatchCampaign) -> Sheet:
    tasks = list(
        registration_selectors.campaign_tasks_for(user)
        .filter(campaign=campaign)
        .select_related("secondary", "submitted_by")
        .order_by("secondary__ordering", "secondary__code")
    )
    live = jobs.campaign_figures_by_organisation(
        campaign=campaign, secondary_ids=[t.secondary_id for t in tasks]
    )
    figures = [
        "outflow_members",
        "inflow_members",
        "new_registrations",
        "intakes_completed",
        "intakes_pending",
    ]
    labels = ["流出党员", "流入党员", "期间新登记", "已接收纳管", "未完成接收纳管"]
    columns = [
        Column("二级党组织", width=24),
        Column("报送情况", width=10),
        Column("报送时间", kind="datetime", width=18),
        Column("报送人", width=12),
        *(Column(f"报送：{label}", kind="number", width=12) for label in labels),
        *(Column(f"系统数据：{label}", kind="number", width=14) for label in labels),
        Column("截止时未完成", kind="number", width=12),
        Column("未完成原因", width=30),
        Column("已逐一核查", width=10),
        Column("数据经修正", width=10),
        Column("备注", width=30),
    ]

    def rows() -> Iterator[list]:
        for task in tasks:
            data = live.get(task.secondary_id, jobs.EMPTY_FIGURES)
            yield [
                task.secondary.name,
                "已报送" if task.is_submitted else "未报送",
                task.submitted_at,
                str(task.submitted_by) if task.submitted_by_id else "",
                *(getattr(task, f) for f in figures),
                *(data[f] for f in figures),
                task.pending_at_close,
                task.pending_reasons,
                _yes(task.members_reviewed),
                _yes(task.corrected),
                task.note,
            ]

    return Sheet(title=str(campaign), columns=columns, rows=rows())


# --- The registry ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportKind:
    key: str
    filename: str  # without the date and extension
    sheet: Callable[..., Sheet]
    count: Callable[..., int] | None = None  # None: always small enough to write at once


KINDS = {
    "members": ExportKind("members", "党员花名册", members_sheet, lambda u, p: _members(u, p).count()),
    "outflows": ExportKind("outflows", "流出党员登记", outflows_sheet, lambda u, p: _outflows(u, p).count()),
    "inflows": ExportKind("inflows", "流入党员登记", inflows_sheet, lambda u, p: _inflows(u, p).count()),
    "overdue": ExportKind("overdue", "超期未接收纳管名单", overdue_sheet),
}


def get_kind(key: str) -> ExportKind:
    try:
        return KINDS[key]
    except KeyError:
        raise Http404 from None


def filename(base: str, today: date | None = None) -> str:
    return f"{base}_{(today or timezone.localdate()):%Y%m%d}.xlsx"


def count_rows(kind: ExportKind, *, user, params: QueryDict) -> int | None:
    return kind.count(user, params) if kind.count else None


def export_file(kind: ExportKind, *, user, params: QueryDict):
    """The export in a temporary file (closed by whoever streams it). Values are written in Chinese."""
    with translation.override("zh-hans"):
        return xlsx_file([kind.sheet(user, params)])


def campaign_file(campaign: BatchCampaign, *, user):
    with translation.override("zh-hans"):
        return xlsx_file([campaign_sheet(user, campaign)])


# --- Large exports: prepared by Celery, downloaded by the one who asked ----------------------------------------

TOKEN_SALT = "reports.exports.download"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


def new_file_name() -> str:
    import uuid

    return f"exports/{uuid.uuid4().hex}.xlsx"


def download_token(*, user, name: str, filename: str) -> str:
    from django.core import signing

    return signing.dumps({"u": user.pk, "n": name, "f": filename}, salt=TOKEN_SALT, compress=True)


def read_download_token(token: str, *, user) -> dict:
    """The prepared file a token names, for the user it was made for; anyone else (or a stale token): 404."""
    from django.conf import settings
    from django.core import signing

    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=settings.FLOWPARTY_EXCHANGE_FILE_HOURS * 3600)
    except signing.BadSignature:
        raise Http404 from None
    if data.get("u") != user.pk or not str(data.get("n", "")).startswith("exports/"):
        raise Http404
    return data


def deliver_prepared(*, user, name: str, filename: str, write) -> None:
    """Save the file `write()` returns (an open handle) into private storage under `name` and tell `user` it is
    ready to download as `filename`. A failure leaves the `.failed` marker the download page looks for. Used by
    every export prepared by Celery (the lists here, the checklist matrix in responsibilities.exports)."""
    from django.core.files import File
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from members.notifications import notify

    storage = private_storage()
    try:
        with write() as handle:
            storage.save(name, File(handle, name=name))
    except Exception:
        storage.save(name + ".failed", File(_empty()))
        raise
    token = download_token(user=user, name=name, filename=filename)
    with translation.override("zh-hans"):
        notify(
            recipients=[user],
            kind="export_ready",
            title=_("Your export is ready: %(file)s") % {"file": filename},
            body=_("Download it within %(hours)s hours; then it is deleted.") % {"hours": _hours()},
            link=reverse("exports:download", args=[token]),
            dedupe_key=f"export:{name}",
        )


def refuse_prepared(name: str) -> bool:
    """The requester may no longer have this export: only the `.failed` marker is written."""
    from django.core.files import File

    private_storage().save(name + ".failed", File(_empty()))
    return False


def export_prepare(*, user_id: int, kind: str, query: str, name: str) -> bool:
    """Write an export into private storage under `name` for the user, with the rights they have now (a task
    acting for a user checks them again when it runs), and tell them it is ready."""
    from members.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    spec = KINDS.get(kind)
    if user is None or spec is None or not permissions.can(user, "export"):
        return refuse_prepared(name)
    deliver_prepared(
        user=user,
        name=name,
        filename=filename(spec.filename),
        write=lambda: export_file(spec, user=user, params=QueryDict(query)),
    )
    return True


def _empty():
    import io

    return io.BytesIO(b"")


def _hours() -> int:
    from django.conf import settings

    return settings.FLOWPARTY_EXCHANGE_FILE_HOURS


def exchange_files_purge(*, now=None) -> int:
    """Delete prepared exports and unconfirmed uploads older than FLOWPARTY_EXCHANGE_FILE_HOURS: they hold
    personal data nobody needs any more. Idempotent."""
    from datetime import timedelta

    storage = private_storage()
    now = now or timezone.now()
    limit = now - timedelta(hours=_hours())
    deleted = 0
    for folder in ("exports", "imports"):
        try:
            _dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        for file in files:
            path = f"{folder}/{file}"
            try:
                modified = storage.get_modified_time(path)
            except FileNotFoundError:
                continue
            if modified < limit:
                storage.delete(path)
                deleted += 1
    return deleted
