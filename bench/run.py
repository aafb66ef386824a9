"""`make bench`: seed (or reuse) a PostgreSQL database at province scale, serve it with gunicorn on 127.0.0.1,
and measure the pages, the deadline job, import and export, each next to a floor measured in the same run.

    python -m bench.run --members 1000000          # what `make bench BENCH_MEMBERS=...` runs

Prints a table and writes bench/results/<time>.json. Only 127.0.0.1 is ever contacted. A benchmark, not a test:
nothing here runs in `make test`.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
HOST = "127.0.0.1"

# Targets of issue 8, on this machine at 1,000,000 members and 200,000 registrations.
TARGET_DASHBOARD_MS = 300
TARGET_LIST_MS = 150
TARGET_JOB_S = 5
TARGET_IMPORT_S = 15
TARGET_EXPORT_S = 20
TARGET_EXPORT_MB = 300


def bench_env(database_url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="60",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdef",
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        # A fixed key: the seeded ciphertexts must stay readable from one run to the next.
        FIELD_ENCRYPTION_KEYS="YmVuY2gtb25seS1rZXktMDEyMzQ1Njc4OWFiY2RlZmc=",
        DJANGO_STATIC_ROOT=str(RESULTS / "static"),
        FLOWPARTY_SITE_URL=f"http://{HOST}:{port}",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *args, check=True, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check, text=True, capture_output=capture
    )


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(env) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Latency -------------------------------------------------------------------------------------------------


class Client:
    """Sequential keep-alive HTTP/1.1 requests to the local server, timing each to the last byte."""

    def __init__(self, port: int, cookie: str = ""):
        self.port = port
        self.cookie = cookie
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def get(self, path: str) -> tuple[int, float, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        start = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
        body = response.read()
        return response.status, (time.perf_counter() - start) * 1000, body


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(client: Client, path: str, n: int, warmup: int = 3) -> dict:
    for _ in range(warmup):
        status, _ms, body = client.get(path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}: {body[:300]!r}")
    times = [client.get(path)[1] for _ in range(n)]
    return {
        "path": path,
        "n": n,
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
    }


def start_server(env, port: int, workers: int) -> subprocess.Popen:
    log = open(RESULTS / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "flowparty.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).get("/__bench__/bare/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not start; see {RESULTS / 'gunicorn.log'}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client as DjangoClient

    from members.models import User

    client = DjangoClient()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def page_paths() -> dict[str, tuple[str, str, int]]:
    """name -> (user, path, target p95 in ms): the pages of issue 8, with real ids and filters from the data."""
    from members.models import Member, SecondaryOrganization
    from registrations.models import OutflowRegistration

    bulk_members = Member.objects.filter(number__startswith="B").order_by("number")
    member = bulk_members[500]
    middle = bulk_members.values_list("number", flat=True)[bulk_members.count() // 2]
    outflow = OutflowRegistration.objects.filter(state="reported").order_by("pk").first()
    busiest = SecondaryOrganization.objects.filter(is_active=True).order_by("ordering").first()
    name = member.name[:2]
    return {
        # The home page is a summary of counts over every member, like the dashboard: the dashboard's target.
        "home (department)": ("orgdept", "/", TARGET_DASHBOARD_MS),
        "home (secretary)": ("sec_a", "/", TARGET_DASHBOARD_MS),
        "dashboard (department)": ("orgdept", "/reports/", TARGET_DASHBOARD_MS),
        "dashboard (secretary)": ("sec_a", "/reports/", TARGET_DASHBOARD_MS),
        # Summaries like the dashboard: its target.
        "statistics table (department)": ("orgdept", "/reports/statistics/", TARGET_DASHBOARD_MS),
        "pending work (department)": ("orgdept", "/registrations/pending/", TARGET_DASHBOARD_MS),
        "outflow list, first page": ("orgdept", "/registrations/outflows/", TARGET_LIST_MS),
        "outflow list, page 400": ("orgdept", "/registrations/outflows/?page=400", TARGET_LIST_MS),
        "outflow list, page 4000": ("orgdept", "/registrations/outflows/?page=4000", TARGET_LIST_MS),
        "outflow list, filtered": (
            "orgdept",
            "/registrations/outflows/?" + urlencode({"overdue": "true", "secondary": busiest.pk}),
            TARGET_LIST_MS,
        ),
        "outflow list (secretary)": ("sec_a", "/registrations/outflows/?open=true", TARGET_LIST_MS),
        "inflow list, first page": ("orgdept", "/registrations/inflows/", TARGET_LIST_MS),
        "member list, first page": ("orgdept", "/members/", TARGET_LIST_MS),
        "member list, page 400": ("orgdept", "/members/?page=400", TARGET_LIST_MS),
        "member list, mobile (exact count)": ("orgdept", "/members/?mobile=true", TARGET_LIST_MS),
        "member list, keyset page (middle)": (
            "orgdept",
            "/members/?" + urlencode({"after": middle}),
            TARGET_LIST_MS,
        ),
        "member search (name)": ("orgdept", "/members/?" + urlencode({"q": name}), TARGET_LIST_MS),
        "member search (number)": ("orgdept", "/members/?" + urlencode({"q": member.number}), TARGET_LIST_MS),
        "unknown whereabouts queue": ("orgdept", "/registrations/whereabouts/unknown/", TARGET_LIST_MS),
        "member detail": ("orgdept", f"/members/{member.pk}/", TARGET_LIST_MS),
        "outflow detail": ("orgdept", f"/registrations/outflows/{outflow.pk}/", TARGET_LIST_MS),
    }


# --- Jobs, import, export --------------------------------------------------------------------------------------


def time_deadline_job(runs: int = 3) -> dict:
    """The daily job, rolled back after each run so every run does the same work; its floor is fetching the same
    candidate rows alone."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from registrations import jobs
    from registrations.models import InflowRegistration, OutflowRegistration

    today = timezone.localdate()
    times, floors, result = [], [], {}
    for _ in range(runs):
        start = time.perf_counter()
        with transaction.atomic():
            result = jobs.intake_deadlines_check(today=today)
            transaction.set_rollback(True)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for model in (OutflowRegistration, InflowRegistration):
            list(
                model.objects.intake_pending()
                .filter(due_on__lte=today + timedelta(days=7))
                .values_list("pk", "due_on")
            )
        floors.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 2), "floor_s": round(min(floors), 3), "last": result}


