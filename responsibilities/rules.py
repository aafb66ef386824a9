"""Pure rules of the three responsibility checklists (Annexes 1-3) and of Art. 6: no database, no settings.

Compliance is computed, never typed in: `evaluate(item, facts, today)` takes one checklist item, what is
known about one mobile member (their mobility and the dates of the records kept about them) and today, and
returns the status of every period since the mobility began: met, due, overdue, exempt, as needed, or not
applicable. The selectors turn database rows into these facts; everything here is plain data.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

# --- Vocabulary -----------------------------------------------------------------------------------------


class Checklist(StrEnum):
    ORIGIN = "origin"  # Annex 1: the origin (流出地) secondary organisation, for our outflow members
    DESTINATION = "destination"  # Annex 2: the destination (流入地), for inflow members
    MEMBER = "member"  # Annex 3: the mobile member's own duties (our outflow members)


class Cadence(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    ONCE = "once"  # once per outflow (or inflow)
    AS_NEEDED = "as_needed"  # when something happens (supervision, changes): never due by the calendar


PERIODIC = (Cadence.MONTH, Cadence.QUARTER, Cadence.HALF_YEAR, Cadence.YEAR)


class Rule(StrEnum):
    """How an item is met. The cadence says how often; the rule says by what."""

    RECORDS = "records"  # any record of the item's types in the period
    OUTFLOW_REPORTING = "outflow_reporting"  # A1.1: pre-departure education, registration, reporting in
    INFLOW_INTAKE = "inflow_intake"  # A2.1: intake complete by the Art. 2 deadline
    DEPARTURE_REPORT = "departure_report"  # A3.1: the organisation knew before the member left
    ARRIVAL_AND_DUES = "arrival_and_dues"  # A3.2: reported in, and dues paid up to the period's last month
    PROBATION = "probation"  # A1.3: conduct of probationary members while away, conversion on time
    FOLLOW_UP = "follow_up"  # A1.7, A2.6: as needed; a disposal (proposal) must be sent on


ALLOWED_CADENCES: dict[Rule, tuple[Cadence, ...]] = {
    Rule.RECORDS: (*PERIODIC, Cadence.ONCE, Cadence.AS_NEEDED),
    Rule.OUTFLOW_REPORTING: (Cadence.ONCE,),
    Rule.INFLOW_INTAKE: (Cadence.ONCE,),
    Rule.DEPARTURE_REPORT: (Cadence.ONCE,),
    Rule.ARRIVAL_AND_DUES: PERIODIC,
    Rule.PROBATION: (Cadence.QUARTER, Cadence.HALF_YEAR, Cadence.YEAR),
    Rule.FOLLOW_UP: (Cadence.AS_NEEDED,),
}


class RecordType(StrEnum):
    """The kinds of record that meet items (ResponsibilityItem.record_types)."""

    OUTFLOW_REGISTRATION = "outflow_registration"
    INFLOW_REGISTRATION = "inflow_registration"
    DEPARTURE_REPORT = "departure_report"
    ARRIVAL_REPORT = "arrival_report"
    CONTACT = "contact"
    ORG_LIFE = "org_life"
    TRAINING = "training"
    PROBATION_CONDUCT = "probation_conduct"
    PROBATION_CONVERSION = "probation_conversion"
    ROLE_ACTIVITY = "role_activity"
    CARE_VISIT = "care_visit"
    EVALUATION = "evaluation"
    SUPERVISION = "supervision"
    DUES = "dues"
    THOUGHT_REPORT = "thought_report"
    CHANGE_REPORT = "change_report"


class Status(StrEnum):
    MET = "met"
    DUE = "due"
    OVERDUE = "overdue"
    EXEMPT = "exempt"  # Art. 6: frail, immobile or gravely ill; never counted as missing
    AS_NEEDED = "as_needed"  # nothing is required until something happens
    NOT_APPLICABLE = "not_applicable"  # e.g. A1.3 for a full member, or before the mobility starts


# A period that starts late in its span (the member left on 25 March) keeps at least this long to be met.
GRACE_DAYS = 30
# A disposal, or a proposal of disposal, is sent on to the other organisation within this many days.
FOLLOW_UP_DAYS = 14
# Reminders: items falling due within this many days.
REMINDER_HORIZON_DAYS = 14
# How far back a member's card and the reminders look.
HISTORY_DAYS = 400


# --- Periods --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    key: str  # "2025-Q2", "2025-H1", "2025", "2025-03", or the mobility's reference for once/as needed

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_containing(cadence: Cadence, day: date) -> Period:
    """The calendar period of a periodic cadence that contains the day."""
    y, m = day.year, day.month
    if cadence == Cadence.MONTH:
        return Period(date(y, m, 1), _month_end(y, m), f"{y}-{m:02d}")
    if cadence == Cadence.QUARTER:
        q = (m - 1) // 3 + 1
        return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}-Q{q}")
    if cadence == Cadence.HALF_YEAR:
        h = 1 if m <= 6 else 2
        return Period(date(y, 6 * h - 5, 1), _month_end(y, 6 * h), f"{y}-H{h}")
    if cadence == Cadence.YEAR:
        return Period(date(y, 1, 1), date(y, 12, 31), f"{y}")
    raise ValueError(f"{cadence!r} is not a periodic cadence")


def periods_between(cadence: Cadence, start: date, end: date) -> list[Period]:
    """Every period of the cadence that overlaps [start, end], oldest first."""
    if end < start:
        return []
    result = []
    period = period_containing(cadence, start)
    while period.start <= end:
        result.append(period)
        period = period_containing(cadence, period.end + timedelta(days=1))
    return result


def last_month_of(period: Period) -> date:
    """The first day of the period's last month (dues are paid "up to" a month)."""
    return period.end.replace(day=1)


