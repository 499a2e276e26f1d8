"""Triage cost at registration: ms per ``register_case`` with triage (and routing rules) against without.

    .venv/bin/python bench/triage_rules.py [--db sqlite|postgres|both] [N]

Defaults: ``--db both``, N=200 registrations per variant. Variants, interleaved in blocks of 20 so
machine noise falls on all alike, in-process (no HTTP):

  without  — ``register_case`` with the after-registration step switched off (the service as before);
  triage   — with triage, duplicates and mass-incident detection (no routing rules: routing is opt-in);
  routing  — the same plus the default routing rules, so every case is also assigned.

Received times are spread at ten a day over the past weeks, oldest first. Registrations mix named
complainants and repeat customers (a third of the cases are by a customer with earlier cases, so
duplicate and repeat checks have work to do). Printed: median, p95 and mean
ms per registration, the added ms against ``without``, and the queries of one registration.
"""

from __future__ import annotations

import copy
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import BenchEnv, parser, pct, run_each_db, strip_db

TEXTS = [
    "信用卡年费未经同意被扣收，要求退还并说明原因。",
    "手机银行转账失败但钱被扣了，对方一直没收到，请尽快处理！",
    "网点工作人员态度很差，排队两个小时没人管，太过分了。",
    "理财产品宣传的是保本，结果亏了3万元，销售人员误导，我要找律师起诉。",
    "我是退休老人，看不懂手机银行，被收了手续费。",
    "我的个人信息泄露了，每天接到推销贷款的电话。",
    "信用卡被盗刷5000元，我从来没有授权过这笔交易。",
    "房贷提前还款违约金收取不合理，要求减免。",
]


def main() -> int:
    p = parser(__doc__ or "")
    args = p.parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    n = (args.sizes or [200])[0]

    with BenchEnv(args.db, "triage_rules") as env:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from redressal.cases import bus
        from redressal.cases.services import RegisterInput, register_case
        from redressal.customers.services import CustomerInput
        from redressal.org.authz import actor_for
        from redressal.org.services import create_staff
        from redressal.triage import classifier
        from redressal.triage.models import RoutingRule
        from redressal.triage.services import ensure_default_rules

        bank = env.bank
        assert bank is not None
        create_staff("handler2", "x-password-123", bank.branch, ["handler"], manager=bank.supervisor)
        create_staff("hohandler", "x-password-123", bank.ho, ["handler"])
        agent = actor_for(bank.agent)
        # "without": the registration with triage's subscriptions taken off the bus for the run.
        real_subscribers = copy.deepcopy(bus._subscribers)
        bare = copy.deepcopy(bus._subscribers)
        bare.preparers.pop("triage", None)
        bare.reactions.pop("registered", None)

        def use(variant: str) -> None:
            bus._subscribers = real_subscribers if variant != "without" else bare
        counter = iter(range(10**9))
        # Received times spread evenly over the past days (about 10 a day), oldest first, so the
        # mass-incident check sees ordinary traffic with a baseline, as in a running bank.
        from datetime import timedelta

        from redressal.core.clock import now

        total = 3 * (n + 5) + 3
        start = now() - timedelta(days=total / 10)
        first_customer: dict[int, int] = {}

        def one() -> float:
            i = next(counter)
            group = i % 40
            if i % 3 == 0 and group in first_customer:
                who = {"customer_id": first_customer[group]}
            else:
                who = {"customer": CustomerInput(name=f"客户{i}", phone=f"139{i:08d}")}
            data = RegisterInput(
                received_at=start + timedelta(days=i / 10),
                request_type="complaint",
                channel=("hotline", "mobile_banking", "counter", "wechat")[i % 4],
                description=f"{TEXTS[i % len(TEXTS)]}（{i}）",
                product=("信用卡", "手机银行转账", "理财", "借记卡")[i % 4],
                **who,  # type: ignore[arg-type]
            )
            t0 = time.perf_counter()
            case = register_case(data, actor=agent)
            elapsed = time.perf_counter() - t0
            if case.customer_id and group not in first_customer:
                first_customer[group] = case.customer_id
            return elapsed * 1000

        def run(variant: str, count: int) -> list[float]:
            use(variant)
            if variant == "routing":
                ensure_default_rules()
            else:
                RoutingRule.objects.all().delete()
            return [one() for _ in range(count)]

        for variant in ("without", "triage", "routing"):
            run(variant, 5)  # warm-up: imports, the model, the dictionary
        times: dict[str, list[float]] = {"without": [], "triage": [], "routing": []}
        block = 20
        for _ in range(max(1, n // block)):
            for variant in times:
                times[variant] += run(variant, block)
        queries: dict[str, int] = {}
        for variant in times:
            run(variant, 0)
            use(variant)
            with CaptureQueriesContext(connection) as captured:
                one()
            queries[variant] = len(captured.captured_queries)
        use("routing")

        print(
            f"[triage] {env.describe()}; model package: {'yes' if classifier.available() else 'no (fallback)'}; "
            f"{len(times['without'])} registrations per variant"
        )
        base = statistics.median(times["without"])
        print(f"  {'variant':<8} {'median ms':>10} {'p95 ms':>8} {'mean ms':>8} {'+ms (median)':>13} {'queries':>8}")
        for variant, ms in times.items():
            med = statistics.median(ms)
            print(
                f"  {variant:<8} {med:>10.1f} {pct(ms, 95):>8.1f} {statistics.mean(ms):>8.1f} "
                f"{med - base:>13.1f} {queries[variant]:>8}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
