"""Management pages (team, approvals, tasks, notifications, audit) as open cases grow.

    .venv/bin/python bench/manage_pages.py [--db sqlite|postgres|both] [SIZES…] [--rounds 15]

SIZES are numbers of open cases in the supervisor's branch, grown in place (default 10 000 100 000).
The cases are generated as in ``bench/sweep.py`` (copies of one registered case, batched inserts,
all *investigating*, assigned to handler1, each with its deadline and warning rows; no events).
Each page is fetched through Django's test client as the role that uses it (full middleware,
session, template); the figures are the median and p95 of ROUNDS requests after one warm-up,
and the number of SQL queries of one request. The page cost should follow what the page shows
(bounded lists, grouped counts), not the number of open cases.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import BenchEnv, median, parser, pct, run_each_db, strip_db, table

PAGES = (
    ("supervisor1", "/team/"),
    ("supervisor1", "/approvals/"),
    ("supervisor1", "/notifications/"),
    ("handler1", "/tasks/"),
    ("auditor1", "/audit/"),
    ("auditor1", "/audit/?actor=handler1"),
)


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--rounds", type=int, default=15)
    args = p.parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    sizes = sorted(set(args.sizes or [10_000, 100_000]))

    with BenchEnv(args.db, "manage") as env:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from sweep import Generator

        from redressal.cases.services import RegisterInput, register_case
        from redressal.core.clock import now
        from redressal.org.authz import actor_for
        from redressal.org.models import Staff
        from redressal.org.services import create_staff

        settings.ALLOWED_HOSTS = ["*"]
        bank = env.bank
        assert bank is not None
        create_staff("auditor1", "bench-password-0123", bank.ho, ["auditor"])
        template = register_case(
            RegisterInput(request_type="complaint", channel="hotline", description="信用卡年费未经同意被扣收。",
                          complainant_name="张三", product="信用卡", demand=["refund"]),
            actor=actor_for(bank.agent),
        )
        gen = Generator(template, bank.handler.pk, now())
        clients: dict[str, Any] = {}
        for username in {u for u, _ in PAGES}:
            c = Client()
            c.force_login(Staff.objects.get(username=username))
            clients[username] = c
        rows = []
        for size in sizes:
            took = gen.grow_to(size)
            print(f"  {size:,} open cases generated in {took:.1f}s", flush=True)
            for username, url in PAGES:
                c = clients[username]
                assert c.get(url).status_code == 200, url
                times = []
                for _ in range(args.rounds):
                    t0 = time.perf_counter()
                    c.get(url)
                    times.append((time.perf_counter() - t0) * 1000)
                with CaptureQueriesContext(connection) as q:
                    c.get(url)
                rows.append([f"{size:,}", username, url, f"{median(times):.1f}", f"{pct(times, 95):.1f}", len(q)])
        print(f"\n[manage_pages] {env.describe()}; {args.rounds} requests per page")
        print(table(["open cases", "as", "page", "median ms", "p95 ms", "queries"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