# --- Art. 6: the important occasions around which org life and training are organised --------------------

# 春节 (the first day of the first lunar month). Source: the State Council General Office's yearly notices of
# public holidays (国务院办公厅关于部分节假日安排的通知) up to 2025, and the Purple Mountain Observatory's
# published lunar calendar beyond; checked against the `lunardate` package.
SPRING_FESTIVAL = {
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}
# "Around" a festival: the week before it to the week after its public holiday (春节: to 元宵, 15 days).
AROUND_DAYS = 7


class Occasion(StrEnum):
    SPRING_FESTIVAL = "spring_festival"
    LABOUR_DAY = "labour_day"
    NATIONAL_DAY = "national_day"
    WINTER_HOLIDAY = "winter_holiday"
    SUMMER_HOLIDAY = "summer_holiday"


def occasions_on(day: date) -> list[Occasion]:
    """Art. 6: which of the important occasions a day falls around (a session may fall around several).

    - Spring Festival: a week before the lunar new year to 元宵 (day 15); only for the years in the table.
    - Labour Day: a week either side of the 1-5 May holiday; National Day: a week either side of 1-7 October.
    - Winter holiday (寒假): 10 January to the end of February, or to two weeks after the Spring Festival when
      that is later; summer holiday (暑假): July and August.
    """
    result = []
    festival = SPRING_FESTIVAL.get(day.year)
    if festival and festival - timedelta(days=AROUND_DAYS) <= day <= festival + timedelta(days=15):
        result.append(Occasion.SPRING_FESTIVAL)
    if (
        date(day.year, 5, 1) - timedelta(days=AROUND_DAYS)
        <= day
        <= date(day.year, 5, 5) + timedelta(days=AROUND_DAYS)
    ):
        result.append(Occasion.LABOUR_DAY)
    if (
        date(day.year, 10, 1) - timedelta(days=AROUND_DAYS)
        <= day
        <= date(day.year, 10, 7) + timedelta(days=AROUND_DAYS)
    ):
        result.append(Occasion.NATIONAL_DAY)
    winter_end = _month_end(day.year, 2)
    if festival and festival + timedelta(days=14) > winter_end:
        winter_end = festival + timedelta(days=14)
    if date(day.year, 1, 10) <= day <= winter_end:
        result.append(Occasion.WINTER_HOLIDAY)
    if date(day.year, 7, 1) <= day <= date(day.year, 8, 31):
        result.append(Occasion.SUMMER_HOLIDAY)
    return result


