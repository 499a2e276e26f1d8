"""Workbench page latency over HTTP: the queue (first, filtered, deep page), all cases, the case page.

    .venv/bin/python bench/pages.py [--db sqlite|postgres|both] [SIZE] [--requests 40] [--port 8101]

SIZE is the number of cases (default: SQLite 100 000, PostgreSQL 1 000 000). The cases are generated
as in ``bench/sweep.py`` (one case registered through ``register_case`` as template, copies by
batched insert, assigned to handler1, with deadline and warning rows), here with priority P1–P4 and
four channels spread over the rows so filters select a share of them, and three quarters of them
*closed* (a mature database is mostly finished cases): handler1's queue holds the open quarter.

A real server: gunicorn (1 worker, 1 thread: requests are sequential) on 127.0.0.1:PORT over the bench
database, a logged-in ``requests`` session per user. Per page: 5 warm-up requests, then REQUESTS
timed ones (wall clock, client side, status must be 200); p50 / p95 / max in ms. Pages:

  * queue first page — ``/queue/`` as handler1 (every open case is in this one queue: the worst case);
  * queue filtered — ``/queue/?priority=P1&channel=counter`` (≈ 2.5 % of the rows);
  * queue deep — ``/queue/?after=<cursor>`` with the cursor of the middle row of the queue;
  * all cases — ``/`` as the branch head (scope: the whole branch; open cases, the default);
  * all cases incl. closed — ``/?include_closed=on`` as the branch head;
  * case page — ``/cases/<id>/`` for random generated cases.

The machine is shared (2 cores, other jobs): wall-clock figures include waiting for a core. So
each page is also requested in-process through Django's test client and the process CPU time of
the request is reported ("cpu ms": Python work of view + template, excluding the database
server's own work, which the EXPLAIN ANALYZE figures show).

Then the EXPLAIN of the queue's first-page and deep-page queries and of the all-cases first page
(PostgreSQL: ANALYZE, BUFFERS).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import PASSWORD, REPO, BenchEnv, median, parser, pct, register_template, run_each_db, strip_db, table
from sweep import Generator

DEFAULT_SIZE = {"sqlite": 100_000, "postgres": 1_000_000}
PRIORITIES = ["P1"] * 1 + ["P2"] * 2 + ["P3"] * 5 + ["P4"] * 2
CHANNELS = ["hotline", "counter", "mobile_banking", "wechat"]


class SpreadGenerator(Generator):
    """The sweep's copies, with priority and channel spread so that filters have something to select."""

    def rows(self, start: int, stop: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        cases, deadlines, warnings = super().rows(start, stop)
        ix = self.idx
        out = []
        for n, row in enumerate(cases):
            i = start + n
            v = list(row)
            v[ix["priority"]] = PRIORITIES[(i * 7) % len(PRIORITIES)]
            v[ix["channel"]] = CHANNELS[(i // 3) % len(CHANNELS)]
            if i % 4:  # three in four finished
                v[ix["status"]] = "closed"
                v[ix["decided_at"]] = v[ix["accepted_at"]]
                v[ix["closed_at"]] = v[ix["accepted_at"]]
                v[ix["outcome"]] = "upheld"
            out.append(tuple(v))
        return out, deadlines, warnings


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [gunicorn, "redressal.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "1",
         "--timeout", "120", "--log-level", "warning"],
        env={**env, "REDRESSAL_LOG_LEVEL": "WARNING"},
        cwd=REPO,
    )
    import requests

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("server did not start")


def session(base: str, username: str) -> Any:
    import requests

    s = requests.Session()
    page = s.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    r = s.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302, f"login of {username} failed: {r.status_code}"
    return s


def timed(s: Any, urls: list[str], warm: int = 5) -> list[float]:
    for url in urls[:warm]:
        s.get(url, timeout=120)
    out = []
    for url in urls:
        t0 = time.perf_counter()
        r = s.get(url, timeout=120)
        out.append(time.perf_counter() - t0)
        if r.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {r.status_code}")
    return out


def cpu_times(username: str, paths: list[str], warm: int = 3) -> list[float]:
    """Process CPU seconds per request, in-process (the same view code, no HTTP, no scheduler wait)."""
    from django.test import Client

    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    for path in paths[:warm]:
        client.get(path)
    out = []
    for path in paths:
        t0 = time.process_time()
        r = client.get(path)
        out.append(time.process_time() - t0)
        assert r.status_code == 200, (path, r.status_code)
    return out


def explain(qs: Any) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return str(qs.explain(analyze=True, buffers=True))
    return str(qs.explain())


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--requests", type=int, default=40, help="timed requests per page (default 40)")
    p.add_argument("--port", type=int, default=8101)
    args = p.parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    size = args.sizes[0] if args.sizes else DEFAULT_SIZE[args.db]

    with BenchEnv(args.db, "pages") as env:
        from redressal.cases.models import Case
        from redressal.core.clock import now
        from redressal.org.authz import actor_for
        from redressal.web.paging import DATED_KEY, OVERDUE, UPCOMING, Cursor, keyset_page, segment, segment_of

        bank = env.bank
        assert bank is not None
        template = register_template(bank)
        gen = SpreadGenerator(template, bank.handler.pk, now())
        load0 = os.getloadavg()
        gen_s = gen.grow_to(size)
        total = Case.objects.count()
        print(f"[pages] {env.describe()}; {total:,} cases generated in {gen_s:.1f}s; load {load0[0]:.2f}", flush=True)

        handler = actor_for(bank.handler)
        queue_qs = Case.objects.filter(assignee_id=handler.id, closed_at__isnull=True)
        t0 = time.perf_counter()
        in_queue = queue_qs.count()
        moment = now()
        urgency, due, received, pk = queue_qs.filter(decision_due_at__isnull=False).order_by(*DATED_KEY).values_list(
            *DATED_KEY
        )[in_queue // 2]
        deep = Cursor(segment_of(due, moment), urgency, due, received, pk).encode()
        print(
            f"[pages] {in_queue:,} open cases in handler1's queue; cursor at row {in_queue // 2:,} found in "
            f"{time.perf_counter() - t0:.1f}s",
            flush=True,
        )
        rng = random.Random(20261123)
        ids = [gen.case_id(rng.randrange(gen.count)) for _ in range(args.requests)]

        base = f"http://127.0.0.1:{args.port}"
        server = start_server(env.env, args.port)
        try:
            h = session(base, "handler1")
            b = session(base, "branchhead1")
            n = args.requests
            pages = [
                ("queue first page", h, "handler1", ["/queue/"] * n),
                ("queue filtered P1+counter", h, "handler1", ["/queue/?priority=P1&channel=counter"] * n),
                (f"queue deep (row {in_queue // 2:,})", h, "handler1", [f"/queue/?after={deep}"] * n),
                ("all cases first page", b, "branchhead1", ["/"] * n),
                ("all cases incl. closed", b, "branchhead1", ["/?include_closed=on"] * n),
                ("case page", h, "handler1", [f"/cases/{i}/" for i in ids]),
            ]
            rows = []
            for name, s, _user, paths in pages:
                took = timed(s, [base + path for path in paths])
                rows.append(
                    [
                        name,
                        len(took),
                        f"{median(took) * 1000:.1f}",
                        f"{pct(took, 95) * 1000:.1f}",
                        f"{max(took) * 1000:.1f}",
                    ]
                )
                print(f"  {name}: p95 {pct(took, 95) * 1000:.1f} ms", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

        for row, (_name, _s, user, paths) in zip(rows, pages, strict=True):
            cpu = cpu_times(user, paths)
            row += [f"{median(cpu) * 1000:.1f}", f"{pct(cpu, 95) * 1000:.1f}"]
        print()
        print(f"Workbench pages on {args.db}, {total:,} cases, {args.requests} requests each (gunicorn 1×1)")
        print(table(["page", "n", "p50 ms", "p95 ms", "max ms", "cpu p50 ms", "cpu p95 ms"], rows))

        first = segment(queue_qs, OVERDUE, moment)[:51]
        print(f"\nEXPLAIN queue first page, overdue segment ({args.db}):\n  " + explain(first).replace("\n", "\n  "))
        first = segment(queue_qs, UPCOMING, moment)[:51]
        print(f"\nEXPLAIN queue first page, on-time segment ({args.db}):\n  " + explain(first).replace("\n", "\n  "))
        cursor = Cursor.decode(deep)
        assert cursor is not None
        page = keyset_page(queue_qs, after=cursor, before=None, size=50, now=moment)
        print(f"deep page returned {len(page.rows)} rows")
        from redressal.web.paging import _beyond

        deep_qs = _beyond(segment(queue_qs, cursor.segment, moment), cursor, ">")[:51]
        print(f"\nEXPLAIN queue deep page ({args.db}):\n  " + explain(deep_qs).replace("\n", "\n  "))
        from redressal.search.selectors import case_list

        everything = case_list(actor_for(bank.head), now=now()).filter(closed_at__isnull=True)
        first_all = segment(everything, UPCOMING, moment)
        print(f"\nEXPLAIN all cases first page ({args.db}):\n  " + explain(first_all[:51]).replace("\n", "\n  "))
        load1 = os.getloadavg()
        print(f"\nload average before/after: {load0[0]:.2f} / {load1[0]:.2f} (other work on the machine skews figures)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
