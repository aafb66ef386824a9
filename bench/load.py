"""`make load` (part of `make bench`): 50 concurrent users mixing every role's pages for 60 seconds against
gunicorn and PostgreSQL with the demo data (issue 9). Traffic goes to 127.0.0.1 only; each user's loop is
bounded in time and in requests. Prints p50/p95 per role and overall, writes JSON, and exits non-zero on any
error (a status of 400 or more, or a failed connection).
"""

import argparse
import json
import os
import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.parse import urlencode

from bench.run import (
    RESULTS,
    Client,
    bench_env,
    ensure_database,
    manage,
    percentile,
    session_cookie,
    setup_django,
    start_server,
    stop_server,
)

MAX_REQUESTS_PER_USER = 5_000  # a second bound besides the duration


def role_pages() -> dict[str, list[str]]:
    """Each demo account's everyday pages, resolved from the demo data."""
    from members.models import Member, SecondaryOrganization
    from registrations.models import OutflowRegistration

    org = SecondaryOrganization.objects.get(code="S01")
    member_a = Member.objects.get(user__username="member_a")
    some_member = Member.objects.filter(secondary=org).exclude(pk=member_a.pk).order_by("pk").first()
    some_outflow = OutflowRegistration.objects.filter(secondary=org).order_by("pk").first()
    return {
        "orgdept": [
            "/",
            "/reports/",
            "/members/?mobile=true",
            "/registrations/outflows/?overdue=true",
            "/registrations/pending/",
            "/reports/statistics/",
            f"/members/{some_member.pk}/",
        ],
        "sec_a": [
            "/",
            "/members/",
            "/registrations/outflows/",
            "/registrations/inflows/",
            f"/registrations/outflows/{some_outflow.pk}/",
            f"/checklists/organizations/{org.pk}/",
            "/members/?" + urlencode({"q": "王"}),
        ],
        "branch_a1": ["/", "/members/", "/registrations/outflows/"],
        "member_a": ["/", "/registrations/me/", "/checklists/me/", f"/members/{member_a.pk}/"],
        "member_in": ["/", "/registrations/me/"],
    }


def user_loop(port: int, role: str, cookie: str, pages: list[str], until: float, seed: int, out: dict, lock):
    rng = random.Random(seed)
    client = Client(port, cookie)
    latencies, errors = [], []
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= until:
            break
        path = rng.choice(pages)
        try:
            status, ms, _body = client.get(path)
        except OSError as exc:
            errors.append(f"{path}: {exc}")
            continue
        latencies.append(ms)
        if status >= 400:
            errors.append(f"{path}: HTTP {status}")
        time.sleep(rng.uniform(0.05, 0.3))  # a person reading, not a tight loop
    with lock:
        out["latencies"][role].extend(latencies)
        out["errors"].extend(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/flowparty_load"),
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8766)))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = bench_env(args.database, args.port)
    ensure_database(args.database)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--force")  # idempotent: the demo university, as `make run` shows it
    manage(env, "collectstatic", "--noinput", "-v", "0")
    setup_django(env)
    pages = role_pages()
    cookies = {role: session_cookie(role) for role in pages}
    roles = list(pages)
    out = {"latencies": defaultdict(list), "errors": []}
    lock = threading.Lock()
    server = start_server(env, args.port, args.workers)
    try:
        until = time.monotonic() + args.seconds
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            futures = []
            for i in range(args.users):
                role = roles[i % len(roles)]
                futures.append(
                    pool.submit(user_loop, args.port, role, cookies[role], pages[role], until, i, out, lock)
                )
            for future in futures:  # a user whose loop crashed is an error too, never a silent gap
                try:
                    future.result()
                except Exception as exc:  # noqa: BLE001
                    out["errors"].append(f"user loop failed: {exc!r}")
    finally:
        stop_server(server)
    everything = [ms for values in out["latencies"].values() for ms in values]
    result = {
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "users": args.users,
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "requests": len(everything),
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:20],
        "p50_ms": round(percentile(everything, 50), 1) if everything else None,
        "p95_ms": round(percentile(everything, 95), 1) if everything else None,
        "by_role": {
            role: {
                "requests": len(v),
                "p50_ms": round(percentile(v, 50), 1),
                "p95_ms": round(percentile(v, 95), 1),
            }
            for role, v in out["latencies"].items()
            if v
        },
        "load_average": os.getloadavg(),
    }
    path = RESULTS / f"load-{datetime.now().astimezone():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(
        f"load test: {args.users} users for {args.seconds} s: {result['requests']} requests, "
        f"{result['errors']} errors, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms"
    )
    for role, figures in result["by_role"].items():
        print(
            f"  {role:10} {figures['requests']:6} requests  p50 {figures['p50_ms']:7} ms  p95 {figures['p95_ms']:7} ms"
        )
    print(f"written {path}")
    if out["errors"]:
        raise SystemExit("errors under load: " + "; ".join(out["errors"][:5]))


if __name__ == "__main__":
    main()