# --- Facts about one mobile member -------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    type: str  # a RecordType
    on: date
    pending: bool = False  # FOLLOW_UP: a disposal (proposal) not yet sent on


@dataclass(frozen=True)
class Dues:
    paid_on: date
    paid_through: date  # the first day of the last month paid for


@dataclass(frozen=True)
class Mobility:
    """One open outflow (ours) or inflow, as the checklist needs it."""

    kind: str  # "outflow" or "inflow"
    ref: str  # "outflow-12": the key of its once-only and as-needed periods
    start: date  # departure (or registration) for an outflow; the origin's registration for an inflow
    registered_on: date | None = None
    due_on: date | None = None  # the Art. 2 intake deadline
    departure_on: date | None = None
    reported_on: date | None = None  # reported in at the destination (A3.2)
    pre_departure_education_on: date | None = None
    intake_completed_on: date | None = None
    known_before_leaving: bool = False  # the member reported, or the organisation registered, before leaving
    created_on: date | None = None


@dataclass(frozen=True)
class MemberFacts:
    member_id: int
    mobility: Mobility
    is_exempt: bool = False
    is_probationary: bool = False
    conversion_due_on: date | None = None
    converted_on: date | None = None
    records: tuple[Record, ...] = ()
    dues: tuple[Dues, ...] = ()


@dataclass(frozen=True)
class ItemSpec:
    code: str
    checklist: str
    rule: str
    cadence: str
    record_types: tuple[str, ...] = ()
    exempt_applies: bool = False


def applies_to(item: ItemSpec, mobility: Mobility) -> bool:
    """Annexes 1 and 3 concern our outflow members; Annex 2 concerns inflow members."""
    if item.checklist == Checklist.DESTINATION:
        return mobility.kind == "inflow"
    return mobility.kind == "outflow"


# --- Evaluation -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    status: Status
    deadline: date | None = None
    done_on: date | None = None  # the latest record that meets it


@dataclass(frozen=True)
class ItemResult:
    """One item for one member: the status to show now, and the history behind it."""

    code: str
    status: Status
    current: PeriodStatus | None
    periods: tuple[PeriodStatus, ...] = field(default_factory=tuple)
    carried_over: bool = False  # overdue because the period just ended was missed and it is still not done

    @property
    def deadline(self) -> date | None:
        """The deadline that the status refers to (the missed one, for a duty carried over)."""
        if self.carried_over:
            return self.periods[-2].deadline
        return self.current.deadline if self.current else None

    @property
    def missed_earlier(self) -> int:
        """Ended periods that were not met (history; the current status says what is outstanding now)."""
        current = self.current.period if self.current else None
        missed = sum(1 for p in self.periods if p.status == Status.OVERDUE and p.period != current)
        return missed - 1 if self.carried_over else missed  # the carried-over one is the status itself


def _status(met: bool, deadline: date | None, today: date) -> Status:
    if met:
        return Status.MET
    if deadline is None or today <= deadline:
        return Status.DUE
    return Status.OVERDUE


def _latest(records, types, start: date, end: date) -> date | None:
    dates = [r.on for r in records if r.type in types and start <= r.on <= end]
    return max(dates) if dates else None


def _periodic(item: ItemSpec, facts: MemberFacts, today: date, *, until: date | None = None) -> list[Period]:
    start = max(facts.mobility.start, today - timedelta(days=HISTORY_DAYS))
    end = min(today, until) if until else today
    return periods_between(Cadence(item.cadence), start, end)


def _deadline(period: Period, mobility: Mobility) -> date:
    """The end of the period, or a month after a mobility that began late in it."""
    return max(period.end, mobility.start + timedelta(days=GRACE_DAYS))


def _once_deadline(mobility: Mobility) -> date:
    return mobility.due_on or mobility.start + timedelta(days=GRACE_DAYS)


