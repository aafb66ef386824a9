"""Province-scale synthetic data for benchmarks: `seed_demo --members N`.

Fast because it never goes through the ORM row by row: ids are reserved up front, rows are plain tuples, and on
PostgreSQL they are streamed with COPY (psycopg 3's `cursor.copy()`); elsewhere (SQLite, the test suite) the
same tuples go through `bulk_create` in large batches. Everything runs in one transaction.

Other apps add their records through the hook below: each entry of `settings.FLOWPARTY_BULK_GENERATORS` is a
function `generate(ctx: BulkContext) -> dict[str, int]`, called in order after the members, that writes its rows
with `ctx.writer` and may pick members from `ctx.members` (compact arrays of what was generated). Rows must
follow the rules the services enforce (due dates from `registrations.rules`, one open registration per
member...), because the benchmark measures the pages and jobs on them.

Idempotent in size: `generate(n)` tops the bulk members (numbers `B000000000`...) up to n, and the other
generators only add records for the members created in this run.
"""

import random
from array import array
from bisect import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import import_module
from time import monotonic
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from ..crypto import encrypt
from ..models import Branch, Category, Gender, Member, MobilityReason, Standing, UnknownCause
from . import data

NUMBER_PREFIX = "B"
TZ = ZoneInfo(settings.TIME_ZONE)


