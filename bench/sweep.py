"""Deadline sweep: time of one ``sweep_warnings`` with a constant number of due warnings as open cases grow.

    .venv/bin/python bench/sweep.py [--db sqlite|postgres|both] [SIZES…] [--due 1000] [--rounds 5]

SIZES are numbers of open cases, grown in place from the smallest to the largest. Defaults:
SQLite ``10000 100000``; PostgreSQL ``10000 100000 1000000``. 1M on SQLite works too
(``--db sqlite 10000 100000 1000000``, a few minutes more of data generation).

Data. One case is registered through ``register_case`` and serves as the template; the open cases
are copies of it written directly with batched inserts (``COPY … FROM STDIN`` on PostgreSQL,
``executemany`` in 20 000-case transactions on SQLite): benchmark data generation, not business
logic. Each generated case is *investigating*, assigned to a handler (→ supervisor → branch head),
received 0–3 days before "now" T, with 2 deadline rows (first contact met, decision running),
1 fired warning (first contact 50 %) and 4 pending warnings (decision 50 %, 80 %, 2d, breach), all
in the future. No events are generated for them. After loading: ``VACUUM ANALYZE`` on PostgreSQL
(what autovacuum would do), a WAL checkpoint on SQLite.

Measurement, per size:
  * nothing due: ``sweep_warnings(at=T)`` with no pending warning at or before T (median of 5);
  * DUE due (default 1000, the target of issue 12: ≤ 1 s at 1M open cases on PostgreSQL): DUE warnings
    of distinct, never-reused cases (a quarter each 50 %, 80 %, 2d, breach) are moved to T − 1 min,
    then one ``sweep_warnings(at=T)`` is timed; median/min/max of ROUNDS rounds. This is the real
    sweep: claim, event on breach (hash chain), deadline state, notifications, and the automatic
    escalation asked for at each breach and first at-risk warning (750 of 1000 here). Its share,
    the time spent in the sweep's ``_escalate``, is shown apart: with no routing rule in the bench
    each one is triage's look-up of the rules for its trigger;
  * the queries of one more such sweep (``CaptureQueriesContext``), counted per size and, for the
    first size, by statement and table;
  * the plan of the due-warnings query (the same queryset as the sweep) by ``EXPLAIN`` — ANALYZE,
    BUFFERS on PostgreSQL, QUERY PLAN on SQLite — and whether it names ``warning_pending_idx``.
The sweep's cost should follow the due warnings, not the open cases: the ratio to the first size
should stay near 1.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import (
    BenchEnv,
    bulk_insert,
    median,
    parser,
    queries_by_table,
    register_template,
    run_each_db,
    strip_db,
    table,
)

CHUNK = 20_000  # cases per insert transaction
DEFAULT_SIZES = {"sqlite": [10_000, 100_000], "postgres": [10_000, 100_000, 1_000_000]}


class Generator:
    """Copies of a template case, its deadline rows and warning rows, with contiguous ids."""

    def __init__(self, template_case: Any, handler_id: int, t_now: datetime) -> None:
        from django.db import connection
        from django.db.models import JSONField, Max

        from redressal.cases.models import Case, CaseDeadline, DeadlineWarning

        self.connection = connection
        self.vendor = connection.vendor
        self.t = t_now
        self.tmpl = template_case
        self.handler_id = handler_id
        self.count = 0

        deadlines = {d.kind: d for d in CaseDeadline.objects.filter(case=template_case)}
        self.first_contact = deadlines["first_contact"]
        self.decision = deadlines["decision"]
        warnings = list(DeadlineWarning.objects.filter(case=template_case).order_by("deadline_kind", "fire_at"))
        self.fired_tmpl = next(w for w in warnings if w.deadline_kind == "first_contact")
        self.pending_tmpl = [w for w in warnings if w.deadline_kind == "decision"]
        self.per_case = 1 + len(self.pending_tmpl)
        self.labels = [w.label for w in self.pending_tmpl]

        # Case columns: template values as the database wants them, except the ones set per row.
        self.case_fields = [f for f in Case._meta.concrete_fields if not f.generated]  # the database computes those
        self.case_cols = [f.column for f in self.case_fields]
        self.case_values: list[Any] = []
        for f in self.case_fields:
            value = getattr(template_case, f.attname)
            if isinstance(f, JSONField):
                self.case_values.append(json.dumps(value, ensure_ascii=False))
            else:
                self.case_values.append(f.get_db_prep_save(value, connection))
        self.idx = {f.attname: n for n, f in enumerate(self.case_fields)}

        def next_id(model: Any) -> int:
            return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000

        self.case_base = next_id(Case)
        self.deadline_base = next_id(CaseDeadline)
        self.warning_base = next_id(DeadlineWarning)
        self.tables = (Case._meta.db_table, CaseDeadline._meta.db_table, DeadlineWarning._meta.db_table)
        self.models = (Case, CaseDeadline, DeadlineWarning)

    # -- values
    def dt(self, value: datetime | None) -> Any:
        if value is None or self.vendor != "sqlite":
            return value
        return self.connection.ops.adapt_datetimefield_value(value)

    def case_id(self, i: int) -> int:
        return self.case_base + i

    def pending_warning_id(self, i: int, k: int) -> int:
        """Warning id of case ``i`` (0-based), pending warning ``k`` (index into ``self.labels``)."""
        return self.warning_base + i * self.per_case + 1 + k

    def rows(self, start: int, stop: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        tmpl = self.tmpl
        ix = self.idx
        dt = self.dt
        cases, deadlines, warnings = [], [], []
        base_values = list(self.case_values)
        base_values[ix["status"]] = "investigating"
        base_values[ix["assignee_id"]] = self.handler_id
        base_values[ix["last_event_seq"]] = 0
        base_values[ix["last_event_hash"]] = ""
        fc, dec, fired = self.first_contact, self.decision, self.fired_tmpl
        for i in range(start, stop):
            received = self.t - timedelta(seconds=(i * 7919) % 259_200, microseconds=(i * 104_729) % 1_000_000)
            shift = received - tmpl.received_at
            cid = self.case_id(i)
            v = list(base_values)
            v[ix["id"]] = cid
            v[ix["case_number"]] = f"BENCH{i:09d}"
            v[ix["received_at"]] = dt(received)
            v[ix["registered_at"]] = dt(received)
            v[ix["accepted_at"]] = dt(received + timedelta(hours=1))
            v[ix["decision_due_at"]] = dt(dec.due_at + shift)
            cases.append(tuple(v))
            fc_row = (self.deadline_base + 2 * i, cid, "first_contact", dt(fc.due_at + shift))
            deadlines.append((*fc_row, dt(fc.legal_due_at + shift), "met", "[]"))
            dec_row = (self.deadline_base + 2 * i + 1, cid, "decision", dt(dec.due_at + shift))
            deadlines.append((*dec_row, dt(dec.legal_due_at + shift), "running", "[]"))
            fire = dt(fired.fire_at + shift)
            w0 = self.warning_base + i * self.per_case
            warnings.append((w0, cid, "first_contact", fired.label, fire, dt(fired.due_at + shift), fire, False))
            due = dt(dec.due_at + shift)
            for k, w in enumerate(self.pending_tmpl):
                warnings.append((w0 + 1 + k, cid, "decision", w.label, dt(w.fire_at + shift), due, None, False))
        return cases, deadlines, warnings

    # -- writing
    def grow_to(self, size: int) -> float:
        from django.db import transaction

        t0 = time.perf_counter()
        dl_cols = ["id", "case_id", "kind", "due_at", "legal_due_at", "state", "history"]
        w_cols = ["id", "case_id", "deadline_kind", "label", "fire_at", "due_at", "fired_at", "skipped"]
        for start in range(self.count, size, CHUNK):
            stop = min(size, start + CHUNK)
            cases, deadlines, warnings = self.rows(start, stop)
            with transaction.atomic():
                self._insert(self.tables[0], self.case_cols, cases)
                self._insert(self.tables[1], dl_cols, deadlines)
                self._insert(self.tables[2], w_cols, warnings)
        self.count = max(self.count, size)
        self._after_load()
        return time.perf_counter() - t0

    def _insert(self, table_name: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
        bulk_insert(self.connection, table_name, cols, rows)

    def _after_load(self) -> None:
        from django.core.management.color import no_style

        with self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                for sql in self.connection.ops.sequence_reset_sql(no_style(), list(self.models)):
                    cur.execute(sql)
                cur.execute(f"VACUUM (ANALYZE) {', '.join(self.tables)}")
            else:
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# -------------------------------------------------------------------------------------------- sweep


def due_queryset(moment: datetime, batch: int = 1000) -> Any:
    """The sweep's due-warnings query, exactly as ``sweep_warnings`` builds it."""
    from redressal.cases.models import DeadlineWarning

    return (
        DeadlineWarning.objects.filter(fired_at__isnull=True, fire_at__lte=moment)
        .order_by("fire_at")
        .values_list("pk", "case_id", "deadline_kind", "label", "due_at")[:batch]
    )