def _records_rule(item, facts, today) -> list[PeriodStatus]:
    mobility, types = facts.mobility, set(item.record_types)
    if item.cadence == Cadence.ONCE:
        period = Period(mobility.start, today, mobility.ref)
        done = _latest(facts.records, types, mobility.start, today)
        return [
            PeriodStatus(
                period, _status(bool(done), _once_deadline(mobility), today), _once_deadline(mobility), done
            )
        ]
    if item.cadence == Cadence.AS_NEEDED:
        period = Period(mobility.start, today, mobility.ref)
        done = _latest(facts.records, types, mobility.start, today)
        return [PeriodStatus(period, Status.MET if done else Status.AS_NEEDED, None, done)]
    result = []
    for period in _periodic(item, facts, today):
        deadline = _deadline(period, mobility)
        done = _latest(facts.records, types, period.start, deadline)
        result.append(PeriodStatus(period, _status(bool(done), deadline, today), deadline, done))
    return result


def _outflow_reporting(item, facts, today) -> list[PeriodStatus]:
    """A1.1: pre-departure education, the outflow registration, and the member reported in at the destination."""
    m = facts.mobility
    steps = (m.pre_departure_education_on, m.registered_on, m.reported_on)
    met = all(steps)
    deadline = _once_deadline(m)
    period = Period(m.start, max(today, m.start), m.ref)
    return [PeriodStatus(period, _status(met, deadline, today), deadline, max(steps) if met else None)]


def _inflow_intake(item, facts, today) -> list[PeriodStatus]:
    """A2.1: registered and taken into a branch (or verified as managed by the origin) by the deadline."""
    m = facts.mobility
    deadline = _once_deadline(m)
    period = Period(m.start, max(today, m.start), m.ref)
    met = m.intake_completed_on is not None
    return [PeriodStatus(period, _status(met, deadline, today), deadline, m.intake_completed_on)]


def _departure_report(item, facts, today) -> list[PeriodStatus]:
    """A3.1: the member told the organisation before leaving (a report, or a registration made in time)."""
    m = facts.mobility
    deadline = m.departure_on or m.created_on or m.start
    period = Period(m.start, max(today, m.start), m.ref)
    met = m.known_before_leaving
    known_on = [d for d in (m.created_on, m.pre_departure_education_on) if d]
    done = min(known_on) if met and known_on else None
    return [PeriodStatus(period, _status(met, deadline, today), deadline, done)]


def _arrival_and_dues(item, facts, today) -> list[PeriodStatus]:
    """A3.2: reported in at the destination, and dues paid up to the period's last month, by the deadline."""
    m = facts.mobility
    result = []
    for period in _periodic(item, facts, today):
        deadline = _deadline(period, m)
        reported = m.reported_on is not None and m.reported_on <= deadline
        through = last_month_of(period)
        payments = [d.paid_on for d in facts.dues if d.paid_on <= deadline and d.paid_through >= through]
        met = reported and bool(payments)
        done = max([*payments, m.reported_on]) if met else None
        result.append(PeriodStatus(period, _status(met, deadline, today), deadline, done))
    return result


def _probation(item, facts, today) -> list[PeriodStatus]:
    """A1.3: a record of the probationary member's conduct every period while away; in the period the
    conversion falls due, the conversion decision itself."""
    mobility = facts.mobility
    converted_while_away = facts.converted_on is not None and facts.converted_on >= mobility.start
    if not (facts.is_probationary or converted_while_away):
        return []
    until = facts.converted_on if converted_while_away and not facts.is_probationary else None
    result = []
    for period in _periodic(item, facts, today, until=until):
        deadline = _deadline(period, mobility)
        types = {RecordType.PROBATION_CONDUCT, RecordType.PROBATION_CONVERSION}
        if facts.conversion_due_on and period.contains(facts.conversion_due_on):
            types = {RecordType.PROBATION_CONVERSION}
        done = _latest(facts.records, types, period.start, deadline)
        result.append(PeriodStatus(period, _status(bool(done), deadline, today), deadline, done))
    return result


