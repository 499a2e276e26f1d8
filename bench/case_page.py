"""The staff case page as its history grows: queries per page and render time (no N+1).

    .venv/bin/python bench/case_page.py [--db sqlite|postgres|both] [EVENTS…]   (default 10 100 1000)

For each size, one complaint is registered, accepted and investigated, then given that many
investigation notes plus 5 evidence files and 5 collaboration tasks, and the case page
(``GET /cases/<id>/``, all action forms rendered for the handler) is fetched 20 times through Django's
test client. Printed: the number of SQL queries per page (it must not grow with the history), the
median and p95 time, and the page size; then the decision-notice PDF render time once.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from _setup import BenchEnv, median, parser, pct, run_each_db, strip_db, table

REPEAT = 20


class Counter:
    """An execute wrapper that records each SQL statement run (the test client's request_started
    signal resets ``connection.queries``, so Django's own capture sees nothing)."""

    def __init__(self, into: list[str]) -> None:
        self.into = into

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.into.append(sql)
        return execute(sql, params, many, context)


def build_case(env: BenchEnv, events: int) -> int:
    from redressal.cases import services as svc
    from redressal.customers.services import CustomerInput
    from redressal.org.authz import actor_for
    from redressal.org.models import OrgUnit
    from redressal.org.services import create_unit

    assert env.bank is not None
    if not OrgUnit.objects.filter(code="TECH").exists():
        create_unit("TECH", "信息科技部", "department", env.bank.ho)
    agent, handler = actor_for(env.bank.agent), actor_for(env.bank.handler)
    case = svc.register_case(
        svc.RegisterInput(
            request_type="complaint",
            channel="hotline",
            description="信用卡年费被重复收取两次，要求退还。",
            customer=CustomerInput(name="王秀英", phone="13812345678", id_number="110101195001011234"),
        ),
        actor=agent,
    )
    svc.accept_case(case.pk, actor=handler, contact_channel="phone", contact_outcome="reached",
                    no_direct_interest=True)
    svc.start_investigation(case.pk, actor=handler)
    for i in range(5):
        svc.add_evidence(case.pk, actor=handler, kind="written", filename=f"e{i}.txt", content_type="text/plain",
                         stream=io.BytesIO(f"evidence {i}".encode()))
        svc.open_task(case.pk, actor=handler, department_code="TECH", title=f"任务{i}", request="请核查")
    for i in range(events):
        svc.add_note(case.pk, actor=handler, text=f"调查记录 {i}")
    return int(case.pk)


def measure(env: BenchEnv, sizes: list[int]) -> None:
    from django.db import connection
    from django.test import Client

    from redressal.cases.models import Case
    from redressal.cases.notice_pdf import render_notice_pdf

    assert env.bank is not None
    client = Client()
    client.force_login(env.bank.handler)
    rows = []
    for size in sizes:
        case_id = build_case(env, size)
        total_events = Case.objects.get(pk=case_id).last_event_seq
        client.get(f"/cases/{case_id}/")  # warm templates
        captured: list[str] = []
        with connection.execute_wrapper(Counter(captured)):
            r = client.get(f"/cases/{case_id}/")
        assert r.status_code == 200, r.status_code
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            client.get(f"/cases/{case_id}/")
            times.append((time.perf_counter() - t0) * 1000)
        rows.append([size, total_events, len(captured), f"{median(times):.1f}", f"{pct(times, 95):.1f}",
                     f"{len(r.content) / 1024:.0f}"])
    print(table(["notes", "events", "queries/page", "median ms", "p95 ms", "page KiB"], rows))

    from redressal.cases import services as svc
    from redressal.org.authz import actor_for
    from redressal.triage.services import confirm_classification

    handler = actor_for(env.bank.handler)
    case_id = build_case(env, 0)
    for axis, code in (("business", "B01"), ("cause", "C01")):  # a decision needs its confirmed codes
        confirm_classification(case_id, actor=handler, axis=axis, code=code)
    svc.respond_to_case(case_id, actor=handler, outcome="not_upheld", reasons="按合同收费", basis="合同第3条",
                        remedy="", notice=svc.Notice("sms", "经核实……", ["review", "mediation", "arbitration",
                                                                       "litigation"]))
    case = Case.objects.get(pk=case_id)
    decision = case.decisions.get()
    render_notice_pdf(case, decision)
    pdf_times = []
    for _ in range(5):
        t0 = time.perf_counter()
        pdf = render_notice_pdf(case, decision)
        pdf_times.append((time.perf_counter() - t0) * 1000)
    print(f"decision notice PDF: median {median(pdf_times):.0f} ms, {len(pdf) / 1024:.0f} KiB (5 renders)")


def main() -> int:
    args = parser(__doc__ or "").parse_args()
    sizes = args.sizes or [10, 100, 1000]
    if args.db == "both":
        return run_each_db(str(Path(__file__).resolve()), strip_db(sys.argv[1:]))
    with BenchEnv(args.db, "case_page") as env:
        measure(env, sizes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