class BulkWriter:
    """Writes tuples of column values for a model: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, batch_size: int = 5000):
        self.batch_size = batch_size
        self.is_postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self._touched: list[type[models.Model]] = []

    def reserve_ids(self, model: type[models.Model], count: int) -> int:
        """The first of `count` consecutive primary keys nobody else uses (sequences are reset in finish())."""
        top = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
        if self.is_postgres:
            # Ids handed out by the sequence but rolled back are above max(pk) too: start past both.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
                )
                (sequence,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                last, called = cursor.fetchone()
                top = max(top, last if called else last - 1)
                # Sequences are not transactional: moving this one past the block now keeps a request that
                # inserts meanwhile out of it.
                cursor.execute("SELECT setval(%s, %s)", [sequence, top + count])
        return top + 1

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """`columns` are attnames (`member_id`, not `member`); every other column takes its default."""
        if model not in self._touched:
            self._touched.append(model)
        count = (
            self._copy(model, columns, rows) if self.is_postgres else self._bulk_create(model, columns, rows)
        )
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + count
        return count

    def _copy(self, model, columns, rows) -> int:
        meta = model._meta
        quote = connection.ops.quote_name
        given = set(columns)
        # Columns not given get their Python default, so the table's NOT NULL constraints hold.
        defaults = [
            (f.column, f.get_default())
            for f in meta.concrete_fields
            if f.attname not in given and not f.primary_key and (f.has_default() or not f.null)
        ]
        extra_cols = [c for c, _ in defaults]
        extra_vals = tuple(v for _, v in defaults)
        column_list = ", ".join(quote(_field(meta, c).column) for c in columns)
        if extra_cols:
            column_list += ", " + ", ".join(quote(c) for c in extra_cols)
        count = 0
        raw = connection.connection  # psycopg 3; same transaction as Django's connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {quote(meta.db_table)} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row + extra_vals if extra_vals else row)
                count += 1
        return count

    def _bulk_create(self, model, columns, rows) -> int:
        meta = model._meta
        fields = [_field(meta, c) for c in columns]
        names = [f.attname for f in fields]
        batch, count = [], 0
        for row in rows:
            batch.append(model(**dict(zip(names, row, strict=True))))
            if len(batch) >= self.batch_size:
                model.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
            count += len(batch)
        return count

    def finish(self) -> None:
        """Move each sequence past the ids written explicitly."""
        sql = connection.ops.sequence_reset_sql(_NoStyle(), self._touched)
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


def _field(meta, attname: str) -> models.Field:
    return next(f for f in meta.concrete_fields if f.attname == attname)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


@dataclass
class MemberArrays:
    """What was generated, one slot per new member (index i is member id `first_id + i`): compact enough for a
    million members, so later generators can pick members by organisation, category and mobility."""

    first_id: int
    secondary_id: array = field(default_factory=lambda: array("q"))
    branch_id: array = field(default_factory=lambda: array("q"))  # 0: relation held elsewhere
    category: array = field(default_factory=lambda: array("b"))  # index into CATEGORIES
    mobility: array = field(default_factory=lambda: array("b"))  # index into MOBILITY_REASONS; 0: not mobile
    names: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.secondary_id)

    def id(self, i: int) -> int:
        return self.first_id + i


CATEGORIES = [c for c, _w in data.CATEGORY_WEIGHTS]
MOBILITY_REASONS = [""] + list(MobilityReason.values)


@dataclass
class BulkContext:
    writer: BulkWriter
    rng: random.Random
    today: date
    now: datetime
    members: MemberArrays
    branches: dict[int, list[int]]  # secondary id -> active branch ids
    secretaries: dict[str, dict[int, list[int]]]  # role -> organisation or branch id -> user ids
    log: Callable[[str], None] = print

    def at(self, day: date, rng: random.Random | None = None) -> datetime:
        """A working-hours moment on `day`, timezone-aware."""
        rng = rng or self.rng
        return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=TZ)


# --- Members ---------------------------------------------------------------------------------------------

MEMBER_COLUMNS = (
    "id",
    "secondary_id",
    "branch_id",
    "origin_organization",
    "name",
    "gender",
    "number",
    "phone",
    "email",
    "id_number",
    "category",
    "standing",
    "joined_on",
    "converted_on",
    "mobility_reason",
    "is_exempt",
    "exempt_reason",
    "whereabouts_unknown",
    "whereabouts_unknown_since",
    "whereabouts_unknown_cause",
    "created_at",
    "updated_at",
)


def _name_pool(rng: random.Random, size: int = 50_000) -> list[str]:
    return [data.person_name(rng) for _ in range(size)]


def _member_rows(ctx: BulkContext, start_number: int, count: int, org_weights: list[tuple[int, int, float]]):
    """Rows in MEMBER_COLUMNS order; fills ctx.members as it goes."""
    rng, today, arrays = ctx.rng, ctx.today, ctx.members
    names = _name_pool(rng)
    cat_cum = []
    total = 0
    for _c, w in data.CATEGORY_WEIGHTS:
        total += w
        cat_cum.append(total)
    branch_cum, running = [], 0.0
    for _s, _b, w in org_weights:
        running += w
        branch_cum.append(running)
    # One real ciphertext shared by the bulk members that have an ID number: Fernet per row would dominate the
    # load time, and the pages only ever decrypt one member at a time.
    cipher = encrypt("110101199003077777") if ctx.writer.is_postgres else "110101199003077777"
    origins = data.ORIGIN_ORGANIZATIONS
    causes = [UnknownCause.MIGRANT_WORK, UnknownCause.GRADUATE_UNKNOWN, UnknownCause.CHANGED_EMPLOYER]
    reasons = {c: [MOBILITY_REASONS.index(r) for r in data.REASONS_BY_CATEGORY[c]] for c in CATEGORIES}
    moved_in = {Category.NEW_TEACHER, Category.UPGRADE_STUDENT}
    now = ctx.now
    for k in range(count):
        i = start_number + k
        r = rng.random
        category = CATEGORIES[bisect(cat_cum, r() * total)]
        secondary_id, branch_id, _w = org_weights[
            min(bisect(branch_cum, r() * running), len(org_weights) - 1)
        ]
        student_like = category in data.STUDENT_LIKE
        if student_like:
            age = 19 + int(r() * 7)
        elif category == Category.RETIREE:
            age = 61 + int(r() * 28)
        else:
            age = 26 + int(r() * 33)
        probationary = student_like and r() < 0.3
        if probationary:
            joined_on = today - timedelta(days=60 + int(r() * 270))
        else:
            joined_on = date(min(today.year - 1, today.year - age + 19 + int(r() * 12)), 1 + int(r() * 12), 1)
        mobile = r() < (0.9 if category in moved_in else 0.22)
        mobility = rng.choice(reasons[category]) if mobile else 0
        elsewhere = category in moved_in and r() < 0.5
        exempt = category == Category.RETIREE and age > 80 and r() < 0.5
        unknown = mobile and r() < 0.05
        created = now - timedelta(days=int(r() * 1500), minutes=int(r() * 600))
        arrays.secondary_id.append(secondary_id)
        arrays.branch_id.append(0 if elsewhere else branch_id)
        arrays.category.append(CATEGORIES.index(category))
        arrays.mobility.append(mobility)
        name = names[i % len(names)]
        arrays.names.append(name)
        yield (
            arrays.id(len(arrays) - 1),
            secondary_id,
            None if elsewhere else branch_id,
            origins[i % len(origins)] if elsewhere else "",
            name,
            Gender.FEMALE if i % 2 else Gender.MALE,
            f"{NUMBER_PREFIX}{i:09d}",
            f"1{'3589'[i % 4]}{(i * 7919) % 10**9:09d}",
            "",
            cipher if r() < 0.6 else "",
            category,
            Standing.PROBATIONARY if probationary else Standing.FULL,
            joined_on,
            None,
            MOBILITY_REASONS[mobility],
            exempt,
            data.EXEMPT_REASONS[i % 3] if exempt else "",
            unknown,
            today - timedelta(days=10 + int(r() * 190)) if unknown else None,
            causes[i % 3] if unknown else "",
            created,
            created,
        )


def _org_weights(rng: random.Random) -> list[tuple[int, int, float]]:
    """(secondary id, branch id, weight): organisations differ in size, as colleges do."""
    weights = []
    for branch in Branch.objects.filter(is_active=True).order_by("code"):
        weights.append((branch.secondary_id, branch.pk, 0.5 + rng.random()))
    return weights


def _secretaries() -> dict[str, dict[int, list[int]]]:
    from ..models import RoleAssignment

    result: dict[str, dict[int, list[int]]] = {"secondary": {}, "branch": {}, "org_department": {0: []}}
    for role, secondary_id, branch_id, user_id in RoleAssignment.objects.values_list(
        "role", "secondary_id", "branch_id", "user_id"
    ):
        if role == "org_department":
            result["org_department"][0].append(user_id)
        elif role == "secondary_secretary":
            result["secondary"].setdefault(secondary_id, []).append(user_id)
        else:
            result["branch"].setdefault(branch_id, []).append(user_id)
    return result


def bulk_member_count() -> int:
    return Member.objects.filter(number__startswith=NUMBER_PREFIX).count()


def generators() -> list[Callable[[BulkContext], dict[str, int]]]:
    result = []
    for path in getattr(settings, "FLOWPARTY_BULK_GENERATORS", []):
        module_path, _, name = path.rpartition(".")
        result.append(getattr(import_module(module_path), name))
    return result


def generate(n: int, *, seed: int = 2025, log: Callable[[str], None] = print) -> dict[str, int]:
    """Top the bulk members up to n, then let every registered generator add its records for them."""
    started = monotonic()
    existing = bulk_member_count()
    to_create = max(0, n - existing)
    if not to_create:
        return {}
    with transaction.atomic():
        writer = BulkWriter()
        rng = random.Random(seed + existing)
        first_id = writer.reserve_ids(Member, to_create)
        branches: dict[int, list[int]] = {}
        for pk, secondary_id in (
            Branch.objects.filter(is_active=True).order_by("code").values_list("pk", "secondary_id")
        ):
            branches.setdefault(secondary_id, []).append(pk)
        ctx = BulkContext(
            writer=writer,
            rng=rng,
            today=timezone.localdate(),
            now=timezone.now(),
            members=MemberArrays(first_id=first_id),
            branches=branches,
            secretaries=_secretaries(),
            log=log,
        )
        with _deferred_constraints():
            writer.write(
                Member,
                MEMBER_COLUMNS,
                _member_rows(ctx, existing, to_create, _org_weights(random.Random(seed))),
            )
            log(f"members: +{to_create} ({monotonic() - started:.0f} s)")
            for generate_records in generators():
                step = monotonic()
                counts = generate_records(ctx)
                log(
                    f"{generate_records.__module__}: "
                    + ", ".join(f"{k} +{v}" for k, v in counts.items())
                    + f" ({monotonic() - step:.0f} s)"
                )
        writer.finish()
    if writer.is_postgres and not connection.in_atomic_block:
        # Fresh statistics and visibility map, or the planner guesses on a million rows it has never seen.
        step = monotonic()
        with connection.cursor() as cursor:
            for model in writer._touched:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        log(f"vacuum analyze ({monotonic() - step:.0f} s)")
    log(f"bulk data written in {monotonic() - started:.0f} s")
    return writer.counts


class _deferred_constraints:
    """Foreign keys are checked once at commit rather than per row (PostgreSQL: they are DEFERRABLE)."""

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def __exit__(self, *exc):
        if connection.vendor == "postgresql" and exc[0] is None:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return False