def _follow_up(item, facts, today) -> list[PeriodStatus]:
    """A1.7, A2.6: nothing is due until a problem is found; a disposal (or a proposal of one) is then sent on
    to the other organisation within FOLLOW_UP_DAYS."""
    m = facts.mobility
    period = Period(m.start, max(today, m.start), m.ref)
    # Supervision is rare and its records are kept whole: an unsent disposal is outstanding whenever it was decided.
    mine = [r for r in facts.records if r.type in item.record_types]
    pending = sorted(r.on for r in mine if r.pending)
    if pending:
        deadline = pending[0] + timedelta(days=FOLLOW_UP_DAYS)
        return [PeriodStatus(period, _status(False, deadline, today), deadline, None)]
    done = max((r.on for r in mine), default=None)
    return [PeriodStatus(period, Status.MET if done else Status.AS_NEEDED, None, done)]


_EVALUATORS = {
    Rule.RECORDS: _records_rule,
    Rule.OUTFLOW_REPORTING: _outflow_reporting,
    Rule.INFLOW_INTAKE: _inflow_intake,
    Rule.DEPARTURE_REPORT: _departure_report,
    Rule.ARRIVAL_AND_DUES: _arrival_and_dues,
    Rule.PROBATION: _probation,
    Rule.FOLLOW_UP: _follow_up,
}


def evaluate(item: ItemSpec, facts: MemberFacts, today: date) -> ItemResult:
    """The status of one item for one mobile member, today, with every period since the mobility began
    (at most HISTORY_DAYS back).

    The status shown is the current period's; a duty that was missed in the period just ended and is still
    not done shows as overdue until it is done. Exempt members (Art. 6) are exempt wherever the item says so.
    """
    if not applies_to(item, facts.mobility):
        return ItemResult(item.code, Status.NOT_APPLICABLE, None)
    if item.exempt_applies and facts.is_exempt:
        return ItemResult(item.code, Status.EXEMPT, None)
    if facts.mobility.start > today and item.cadence in PERIODIC:
        return ItemResult(item.code, Status.NOT_APPLICABLE, None)
    periods = tuple(_EVALUATORS[Rule(item.rule)](item, facts, today))
    if not periods:
        return ItemResult(item.code, Status.NOT_APPLICABLE, None)
    current = periods[-1]
    carried_over = current.status == Status.DUE and len(periods) > 1 and periods[-2].status == Status.OVERDUE
    status = Status.OVERDUE if carried_over else current.status
    return ItemResult(item.code, status, current, periods, carried_over)


def reminders(item: ItemSpec, facts: MemberFacts, today: date) -> list[tuple[Period, str, date | None]]:
    """What to tell the secretaries about one item for one member: (period, "due_soon" | "overdue", deadline).

    Due soon: not met, and the deadline is within REMINDER_HORIZON_DAYS. Overdue: the most recent period whose
    deadline has passed unmet (older misses were told about when they happened).
    """
    result = evaluate(item, facts, today)
    if result.status in (Status.EXEMPT, Status.NOT_APPLICABLE):
        return []
    found = []
    overdue = [p for p in result.periods if p.status == Status.OVERDUE]
    if overdue:
        found.append((overdue[-1].period, "overdue", overdue[-1].deadline))
    for p in result.periods:
        if (
            p.status == Status.DUE
            and p.deadline
            and p.deadline <= today + timedelta(days=REMINDER_HORIZON_DAYS)
        ):
            found.append((p.period, "due_soon", p.deadline))
    return found


STATUS_ORDER = (
    Status.MET,
    Status.DUE,
    Status.OVERDUE,
    Status.EXEMPT,
    Status.AS_NEEDED,
    Status.NOT_APPLICABLE,
)


def tally(statuses) -> dict[str, int]:
    """Counts by status, every status present (for totals rows)."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for status in statuses:
        counts[Status(status)] += 1
    return {str(k): v for k, v in counts.items()}
