"""The customer portal's pages as the case table grows: time and queries per page (SPEC §9, issue 13).

    .venv/bin/python bench/portal.py [--db sqlite|postgres|both] [CASES…]   (default 10000 100000)

For each size, that many cases (copies of one registered through the service) are spread over
customers, ten cases each, with their customers' phone blind indexes; then one customer signs in with
a one-time code, files 5 complaints through the portal service, and the portal's pages are fetched
30 times each through Django's test client with the customer's cookie: "my cases" (``/portal/``) and
one case (``/portal/cases/<n>/``, timeline and actions). Printed: SQL queries per page, median and p95
in milliseconds, and on PostgreSQL the plan of the "my cases" query (it must use the phone-index and
customer-id indexes, never a scan of the case table). Target: p95 ≤ 100 ms at 1 M cases on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import sys
import time
from typing import Any

from _setup import BenchEnv, median, parser, pct, register_template, run_each_db, strip_db, table

REPEAT = 30
PER_CUSTOMER = 10
BATCH = 5000


class Counter:
    def __init__(self, into: list[str]) -> None:
        self.into = into

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.into.append(sql)
        return execute(sql, params, many, context)


def grow(template: Any, size: int, start: int) -> None:
    """Cases ``start``…``size`` as copies of the template, ten per customer."""
    from redressal.cases.models import Case
    from redressal.customers.models import Customer

    fields = {
        f.attname: getattr(template, f.attname)
        for f in Case._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    }
    for lo in range(start, size, BATCH):
        hi = min(size, lo + BATCH)
        first_customer, last_customer = lo // PER_CUSTOMER, (hi - 1) // PER_CUSTOMER
        existing = set(
            Customer.objects.filter(
                customer_no__in=[f"B{c:09d}" for c in range(first_customer, last_customer + 1)]
            ).values_list("customer_no", flat=True)
        )
        Customer.objects.bulk_create(
            [
                Customer(
                    customer_no=f"B{c:09d}",
                    name="客户",
                    phone_index=hashlib.sha256(f"bench-{c}".encode()).hexdigest(),
                )
                for c in range(first_customer, last_customer + 1)
                if f"B{c:09d}" not in existing
            ]
        )
        ids = dict(
            Customer.objects.filter(customer_no__startswith="B")
            .filter(customer_no__gte=f"B{first_customer:09d}", customer_no__lte=f"B{last_customer:09d}")
            .values_list("customer_no", "pk")
        )
        Case.objects.bulk_create(
            [
                Case(
                    **{
                        **fields,
                        "case_number": f"BENCH{i:09d}",
                        "customer_id": ids[f"B{i // PER_CUSTOMER:09d}"],
                    }
                )
                for i in range(lo, hi)
            ],
            batch_size=BATCH,
        )


def analyse() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE cases_case")
            c.execute("ANALYZE customers_customer")


def measure(env: BenchEnv, size: int) -> list[Any]:
    from django.db import connection
    from django.test import Client

    from redressal.portal import auth, services
    from redressal.portal.models import CustomerSession
    from redressal.portal.views import COOKIE, COOKIE_SALT

    client = Client(REMOTE_ADDR="127.0.0.9")
    # Signed in as a code would (the code's own limits are not what is measured here).
    token, session = auth.open_session("13812345678", via=CustomerSession.Via.OTP)
    if not services.cases_of(session).exists():
        for i in range(5):
            services.submit_case(
                session,
                services.Submission(name="王秀英", business="credit_card", description=f"年费被重复收取 {i}"),
            )
    number = services.cases_of(session).first().case_number
    from django.http import HttpResponse

    signed = HttpResponse()
    signed.set_signed_cookie(COOKIE, token, salt=COOKIE_SALT)
    client.cookies[COOKIE] = signed.cookies[COOKIE].value
    rows = []
    for label, path in (("my cases", "/portal/"), ("one case", f"/portal/cases/{number}/")):
        times, queries = [], []
        for _ in range(REPEAT):
            captured: list[str] = []
            with connection.execute_wrapper(Counter(captured)):
                t0 = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (path, r.status_code)
            queries.append(len(captured))
        rows.append([f"{size:,}", label, max(queries), f"{median(times):.1f}", f"{pct(times, 95):.1f}"])
    CustomerSession.objects.filter(pk=session.pk).delete()
    return rows


def explain() -> str:
    from django.db import connection

    from redressal.portal.auth import open_session
    from redressal.portal.services import cases_of

    if connection.vendor != "postgresql":
        return ""
    _token, session = open_session("13812345678", via="otp")
    fields = ("case_number", "kind", "status", "product", "received_at", "decision_due_at", "closed_at")
    return str(cases_of(session).only(*fields)[:50].explain())


def main() -> int:
    args = parser(__doc__ or "").parse_args()
    sizes = [int(s) for s in args.sizes] or [10_000, 100_000]
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    with BenchEnv(args.db, "portal") as env:
        assert env.bank is not None
        template = register_template(env.bank)
        rows: list[Any] = []
        done = 0
        for size in sorted(sizes):
            t0 = time.perf_counter()
            grow(template, size, done)
            done = size
            analyse()
            print(f"[data] {size:,} cases in {time.perf_counter() - t0:.1f}s", flush=True)
            rows.extend(measure(env, size))
            plan = explain()
            if plan:
                print(f"[plan at {size:,}]\n{plan}", flush=True)
        print(f"\n{env.describe()}")
        print(table(["cases", "page", "queries", "median ms", "p95 ms"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
