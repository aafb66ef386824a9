"""Pure rules of the measures: no database, no settings. Each names the article it implements."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# GB/T 2260 province-level prefixes (the first two digits of every division code).
PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)
# The four municipalities have no prefecture level: the whole municipality counts as one city.
MUNICIPALITY_PREFIXES = frozenset({"11", "12", "31", "50"})

# Art. 2: intake within 30 days inside the province, at most 60 days across provinces (省、区、市).
INTRA_PROVINCE_DAYS = 30
CROSS_PROVINCE_DAYS = 60


def _check_code(code: str, *, what: str = "division code") -> str:
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        raise ValueError(f"{what} must be six digits (GB/T 2260), got {code!r}")
    if code[:2] not in PROVINCE_PREFIXES:
        raise ValueError(f"{what} {code!r} does not start with a GB/T 2260 province prefix")
    return code


def _check_province(code: str) -> str:
    if not isinstance(code, str) or code not in PROVINCE_PREFIXES:
        raise ValueError(f"home province code must be a two-digit GB/T 2260 prefix, got {code!r}")
    return code


def intake_deadline(
    *, registered_on: date, destination_county_code: str, home_province_code: str = "51"
) -> date:
    """Art. 2: the day by which intake (接收纳管) must be complete.

    Counted in calendar days from the outflow registration, the registration day itself not counted
    (Civil Code Art. 201): 30 days when the other end is in the home province, 60 days otherwise.
    """
    _check_code(destination_county_code, what="destination county code")
    _check_province(home_province_code)
    same_province = destination_county_code[:2] == home_province_code
    return registered_on + timedelta(days=INTRA_PROVINCE_DAYS if same_province else CROSS_PROVINCE_DAYS)


class FlowScope(StrEnum):
    SAME_CITY = "same_city"
    SAME_PROVINCE = "same_province"
    OTHER_PROVINCE = "other_province"


def flow_scope(*, origin_code: str, destination_code: str) -> FlowScope:
    """Art. 2 distinguishes flows inside the province (省内) from flows across provinces (跨省); within the
    province we also tell a move inside the same city (prefecture or municipality) apart."""
    _check_code(origin_code, what="origin code")
    _check_code(destination_code, what="destination code")
    if origin_code[:2] != destination_code[:2]:
        return FlowScope.OTHER_PROVINCE
    if origin_code[:2] in MUNICIPALITY_PREFIXES or origin_code[:4] == destination_code[:4]:
        return FlowScope.SAME_CITY
    return FlowScope.SAME_PROVINCE


@dataclass(frozen=True)
class IntakeClock:
    due_on: date
    completed_on: date | None
    today: date

    @property
    def days_left(self) -> int:
        """Days until the due date (negative once overdue); meaningless once complete."""
        return (self.due_on - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_complete and self.today > self.due_on

    @property
    def on_time(self) -> bool | None:
        """True/False once intake is complete; None while it is open."""
        if self.completed_on is None:
            return None
        return self.completed_on <= self.due_on

    @property
    def status(self) -> str:
        if self.is_complete:
            return "on_time" if self.on_time else "late"
        if self.is_overdue:
            return "overdue"
        if self.days_left <= 7:
            return "due_soon"
        return "open"


class OrgKind(StrEnum):
    """Art. 3: the kinds of grassroots party organisation that take in an outflow member."""

    UNIT = "unit"
    PARK = "park"
    BUILDING = "building"
    BUSINESS_DISTRICT = "business_district"
    TOWNSHIP = "township"
    VILLAGE = "village"
    RESIDENCE = "residence"
    MOBILE_MEMBER_ORG = "mobile_member_org"
    INDUSTRY_ASSOCIATION = "industry_association"
    PLATFORM_ENTERPRISE = "platform_enterprise"
    PARTNER_ENTERPRISE = "partner_enterprise"


def placement_advice(
    *,
    unit_has_party_org: bool,
    has_fixed_unit: bool = True,
    is_retiree_elsewhere: bool = False,
    is_new_employment_graduate: bool = False,
) -> list[OrgKind]:
    """Art. 3: where an outflow member should be taken in, in the order the article prescribes.

    - retirees living elsewhere: the residence's organisation or a mobile-member organisation;
    - graduates in new-employment groups: industry association, township (street), village (community),
      park, platform or partner enterprise, or a mobile-member organisation;
    - no fixed work or study unit: the residence's organisation or a mobile-member organisation;
    - a unit with its own party organisation: that organisation;
    - a unit without one: the park, building, business district, township (street) or village
      (community) organisation where the unit stands.
    """
    if is_retiree_elsewhere:
        return [OrgKind.RESIDENCE, OrgKind.MOBILE_MEMBER_ORG]
    if is_new_employment_graduate:
        return [
            OrgKind.INDUSTRY_ASSOCIATION,
            OrgKind.TOWNSHIP,
            OrgKind.VILLAGE,
            OrgKind.PARK,
            OrgKind.PLATFORM_ENTERPRISE,
            OrgKind.PARTNER_ENTERPRISE,
            OrgKind.MOBILE_MEMBER_ORG,
        ]
    if not has_fixed_unit:
        return [OrgKind.RESIDENCE, OrgKind.MOBILE_MEMBER_ORG]
    if unit_has_party_org:
        return [OrgKind.UNIT]
    return [OrgKind.PARK, OrgKind.BUILDING, OrgKind.BUSINESS_DISTRICT, OrgKind.TOWNSHIP, OrgKind.VILLAGE]


# --- States (Art. 2-4). A transition not listed here is illegal. ---------------------------------------


class OutflowState(StrEnum):
    DRAFT = "draft"
    REGISTERED = "registered"
    REPORTED = "reported"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    ENDED = "ended"


class InflowState(StrEnum):
    NOTIFIED = "notified"
    CONTACTED = "contacted"
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    MANAGED_BY_ORIGIN = "managed_by_origin"
    ENDED = "ended"


OUTFLOW_TRANSITIONS: dict[str, frozenset[str]] = {
    "register": frozenset(
        {OutflowState.DRAFT, OutflowState.REFUSED}
    ),  # after a refusal: re-register elsewhere
    "report_in": frozenset({OutflowState.REGISTERED}),
    "accept": frozenset({OutflowState.REPORTED}),
    "refuse": frozenset({OutflowState.REGISTERED, OutflowState.REPORTED}),
    "end": frozenset(
        {
            OutflowState.DRAFT,
            OutflowState.REGISTERED,
            OutflowState.REPORTED,
            OutflowState.ACCEPTED,
            OutflowState.REFUSED,
        }
    ),
}
OUTFLOW_TARGET = {
    "register": OutflowState.REGISTERED,
    "report_in": OutflowState.REPORTED,
    "accept": OutflowState.ACCEPTED,
    "refuse": OutflowState.REFUSED,
    "end": OutflowState.ENDED,
}

INFLOW_TRANSITIONS: dict[str, frozenset[str]] = {
    "contact": frozenset({InflowState.NOTIFIED}),
    "register": frozenset({InflowState.CONTACTED}),
    "accept": frozenset({InflowState.REGISTERED}),
    "record_origin_management": frozenset({InflowState.REGISTERED}),
    "end": frozenset(
        {
            InflowState.NOTIFIED,
            InflowState.CONTACTED,
            InflowState.REGISTERED,
            InflowState.ACCEPTED,
            InflowState.MANAGED_BY_ORIGIN,
        }
    ),
}
INFLOW_TARGET = {
    "contact": InflowState.CONTACTED,
    "register": InflowState.REGISTERED,
    "accept": InflowState.ACCEPTED,
    "record_origin_management": InflowState.MANAGED_BY_ORIGIN,
    "end": InflowState.ENDED,
}


def can_transition(table: dict[str, frozenset[str]], state: str, action: str) -> bool:
    return state in table.get(action, frozenset())


def allowed_actions(table: dict[str, frozenset[str]], state: str) -> list[str]:
    return [action for action, sources in table.items() if state in sources]


# --- Deadline reminders (Art. 2) ----------------------------------------------------------------------


class ReminderStage(StrEnum):
    WEEK_BEFORE = "d7"
    THREE_DAYS_BEFORE = "d3"
    DUE_DAY = "d0"
    OVERDUE = "overdue"  # the day after the due date: escalated to the organisation department


# Days relative to the due date on which each stage falls due, latest first.
STAGE_OFFSETS = (
    (ReminderStage.OVERDUE, 1),
    (ReminderStage.DUE_DAY, 0),
    (ReminderStage.THREE_DAYS_BEFORE, -3),
    (ReminderStage.WEEK_BEFORE, -7),
)
STAGE_ORDER = {stage: rank for rank, (stage, _) in enumerate(reversed(STAGE_OFFSETS))}


def reminder_stage_due(*, due_on: date, today: date) -> ReminderStage | None:
    """The latest reminder stage whose day has come: 7 and 3 days before the due date, on it, and (escalation)
    the day after. After a missed day only the latest stage goes out, never the ones it replaces."""
    delta = (today - due_on).days
    for stage, offset in STAGE_OFFSETS:
        if delta >= offset:
            return stage
    return None


def reminder_to_send(*, due_on: date, today: date, sent: set[str]) -> ReminderStage | None:
    """The stage to send now, or None when it (or a later stage) has already been sent."""
    stage = reminder_stage_due(due_on=due_on, today=today)
    if stage is None:
        return None
    if any(STAGE_ORDER[ReminderStage(s)] >= STAGE_ORDER[stage] for s in sent):
        return None
    return stage


# --- Batch registration campaigns (Art. 2: 每年 3 月、10 月完成集中登记和接收纳管) ---------------------------

CAMPAIGN_MONTHS = (3, 10)


@dataclass(frozen=True)
class CampaignWindow:
    year: int
    month: int
    opens_on: date
    closes_on: date  # the month's last day

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


def campaign_window(day: date) -> CampaignWindow | None:
    """The batch-registration window that contains `day` (all of March or October), if any."""
    if day.month not in CAMPAIGN_MONTHS:
        return None
    opens = day.replace(day=1)
    next_month = opens.replace(year=opens.year + (opens.month == 12), month=opens.month % 12 + 1)
    return CampaignWindow(
        year=day.year, month=day.month, opens_on=opens, closes_on=next_month - timedelta(days=1)
    )