def run_measured(env, *args) -> dict:
    """A management command in a child process: wall time and peak resident memory (MB)."""
    code = (
        "import resource, sys, time, django; django.setup(); "
        "from django.core.management import call_command; t = time.perf_counter(); "
        f"call_command(*{list(args)!r}); "
        "print('\\n__BENCH__', time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, text=True, capture_output=True)
    wall = time.perf_counter() - start
    marker = [line for line in done.stdout.splitlines() if line.startswith("__BENCH__")]
    if done.returncode or not marker:
        return {"error": (done.stderr or done.stdout)[-800:], "wall_s": round(wall, 2)}
    _m, seconds, peak = marker[-1].split()
    return {"s": round(float(seconds), 2), "wall_s": round(wall, 2), "peak_mb": round(float(peak))}


def import_export(env, workdir: Path) -> dict:
    from bench import adapters

    return adapters.run_all(env, workdir, run_measured)


# --- Report ------------------------------------------------------------------------------------------------------


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    with contextlib.suppress(ValueError, OSError):
        info["memory_gb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0]
    return info


def sizes() -> dict:
    from members.models import Member, Notification
    from registrations.models import (
        InflowRegistration,
        IntakeReminder,
        OutflowRegistration,
        RegistrationEvent,
    )

    return {
        "members": Member.objects.count(),
        "outflows": OutflowRegistration.objects.count(),
        "inflows": InflowRegistration.objects.count(),
        "events": RegistrationEvent.objects.count(),
        "reminders": IntakeReminder.objects.count(),
        "notifications": Notification.objects.count(),
    }


def print_table(result: dict) -> None:
    rows = [("what", "p50", "p95", "floor p95", "target", "")]
    if "floor" in result:
        floor = result["floor"]["p95_ms"]
        rows.append(("bare Django view (floor)", result["floor"]["p50_ms"], floor, "", "", ""))
    for name, page in result.get("pages", {}).items():
        ok = "ok" if page["p95_ms"] < page["target_ms"] else "MISSED"
        rows.append((name, page["p50_ms"], page["p95_ms"], floor, f"< {page['target_ms']} ms", ok))
    job = result["deadline_job"]
    rows.append(
        (
            "deadline job (s)",
            job["median_s"],
            "",
            job["floor_s"],
            f"< {TARGET_JOB_S} s",
            "ok" if job["median_s"] < TARGET_JOB_S else "MISSED",
        )
    )
    for name, step in result["import_export"].items():
        if "skipped" in step:
            rows.append((name, "", "", step.get("floor", ""), "", step["skipped"]))
        else:
            rows.append(
                (
                    name,
                    step.get("value", ""),
                    "",
                    step.get("floor", ""),
                    step.get("target", ""),
                    step.get("ok", ""),
                )
            )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)))
        if k == 0:
            print("  ".join("-" * w for w in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=int(os.environ.get("BENCH_MEMBERS", 1_000_000)))
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/flowparty_bench"),
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8765)))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 40)))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-import-export", action="store_true")
    parser.add_argument(
        "--skip-pages", action="store_true", help="only the deadline job, the import and the export"
    )
    args = parser.parse_args()
    if not args.database.startswith("postgres"):
        raise SystemExit("the benchmark runs against PostgreSQL: set BENCH_DATABASE_URL=postgres://...")
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = bench_env(args.database, args.port)

    started = time.monotonic()
    ensure_database(args.database)
    manage(env, "migrate", "--noinput", "-v", "0")
    setup_django(env)
    from members.demo import bulk

    have = bulk.bulk_member_count()
    if have > args.members:
        raise SystemExit(
            f"{args.database} holds {have} bulk members, more than {args.members}: use another BENCH_DATABASE_URL "
            "or drop that database."
        )
    if have < args.members:
        print(f"seeding: {have} -> {args.members} bulk members")
        seed_started = time.monotonic()
        manage(env, "seed_demo", "--force", "--members", str(args.members))
        seed_seconds = round(time.monotonic() - seed_started)
    else:
        print(f"reusing {args.database}: {have} bulk members")
        seed_seconds = None
    manage(env, "collectstatic", "--noinput", "-v", "0")

    result = {
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "bulk_members": args.members,
        "seed_s": seed_seconds,
        "sizes": sizes(),
        "machine": machine(),
        "requests_per_page": args.requests,
        "gunicorn_workers": args.workers,
    }
    print(json.dumps(result["sizes"]))

    if not args.skip_pages:
        server = start_server(env, args.port, args.workers)
        try:
            cookies = {user: session_cookie(user) for user in ("orgdept", "sec_a")}
            clients = {user: Client(args.port, cookie) for user, cookie in cookies.items()}
            result["floor"] = measure(clients["orgdept"], "/__bench__/bare/", args.requests)
            result["pages"] = {}
            for name, (user, path, target) in page_paths().items():
                page = measure(clients[user], path, args.requests)
                page["target_ms"] = target
                result["pages"][name] = page
                print(f"  {name}: p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms")
            result["floor_after"] = measure(clients["orgdept"], "/__bench__/bare/", args.requests)
        finally:
            stop_server(server)

    result["deadline_job"] = time_deadline_job()
    print(f"  deadline job: {result['deadline_job']}")
    if args.skip_import_export:
        result["import_export"] = {}
    else:
        result["import_export"] = import_export(env, RESULTS / "work")
    result["machine"]["load_average_after"] = os.getloadavg()
    result["total_s"] = round(time.monotonic() - started)

    out = RESULTS / f"{datetime.now().astimezone():%Y%m%d-%H%M%S}-{args.members}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print()
    print_table(result)
    print(f"\nmachine: {result['machine']}")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
