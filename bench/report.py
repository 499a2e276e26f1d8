"""The regulatory report and the dashboard over many cases (SPEC §12; targets: a quarter's report over
1 M cases on PostgreSQL in ≤ 2 s, the dashboard's p95 ≤ 300 ms at 1 M).

    .venv/bin/python bench/report.py [--db sqlite|postgres|both] [SIZE] [--requests 20]

SIZE is the number of cases (default: SQLite 100 000, PostgreSQL 1 000 000). The cases are the pages
benchmark's copies (``bench/pages.py``: priority and channel spread, three in four closed) received
over the last two years instead of three days, each with the reported facts the ``insight`` projection
would hold for it: a first version (registered, codes unconfirmed) and, once decided, a second (codes
confirmed, decided on time or not, extended, paused) — and for one case in ten a third, a B code
corrected a month after the decision (the correction a closed quarter must not see). Written by
batched insert, like the cases.

The dashboards' roll-ups are then rebuilt from the case rows (``insight.rollups.rebuild``, timed: what
``redressal insight-rebuild`` does after an upgrade). Figures: the last closed quarter's report
(``insight.regulatory.compute`` for the whole bank: every query of the report, as the page and the API
run it) and the year's, five runs each; then the
dashboard page through Django's test client as compliance (wall clock of the whole request, in
process), and each of its charts' queries alone. PostgreSQL: EXPLAIN ANALYZE of the report's main
grouped query.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import PASSWORD, BenchEnv, bulk_insert, median, parser, pct, register_template, run_each_db, strip_db, table
from pages import SpreadGenerator

DEFAULT_SIZE = {"sqlite": 100_000, "postgres": 1_000_000}
SPAN = 730 * 86_400  # two years, in seconds
A_CODES = {"hotline": "A0302", "counter": "A01", "mobile_banking": "A0303", "wechat": "A0304"}
BUSINESS = ["B01", "B0201", "B0202", "B0301", "B0302", "B04", "B0801", "B0803", "B09", "B99"]
CAUSE = ["C01", "C02", "C03", "C04", "C05", "C06", "C08", "C11", "C99"]


class ReportGenerator(SpreadGenerator):
    """The pages benchmark's cases over two years, and their reported facts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Max

        from redressal.insight.models import ReportedFact

        self.fact_base = int(ReportedFact.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000
        self.fact_table = ReportedFact._meta.db_table
        self.fact_cols = [
            "id",
            "case_id",
            "valid_from",
            "valid_to",
            "kind",
            "request_type",
            "source",
            "channel",
            "business",
            "cause",
            "unit_id",
            "received_at",
            "decided_at",
            "on_time",
            "extension_level",
            "was_paused",
            "merged",
            "outcome",
            "review_of_id",
        ]
        self.facts = 0
        self.pending: list[tuple[Any, ...]] = []

    def rows(self, start: int, stop: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        cases, deadlines, warnings = super().rows(start, stop)
        ix = self.idx
        dt = self.dt
        out, facts = [], []
        for n, row in enumerate(cases):
            i = start + n
            v = list(row)
            received = self.t - timedelta(seconds=(i * 7919) % SPAN, microseconds=(i * 104_729) % 1_000_000)
            v[ix["received_at"]] = dt(received)
            v[ix["registered_at"]] = dt(received)
            v[ix["accepted_at"]] = dt(received + timedelta(hours=1))
            closed = i % 4 != 0
            decided = received + timedelta(days=2 + (i * 13) % 38) if closed else None
            if closed:
                v[ix["decided_at"]] = dt(decided)
                v[ix["closed_at"]] = dt(decided)
            out.append(tuple(v))
            cid = self.case_id(i)
            channel = A_CODES[v[ix["channel"]]]
            unit = v[ix["unit_id"]]
            first = [
                cid,
                received,
                decided,
                "primary",
                "complaint",
                "customer",
                channel,
                "",
                "",
                unit,
                received,
                None,
                None,
                0,
                False,
                False,
                "",
                None,
            ]
            versions = [first]
            if decided is not None:
                extension = 2 if i % 50 == 0 else 1 if i % 10 == 0 else 0
                second = [
                    cid,
                    decided,
                    None,
                    "primary",
                    "complaint",
                    "customer",
                    channel,
                    BUSINESS[i % len(BUSINESS)],
                    CAUSE[(i // 3) % len(CAUSE)],
                    unit,
                    received,
                    decided,
                    (decided - received).days <= 15,
                    extension,
                    i % 17 == 0,
                    False,
                    "upheld",
                    None,
                ]
                if i % 10 == 3:  # corrected a month after the decision
                    corrected = decided + timedelta(days=30)
                    second[2] = corrected
                    third = list(second)
                    third[1], third[2], third[7] = corrected, None, "B99"
                    versions += [second, third]
                else:
                    versions.append(second)
            for version in versions:
                version[1], version[2], version[10], version[11] = (
                    dt(version[1]),
                    dt(version[2]),
                    dt(version[10]),
                    dt(version[11]),
                )
                facts.append((self.fact_base + self.facts, *version, "[]"))  # shares: set by rollups.rebuild
                self.facts += 1
        self.pending = facts  # written after the cases they point at (``_insert``)
        return out, deadlines, warnings

    def _insert(self, table_name: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
        super()._insert(table_name, cols, rows)
        if table_name == self.tables[0]:
            bulk_insert(self.connection, self.fact_table, self.fact_cols, self.pending)
            self.pending = []

    def _after_load(self) -> None:
        super()._after_load()
        if self.vendor == "postgresql":
            with self.connection.cursor() as cur:
                cur.execute(f"VACUUM (ANALYZE) {self.fact_table}")


def timed_runs(fn: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--requests", type=int, default=20, help="timed dashboard requests (default 20)")
    args = p.parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    size = args.sizes[0] if args.sizes else DEFAULT_SIZE[args.db]

    with BenchEnv(args.db, "report") as env:
        from django.db import connection
        from django.db.models import Count
        from django.test import Client

        from redressal.core.clock import now
        from redressal.domain.reporting import Period
        from redressal.insight import dashboards as d
        from redressal.insight import rollups
        from redressal.insight.models import ReportedFact
        from redressal.insight.regulatory import complaints, compute, scope_of, whole_bank
        from redressal.org.authz import actor_for
        from redressal.org.services import create_staff

        bank = env.bank
        assert bank is not None
        compliance = create_staff("compliance1", PASSWORD, bank.ho, ["compliance"])
        template = register_template(bank)
        gen = ReportGenerator(template, bank.handler.pk, now())
        load0 = os.getloadavg()
        gen_s = gen.grow_to(size)
        facts = ReportedFact.objects.count()
        t0 = time.perf_counter()
        rollup_rows = rollups.rebuild()
        print(
            f"[report] dashboard roll-ups rebuilt from the cases: {rollup_rows:,} rows in "
            f"{time.perf_counter() - t0:.1f}s",
            flush=True,
        )
        print(
            f"[report] {env.describe()}; {size:,} cases and {facts:,} fact versions generated in {gen_s:.1f}s; "
            f"load {load0[0]:.2f}",
            flush=True,
        )

        today = now().date()
        quarter = (today.month - 1) // 3 + 1
        closed = Period(today.year, quarter - 1) if quarter > 1 else Period(today.year - 1, 4)
        year = Period(today.year - 1)
        scope = whole_bank()
        rows = []
        for label, period in ((f"quarter {closed.label}", closed), (f"year {year.label}", year)):
            report = compute(scope, period)  # warm
            took = timed_runs(lambda period=period: compute(scope, period), 5)
            rows.append(
                [
                    f"report {label}",
                    report["total"],
                    f"{median(took) * 1000:.0f}",
                    f"{min(took) * 1000:.0f}",
                    f"{max(took) * 1000:.0f}",
                ]
            )
            print(f"  report {label}: {report['total']:,} complaints, median {median(took) * 1000:.0f} ms", flush=True)
        print()
        print(f"Regulatory report on {args.db}, {size:,} cases (5 runs each, after one warm-up)")
        print(table(["report", "complaints", "median ms", "min ms", "max ms"], rows))

        actor = actor_for(compliance)
        units = d.scope(actor)
        moment = now()
        charts = [
            ("volume by type", lambda: d.volume_by_type(units, moment)),
            ("volume by channel", lambda: d.volume_by_channel(units, moment)),
            ("by business", lambda: d.by_code(units, moment, "business")),
            ("by cause", lambda: d.by_code(units, moment, "cause")),
            ("by unit", lambda: d.volume_by_unit(units, moment)),
            ("open by state", lambda: d.open_by_state(units, moment)),
            ("open by age", lambda: d.open_by_age(units, moment)),
            ("timeliness", lambda: d.timeliness(units, moment)),
            ("at risk / overdue", lambda: d.at_risk_and_overdue(units, moment)),
            ("satisfaction", lambda: d.satisfaction(units, moment)),
            ("top products", lambda: d.top_products(units, moment)),
            ("unit × week", lambda: d.unit_week_heatmap(units, moment)),
            ("mass incidents", lambda: d.mass_incidents(units, moment)),
        ]
        chart_rows = []
        for name, fn in charts:
            fn()
            took = timed_runs(fn, 5)
            chart_rows.append([name, f"{median(took) * 1000:.1f}", f"{max(took) * 1000:.1f}"])
        client = Client()
        assert client.post("/login/", {"username": "compliance1", "password": PASSWORD}).status_code == 302
        for _ in range(3):
            assert client.get("/dashboard/").status_code == 200
        took = timed_runs(lambda: client.get("/dashboard/"), args.requests)
        print()
        print(
            f"Dashboard on {args.db}, {size:,} cases: the page in process as compliance, {args.requests} requests: "
            f"p50 {median(took) * 1000:.0f} ms, p95 {pct(took, 95) * 1000:.0f} ms, max {max(took) * 1000:.0f} ms"
        )
        print(table(["chart", "median ms", "max ms"], chart_rows))
        if connection.vendor == "postgresql":
            end_moment: datetime = closed.bounds(ZoneInfo("Asia/Shanghai"))[1]
            qs = (
                complaints(scope_of(actor), closed, end_moment)
                .values("channel", "business", "cause", "unit_id", "source")
                .order_by()
            )
            plan = qs.annotate(n=Count("id")).explain(analyze=True, buffers=True)
            print(f"\nEXPLAIN the quarter's grouped count ({args.db}):\n  " + plan.replace("\n", "\n  "))
        load1 = os.getloadavg()
        print(f"\nload average before/after: {load0[0]:.2f} / {load1[0]:.2f} (other work on the machine skews figures)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
