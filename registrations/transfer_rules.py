"""Pure rules of formal relation transfers and membership retention (Art. 5): no database, no settings.

Periods "of 6 months or more" are calendar months (dateutil.relativedelta): a member who moved in on
31 August has lived there 6 months on 28 February (29 in a leap year), not a day earlier.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

# Art. 5: settled, housed and living stably for 6 months or more; or a contract of 6 months or more.
STABLE_MONTHS = 6
CONTRACT_MONTHS = 6
# Art. 5 (retention) and the measures' reminders: a member abroad keeps in touch at least every 6 months.
RETENTION_CONTACT_MONTHS = 6
# A graduate's relation is kept at the school while they sit public or postgraduate exams (Art. 1); after
# two years it is flagged for the organisation to settle.
GRADUATE_KEPT_YEARS = 2
# Validity of an introduction letter (介绍信有效期), in days, by how far it travels.
LETTER_VALID_DAYS_INTRA_PROVINCE = 30
LETTER_VALID_DAYS_CROSS_PROVINCE = 60


class Direction(StrEnum):
    OUT = "out"  # 转出: from one of our branches to an organisation elsewhere
    IN = "in"  # 转入: from elsewhere into one of our branches
    INTERNAL = "internal"  # between our branches (possibly across our secondary organisations)


class DueKind(StrEnum):
    """Why a member is due to transfer (or to apply for retention): Art. 5, clause by clause."""

    RESIDENCE = "residence"  # 落户、购买或租赁住房并稳定居住6个月以上
    CONTRACT = "contract"  # 已签订6个月以上劳动（聘用）合同且工作相对稳定
    NEW_TEACHER = "new_teacher"  # 新入职教师党员：转入我校
    UPGRADE_STUDENT = "upgrade_student"  # 专升本学生党员：转入我校
    DOCTORAL_STUDY = "doctoral_study"  # 在外读博的教师党员：转出
    SECONDMENT = "secondment"  # 挂职的教师党员：转出
    RETIREE_WISH = "retiree_wish"  # 异地居住的离退休党员：根据党员意愿
    ABROAD = "abroad"  # 出国交流学习、海外读研：申请保留党籍


class Action(StrEnum):
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    RETENTION = "retention"


@dataclass(frozen=True)
class Suggestion:
    kind: DueKind
    action: Action

    @property
    def direction(self) -> Direction | None:
        return {Action.TRANSFER_OUT: Direction.OUT, Action.TRANSFER_IN: Direction.IN}.get(self.action)


@dataclass(frozen=True)
class TransferFacts:
    """What Art. 5 needs to know about one member (from the member and their open outflow or inflow)."""

    relation_here: bool  # the formal relation is held by one of our branches
    away: bool = False  # an open outflow: the member lives or works elsewhere
    category: str = ""  # members.models.Category value
    mobility_reason: str = ""  # members.models.MobilityReason value
    settled_on: date | None = None  # 落户
    housing_since: date | None = None  # bought or rented housing and living there since
    contract_signed_on: date | None = None
    contract_months: int | None = None
    doctoral_study: bool = False
    going_abroad: bool = False
    wishes_to_transfer: bool = False


def months_reached(since: date | None, *, months: int, today: date) -> bool:
    """True from the day `months` calendar months after `since` (exactly 6 months qualifies)."""
    return since is not None and since + relativedelta(months=months) <= today


def stable_residence(*, settled_on: date | None, housing_since: date | None, today: date) -> bool:
    """Art. 5: settled (落户) or bought or rented housing, and lived there stably for 6 months or more.
    The residence counts from the earlier of the two dates."""
    dates = [d for d in (settled_on, housing_since) if d is not None]
    return bool(dates) and months_reached(min(dates), months=STABLE_MONTHS, today=today)


def stable_contract(*, signed_on: date | None, months: int | None, today: date) -> bool:
    """Art. 5: a labour (employment) contract of 6 months or more, signed and in force."""
    return signed_on is not None and signed_on <= today and months is not None and months >= CONTRACT_MONTHS


def transfer_suggestions(facts: TransferFacts, *, today: date) -> list[Suggestion]:
    """Art. 5: what a member is due to do, most specific first; an empty list when nothing is due."""
    if facts.going_abroad:
        # 督促提醒出国交流学习、海外读研的师生党员及时申请保留党籍手续
        return [Suggestion(DueKind.ABROAD, Action.RETENTION)] if facts.relation_here else []
    if facts.relation_here:
        if facts.mobility_reason == "retiree_elsewhere" or (facts.category == "retiree" and facts.away):
            # 对异地居住的离退休干部职工党员，根据实际情况和党员意愿: only if they wish, whatever else holds
            return [Suggestion(DueKind.RETIREE_WISH, Action.TRANSFER_OUT)] if facts.wishes_to_transfer else []
        result = []
        if facts.mobility_reason == "degree_study" and facts.doctoral_study:
            result.append(Suggestion(DueKind.DOCTORAL_STUDY, Action.TRANSFER_OUT))  # 在外读博
        if facts.mobility_reason == "secondment":
            result.append(Suggestion(DueKind.SECONDMENT, Action.TRANSFER_OUT))  # 挂职
        if facts.away:
            result += _stability(facts, Action.TRANSFER_OUT, today)
        return result
    # The relation is elsewhere: due to transfer in (应转尽转).
    result = []
    if facts.category == "new_teacher" or facts.mobility_reason == "new_teacher":
        result.append(Suggestion(DueKind.NEW_TEACHER, Action.TRANSFER_IN))
    elif facts.category == "upgrade_student" or facts.mobility_reason == "upgrade_student":
        result.append(Suggestion(DueKind.UPGRADE_STUDENT, Action.TRANSFER_IN))
    result += _stability(facts, Action.TRANSFER_IN, today)
    return result


def _stability(facts: TransferFacts, action: Action, today: date) -> list[Suggestion]:
    result = []
    if stable_residence(settled_on=facts.settled_on, housing_since=facts.housing_since, today=today):
        result.append(Suggestion(DueKind.RESIDENCE, action))
    if stable_contract(signed_on=facts.contract_signed_on, months=facts.contract_months, today=today):
        result.append(Suggestion(DueKind.CONTRACT, action))
    return result


# --- The approval chain (Art. 5; 不得无故拒转拒接) ----------------------------------------------------------


class TransferState(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # at one step of the chain
    RETURNED = "returned"  # returned for revision, with a reason
    REFUSED = "refused"  # refused, with a recorded reason
    APPROVED = "approved"  # every step approved: the letter may be issued
    COMPLETED = "completed"  # the formal relation has moved
    CANCELLED = "cancelled"


class Stage(StrEnum):
    BRANCH = "branch"  # 党支部
    SECONDARY = "secondary"  # 二级党组织
    DEPARTMENT = "department"  # 党委组织部


CHAIN = (Stage.BRANCH, Stage.SECONDARY, Stage.DEPARTMENT)
OPEN_STATES = frozenset(
    {TransferState.DRAFT, TransferState.PENDING, TransferState.RETURNED, TransferState.APPROVED}
)

TRANSFER_TRANSITIONS: dict[str, frozenset[str]] = {
    "submit": frozenset({TransferState.DRAFT, TransferState.RETURNED}),
    "approve": frozenset({TransferState.PENDING}),
    "return": frozenset({TransferState.PENDING}),
    "refuse": frozenset({TransferState.PENDING}),
    "complete": frozenset({TransferState.APPROVED}),
    "cancel": frozenset(
        {TransferState.DRAFT, TransferState.RETURNED, TransferState.PENDING, TransferState.APPROVED}
    ),
}


def next_stage(stage: str) -> Stage | None:
    """The step after `stage`, or None when `stage` was the last (the organisation department)."""
    index = CHAIN.index(Stage(stage))
    return CHAIN[index + 1] if index + 1 < len(CHAIN) else None


def can_transfer_transition(state: str, action: str) -> bool:
    return state in TRANSFER_TRANSITIONS.get(action, frozenset())


def needs_reason(action: str) -> bool:
    """Art. 5 (不得无故拒转拒接): a refusal, and a return for revision, always carry a recorded reason."""
    return action in {"return", "refuse", "cancel"}


# --- Dossier checks (Art. 5) -----------------------------------------------------------------------------


class CheckItem(StrEnum):
    # 转出组织关系前: 重点查看入党材料是否规范齐全、发展党员手续是否符合规定 (and dues paid up)
    ADMISSION_MATERIALS = "admission_materials"
    DEVELOPMENT_PROCEDURES = "development_procedures"
    DUES_PAID = "dues_paid"
    # 接收党组织关系前: 档案核查; 对管理平台中的党员信息进行核对; 对缺失信息进行补充和完善
    DOSSIER_REVIEWED = "dossier_reviewed"
    PLATFORM_RECORD = "platform_record"
    MISSING_DATA = "missing_data"


OUT_CHECKS = (CheckItem.ADMISSION_MATERIALS, CheckItem.DEVELOPMENT_PROCEDURES, CheckItem.DUES_PAID)
IN_CHECKS = (CheckItem.DOSSIER_REVIEWED, CheckItem.PLATFORM_RECORD, CheckItem.MISSING_DATA)


def checklist(direction: str) -> tuple[CheckItem, ...]:
    """Art. 5: the origin checks before a transfer out, the receiver before a transfer in; a move between our
    own branches does both."""
    return {
        Direction.OUT: OUT_CHECKS,
        Direction.IN: IN_CHECKS,
        Direction.INTERNAL: OUT_CHECKS + IN_CHECKS,
    }[Direction(direction)]


# --- Introduction letter and receipt ----------------------------------------------------------------------


def letter_valid_days(*, cross_province: bool) -> int:
    return LETTER_VALID_DAYS_CROSS_PROVINCE if cross_province else LETTER_VALID_DAYS_INTRA_PROVINCE


def receipt_overdue(
    *, issued_on: date | None, valid_days: int | None, returned_on: date | None, today: date
) -> bool:
    """The tear-off receipt (回执) has not come back, and the letter's validity has run out."""
    if issued_on is None or valid_days is None or returned_on is not None:
        return False
    return today > letter_valid_until(issued_on=issued_on, valid_days=valid_days)


def letter_valid_until(*, issued_on: date, valid_days: int) -> date:
    """The last day the letter is valid: the issue day is not counted (as the intake deadline, Art. 2)."""
    return issued_on + timedelta(days=valid_days)


# --- Membership retention abroad and graduates kept at the school ----------------------------------------


def retention_contact_due(*, started_on: date, last_contact_on: date | None) -> date:
    """A member abroad is contacted at least every 6 months: the date the next contact is due."""
    since = max(d for d in (started_on, last_contact_on) if d is not None)
    return since + relativedelta(months=RETENTION_CONTACT_MONTHS)


def graduate_kept_too_long(*, kept_since: date | None, today: date) -> bool:
    """A graduate's relation kept at the school (public or postgraduate exams, Art. 1) for two years or more."""
    return kept_since is not None and kept_since + relativedelta(years=GRADUATE_KEPT_YEARS) <= today