def explain(moment: datetime) -> str:
    from django.db import connection

    qs = due_queryset(moment)
    if connection.vendor == "postgresql":
        return str(qs.explain(analyze=True, buffers=True))
    return str(qs.explain())


class Arming:
    """Makes DUE pending warnings of distinct, never-reused cases due at T (a quarter of each label)."""

    def __init__(self, gen: Generator, due: int, seed: int = 20261123) -> None:
        self.gen = gen
        self.due = due
        self.used: set[int] = set()
        self.rng = random.Random(seed)

    def arm(self) -> None:
        from redressal.cases.models import DeadlineWarning

        picked: list[int] = []
        while len(picked) < self.due:
            i = self.rng.randrange(self.gen.count)
            if i not in self.used:
                self.used.add(i)
                picked.append(i)
        ids = [self.gen.pending_warning_id(i, j % len(self.gen.labels)) for j, i in enumerate(picked)]
        moment = self.gen.t - timedelta(minutes=1)
        n = DeadlineWarning.objects.filter(pk__in=ids, fired_at__isnull=True).update(fire_at=moment)
        if n != self.due:
            print(f"  !! armed {n} warnings, wanted {self.due}")


class EscalationClock:
    """Times the sweep's ``_escalate`` (the automatic escalations of SPEC §7, handed to triage) apart
    from the rest of the sweep; nothing to time when the sweep has no such function."""

    def __init__(self) -> None:
        from redressal.cases.services import warnings

        self.inner = getattr(warnings, "_escalate", None)
        self.spent = 0.0
        if self.inner is not None:
            warnings._escalate = self._timed  # type: ignore[attr-defined]

    @property
    def present(self) -> bool:
        return self.inner is not None

    def _timed(self, *args: Any, **kwargs: Any) -> Any:
        assert self.inner is not None
        t0 = time.perf_counter()
        try:
            return self.inner(*args, **kwargs)
        finally:
            self.spent += time.perf_counter() - t0


def timed_sweep(moment: datetime, clock: EscalationClock | None = None) -> tuple[float, int, float]:
    """Seconds of one sweep, warnings handled, and seconds of it spent escalating."""
    from redressal.cases.services.warnings import sweep_warnings

    before = clock.spent if clock is not None else 0.0
    t0 = time.perf_counter()
    fired = sweep_warnings(at=moment)
    took = time.perf_counter() - t0
    return took, fired, (clock.spent - before) if clock is not None else 0.0


def count_queries(moment: datetime) -> tuple[int, int, list[tuple[str, int]]]:
    from collections import deque

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from redressal.cases.services.warnings import sweep_warnings

    # Django keeps the last 9 000 queries only: a sweep may run more than that.
    connection.queries_log = deque(maxlen=1_000_000)
    with CaptureQueriesContext(connection) as q:
        fired = sweep_warnings(at=moment)
    kinds = queries_by_table(q.captured_queries)
    return len(q.captured_queries), fired, kinds


# --------------------------------------------------------------------------------------------- main


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--due", type=int, default=1000, help="warnings due per timed sweep (default 1000)")
    p.add_argument("--rounds", type=int, default=5, help="timed sweeps per size (default 5)")
    args = p.parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    sizes = sorted(set(args.sizes or DEFAULT_SIZES[args.db]))

    with BenchEnv(args.db, "sweep") as env:
        from redressal.cases.models import Case, CaseDeadline, DeadlineWarning
        from redressal.core.clock import now

        bank = env.bank
        assert bank is not None
        template = register_template(bank)
        t_now = now()
        gen = Generator(template, bank.handler.pk, t_now)
        clock = EscalationClock()
        arming = Arming(gen, args.due)
        load0 = os.getloadavg()
        print(
            f"[sweep] {env.describe()}; {os.cpu_count()} CPUs, load average {load0[0]:.2f}; "
            f"T = {t_now.isoformat()}; {args.due} due per sweep, {args.rounds} rounds per size",
            flush=True,
        )

        results: list[dict[str, Any]] = []
        plans: dict[int, str] = {}
        query_info: tuple[int, int, list[tuple[str, int]]] | None = None
        for size in sizes:
            gen_s = gen.grow_to(size)
            pending = DeadlineWarning.objects.filter(fired_at__isnull=True).count()
            row_counts = (Case.objects.count(), CaseDeadline.objects.count(), DeadlineWarning.objects.count())
            stray = due_queryset(t_now).count()
            print(
                f"  {size:>9,} open cases generated in {gen_s:.1f}s: cases {row_counts[0]:,}, "
                f"deadlines {row_counts[1]:,}, warnings {row_counts[2]:,} ({pending:,} pending, {stray} due at T)",
                flush=True,
            )
            timed_sweep(t_now)  # warm the path (and fire any stray due warning)
            idle = [timed_sweep(t_now)[0] for _ in range(5)]
            busy: list[float] = []
            fired_all: list[int] = []
            escalated: list[float] = []
            for r in range(args.rounds):
                arming.arm()
                if r == 0:
                    plans[size] = explain(t_now)
                took, fired, escalating = timed_sweep(t_now, clock)
                busy.append(took)
                fired_all.append(fired)
                escalated.append(escalating)
            arming.arm()
            counted = count_queries(t_now)
            if query_info is None:
                query_info = counted
            results.append(
                {
                    "size": size,
                    "rows": row_counts,
                    "gen": gen_s,
                    "busy": busy,
                    "escalating": escalated,
                    "idle": idle,
                    "fired": fired_all,
                    "queries": counted[0],
                    "index": "warning_pending_idx" in plans[size],
                }
            )

        base_busy = median(results[0]["busy"])
        base_idle = median(results[0]["idle"])
        rows = []
        for res in results:
            b, i = median(res["busy"]), median(res["idle"])
            rows.append(
                [
                    f"{res['size']:,}",
                    f"{res['rows'][2]:,}",
                    f"{res['gen']:.1f}",
                    f"{b * 1000:.0f}",
                    f"{median(res['escalating']) * 1000:.0f}" if clock.present else "–",
                    f"{min(res['busy']) * 1000:.0f}–{max(res['busy']) * 1000:.0f}",
                    f"{b * 1000 / args.due:.2f}",
                    f"{b / base_busy:.2f}",
                    "/".join(str(f) for f in res["fired"]),
                    f"{res['queries']:,}",
                    f"{i * 1000:.2f}",
                    f"{i / base_idle:.2f}",
                    "yes" if res["index"] else "NO",
                ]
            )
        print()
        print(
            f"Deadline sweep on {args.db}: {args.due} due warnings per sweep; × = ratio to {results[0]['size']:,} cases"
        )
        print(
            table(
                [
                    "open cases",
                    "warning rows",
                    "gen s",
                    f"sweep {args.due} due ms",
                    "of which escalating ms",
                    "min–max ms",
                    "ms/warning",
                    "×",
                    "fired",
                    "queries",
                    "nothing due ms",
                    "×",
                    "warning_pending_idx",
                ],
                rows,
            )
        )
        if query_info is not None:
            n, fired, kinds = query_info
            print(f"queries for one sweep of {fired} due warnings: {n} ({n / max(fired, 1):.1f} per warning)")
            print("  " + ", ".join(f"{k} ×{v}" for k, v in kinds))
        for size in (sizes[0], sizes[-1]) if len(sizes) > 1 else (sizes[0],):
            print(f"\nEXPLAIN of the due-warnings query at {size:,} open cases ({args.db}):")
            print("  " + plans[size].replace("\n", "\n  "))
        load1 = os.getloadavg()
        print(f"\nload average before/after: {load0[0]:.2f} / {load1[0]:.2f} (other work on the machine skews figures)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
