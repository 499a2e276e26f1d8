"""Case search: latency of the full-text search (``redressal.search``) beside the old substring search.

    .venv/bin/python bench/search.py [--db sqlite|postgres|both] [SIZE] [--reps 20] [--base-reps 3]

SIZE is the number of cases. Defaults: SQLite ``100000``; PostgreSQL ``1000000``.

Data. A bank of 10 branches with 2 outlets each; cases spread evenly over the 30 units, 30 % open
(nearest deadline within 30 days) and 70 % closed. Descriptions are the demo's texts
(``redressal.triage.ml.texts``: 16 situations, their third-person, first-person and English templates)
filled with random slots; 5 000 customers (name, phone tail; no encrypted data) are shared by the cases.
Case rows are written directly (``COPY`` on PostgreSQL, ``executemany`` in 20 000-case transactions on
SQLite) as copies of one case registered through the service: benchmark data generation, not business
logic. Each case's search document is built by the production code (``build_words`` / ``build_ids``:
rjieba segmentation, NFKC, t2s, Chinese character pairs) and written in bulk; on PostgreSQL the GIN index
is created after the load, on SQLite the FTS5 triggers fill the index while loading. No notes are
generated (the old search did not look at notes, so both searches see the same texts).

Measurement, per query and actor (the whole bank: a senior manager at head office; one branch: a
Beijing handler, about 1/10 of the cases): ``case_list(actor, q=…)`` — the selector the web list and
``GET /api/v1/cases`` use — and its first page of 25 rows, REPS times (p50, p95, mean, in ms); the
count the list would show, capped at 10 000 (``capped_count``), once; and the old substring search
(``description``/``complainant_name`` contains, ``case_number`` icontains, phone tail equals) on the same
data and ordering, BASE_REPS times, with the ratio old / new of the medians. On PostgreSQL the plan of
one search (``EXPLAIN ANALYZE, BUFFERS``).
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

from _setup import PASSWORD, BenchEnv, bulk_insert, median, parser, pct, register_template, run_each_db, strip_db, table

CHUNK = 20_000
DEFAULT_SIZES = {"sqlite": 100_000, "postgres": 1_000_000}
PAGE = 25
CAP = 10_000
QUERIES = [
    ("2-char", "年费"),
    ("2-char", "吞卡"),
    ("2-char", "理财"),
    ("2-char", "转账"),
    ("multi-word", "信用卡 年费"),
    ("multi-word", "手机银行 转账 失败"),
    ("multi-word", "年费 吞卡"),  # two common words that never occur together: 0 matches
    ("English", "transfer"),
    ("English", "refund"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "秀英桂兰玉兰建国建华志强伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚红梅文华德胜金凤淑珍国庆海燕"
BRANCHES = [
    ("BJ", "北京分行", "北京"),
    ("SH", "上海分行", "上海"),
    ("GZ", "广州分行", "广州"),
    ("SZ", "深圳分行", "深圳"),
    ("HZ", "杭州分行", "杭州"),
    ("NJ", "南京分行", "南京"),
    ("CD", "成都分行", "成都"),
    ("WH", "武汉分行", "武汉"),
    ("XA", "西安分行", "西安"),
    ("TJ", "天津分行", "天津"),
]
OUTLETS = ("朝阳支行", "海淀支行")


# --------------------------------------------------------------------------------------------- data


class World:
    """Branches, outlets, two actors and a pool of customers."""

    def __init__(self, bank: Any, rng: random.Random) -> None:
        from redressal.customers.models import Customer
        from redressal.org.authz import actor_for
        from redressal.org.services import create_staff, create_unit

        self.units: list[tuple[int, str, str, str]] = []  # id, code, name, city
        for code, name, city in BRANCHES:
            branch = bank.branch if code == "BJ" else create_unit(code, name, "branch", bank.ho)
            self.units.append((branch.pk, code, name, city))
            for n, outlet in enumerate(OUTLETS, 1):
                unit = create_unit(f"{code}{n:02d}", f"{city}{outlet}", "outlet", branch)
                self.units.append((unit.pk, unit.code, unit.name, city))
        senior = create_staff("senior1", PASSWORD, bank.ho, ["senior_manager"])
        self.actors = {"bank": actor_for(senior), "branch": actor_for(bank.handler)}
        customers = []
        for i in range(5_000):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            customers.append(Customer(customer_no=f"C{i:08d}", name=name, phone_tail=f"{rng.randrange(10_000):04d}"))
        self.customers = [(c.pk, c.name, c.phone_tail) for c in Customer.objects.bulk_create(customers, 2_000)]


def slots(rng: random.Random, name: str, city: str, outlet: str, tail: str, received: datetime) -> dict[str, str]:
    from redressal.triage.ml import texts

    tx = received - timedelta(days=rng.choice((0, 1, 2, 3, 5, 8)))
    amount = rng.randint(2, 500) * 100
    return {
        "who": "客户",
        "name": name,
        "age": str(rng.randint(60, 86)),
        "date": f"{tx.month}月{tx.day}日",
        "time": f"{rng.randint(8, 21)}:{rng.randint(0, 59):02d}",
        "amount": f"{amount:,}",
        "fee": f"{rng.randint(1, 60) * 10:,}",
        "tail": f"{rng.randrange(10_000):04d}",
        "outlet": outlet,
        "branch": f"{city}分行",
        "city": city,
        "other_bank": rng.choice(texts.OTHER_BANKS),
        "product_name": rng.choice(texts.PRODUCT_NAMES),
        "merchant": rng.choice(texts.MERCHANTS),
        "relation": rng.choice(texts.RELATIONS),
        "days": str(rng.randint(2, 20)),
        "phone_tail": tail,
        "loss": f"{rng.randint(10, 5000)}.00",
        "rate": f"{rng.uniform(6.5, 14.8):.2f}%",
        "outage": "9:40至13:20",
        "staff": rng.choice(("柜员", "大堂经理", "理财经理", "网点工作人员")),
        "collector": rng.choice(texts.COLLECTORS),
    }


class Generator:
    def __init__(self, template: Any, world: World, t_now: datetime, seed: int = 20261123) -> None:
        from django.db import connection
        from django.db.models import JSONField, Max

        from redressal.cases.models import Case
        from redressal.triage.ml import texts

        self.connection = connection
        self.vendor = connection.vendor
        self.world = world
        self.t = t_now
        self.rng = random.Random(seed)
        self.situations = [(s, s.third_person + s.first_person, s.english) for s in texts.SITUATIONS]
        self.weights = [s.weight for s in texts.SITUATIONS]
        self.fields = list(Case._meta.concrete_fields)
        self.cols = [f.column for f in self.fields]
        self.ix = {f.attname: n for n, f in enumerate(self.fields)}
        self.base: list[Any] = []
        for f in self.fields:
            value = getattr(template, f.attname)
            self.base.append(json.dumps(value, ensure_ascii=False) if isinstance(f, JSONField) else
                             f.get_db_prep_save(value, connection))
        self.base[self.ix["last_event_seq"]] = 0
        self.base[self.ix["last_event_hash"]] = ""
        self.base[self.ix["customer_id"]] = None
        self.case_base = int(Case.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000
        self.numbers: list[tuple[str, str, str]] = []  # (case number, unit code, phone tail) samples for lookups
        self.seconds = {"cases": 0.0, "docs_build": 0.0, "docs_write": 0.0, "index": 0.0}

    def dt(self, value: datetime | None) -> Any:
        if value is None or self.vendor != "sqlite":
            return value
        return self.connection.ops.adapt_datetimefield_value(value)

    def rows(self, start: int, stop: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        from redressal.search.services import Parts, build_ids, build_words

        rng, ix, dt = self.rng, self.ix, self.dt
        cases, docs = [], []
        build = 0.0
        for i in range(start, stop):
            unit_id, unit_code, unit_name, city = self.world.units[i % len(self.world.units)]
            cust_id, cust_name, tail = self.world.customers[rng.randrange(len(self.world.customers))]
            received = self.t - timedelta(seconds=rng.randrange(400 * 86_400))
            situation, chinese, english = rng.choices(self.situations, self.weights)[0]
            pool = english if english and rng.random() < 0.05 else chinese
            description = rng.choice(pool).format_map(slots(rng, cust_name, city, unit_name, tail, received))
            number = f"TS{received:%Y%m%d}{unit_code}{i:07d}"
            is_open = rng.random() < 0.3
            v = list(self.base)
            v[ix["id"]] = self.case_base + i
            v[ix["case_number"]] = number
            v[ix["unit_id"]] = unit_id
            v[ix["customer_id"]] = cust_id
            v[ix["complainant_name"]] = cust_name
            v[ix["product"]] = situation.product
            v[ix["description"]] = description
            v[ix["received_at"]] = dt(received)
            v[ix["registered_at"]] = dt(received)
            v[ix["priority"]] = rng.choice(("P1", "P2", "P3", "P3", "P3", "P4"))
            if is_open:
                v[ix["status"]] = "investigating"
                v[ix["decision_due_at"]] = dt(self.t + timedelta(seconds=rng.randrange(30 * 86_400)))
                v[ix["closed_at"]] = None
            else:
                v[ix["status"]] = "closed"
                v[ix["decision_due_at"]] = dt(received + timedelta(days=15))
                v[ix["closed_at"]] = dt(received + timedelta(days=rng.randint(1, 15)))
            cases.append(tuple(v))
            t0 = time.perf_counter()
            parts = Parts(description, cust_name, cust_name, situation.product, [], [], number, "", tail)
            words, ids = build_words(parts), build_ids(parts)
            build += time.perf_counter() - t0
            docs.append(
                (
                    self.case_base + i,
                    words,
                    ids,
                    dt(self.t),
                    unit_id,
                    None,
                    v[ix["closed_at"]],
                    v[ix["decision_due_at"]],
                    v[ix["priority"]],
                    v[ix["received_at"]],
                )
            )
            if i % 997 == 0:
                self.numbers.append((number, unit_code, tail))
        self.seconds["docs_build"] += build
        return cases, docs

    def load(self, size: int) -> None:
        from django.db import transaction

        if self.vendor == "postgresql":
            with self.connection.cursor() as cur:
                cur.execute("DROP INDEX IF EXISTS search_doc_tsv_gin")
                cur.execute("DROP INDEX IF EXISTS search_doc_queue_idx")
        doc_cols = ["case_id", "words", "ids", "updated_at", "unit_id", "assignee_id", "closed_at",
                    "decision_due_at", "priority", "received_at"]
        for start in range(0, size, CHUNK):
            cases, docs = self.rows(start, min(size, start + CHUNK))
            t0 = time.perf_counter()
            with transaction.atomic():
                self._insert("cases_case", self.cols, cases)
            t1 = time.perf_counter()
            with transaction.atomic():
                self._insert("search_searchdoc", doc_cols, docs)
            t2 = time.perf_counter()
            self.seconds["cases"] += t1 - t0
            self.seconds["docs_write"] += t2 - t1
            if (start // CHUNK) % 10 == 9:
                print(f"    … {start + CHUNK:,} cases", flush=True)
        t0 = time.perf_counter()
        with self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                cur.execute("SET maintenance_work_mem = '1GB'")
                cur.execute("CREATE INDEX search_doc_tsv_gin ON search_searchdoc USING gin (tsv)")
                cur.execute(
                    "CREATE INDEX search_doc_queue_idx ON search_searchdoc"
                    " (closed_at ASC NULLS FIRST, decision_due_at ASC NULLS LAST, priority ASC, received_at DESC)"
                )
                cur.execute("VACUUM (ANALYZE) cases_case, search_searchdoc, customers_customer")
            else:
                cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cur.execute("ANALYZE")
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.seconds["index"] = time.perf_counter() - t0

    def _insert(self, table_name: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
        bulk_insert(self.connection, table_name, cols, rows)


# ------------------------------------------------------------------------------------------ queries


def old_substring_list(actor: Any, q: str, now: datetime) -> Any:
    """The case list's search before ``redressal.search`` (as it was in ``cases/selectors.py``)."""
    from django.db.models import F, Q

    from redressal.cases.selectors import visible_cases

    text = q.strip()
    match = Q(case_number__icontains=text) | Q(description__contains=text) | Q(complainant_name__contains=text)
    if text.isdigit() and len(text) == 4:
        match |= Q(customer__phone_tail=text)
    return (
        visible_cases(actor)
        .select_related("unit", "assignee")
        .filter(match)
        .order_by(
            F("closed_at").asc(nulls_first=True), F("decision_due_at").asc(nulls_last=True), "priority", "-received_at"
        )
    )


def timed(fn: Any, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def ms(v: float) -> str:
    return f"{v:,.1f}"


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--reps", type=int, default=20, help="timed runs per query and actor (default 20)")
    p.add_argument("--base-reps", type=int, default=3, help="timed runs of the old substring search (default 3)")
    args = p.parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    size = args.sizes[0] if args.sizes else DEFAULT_SIZES[args.db]

    with BenchEnv(args.db, "search") as env:
        from django.db import connection, transaction

        from redressal.cases.models import Case
        from redressal.core.clock import now
        from redressal.core.querysets import capped_count
        from redressal.core.text import warm_up
        from redressal.search.selectors import case_list
        from redressal.search.services import index_case

        bank = env.bank
        assert bank is not None
        warm_up()
        rng = random.Random(7)
        world = World(bank, rng)
        template = register_template(bank)
        t_now = now()
        load = os.getloadavg()
        print(
            f"[search] {env.describe()}; {os.cpu_count()} CPUs, load average {load[0]:.2f}; {size:,} cases",
            flush=True,
        )
        gen = Generator(template, world, t_now)
        t0 = time.perf_counter()
        gen.load(size)
        total = time.perf_counter() - t0
        s = gen.seconds
        print(
            f"  generated in {total:.0f}s: case rows written {s['cases']:.0f}s; documents built (segmentation) "
            f"{s['docs_build']:.0f}s = {size / s['docs_build']:,.0f} docs/s; documents written "
            f"{s['docs_write']:.0f}s; index + analyze {s['index']:.0f}s",
            flush=True,
        )
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(
                    "SELECT pg_size_pretty(pg_total_relation_size('search_searchdoc')), "
                    "pg_size_pretty(pg_relation_size('search_doc_tsv_gin')), "
                    "pg_size_pretty(pg_total_relation_size('cases_case'))"
                )
                sizes = cur.fetchone()
                print(f"  sizes: search_searchdoc {sizes[0]} (GIN {sizes[1]}); cases_case {sizes[2]}")
            cur.execute("SELECT avg(length(words)), avg(length(ids)) FROM search_searchdoc")
            avg = cur.fetchone()
            print(f"  average document: words {avg[0]:.0f} chars, ids {avg[1]:.0f} chars")

        number, _unit, tail = next(n for n in gen.numbers if n[1] == "BJ")
        queries = [*QUERIES, ("case number", number), ("case number prefix", number[:12]), ("phone tail", tail)]

        rows = []
        for who, actor in world.actors.items():
            for kind, q in queries:
                # Built anew each time, as a request does: on PostgreSQL building a multi-word search
                # runs the density probe that chooses its plan (search.selectors._pg_condition).
                def page(actor: Any = actor, q: str = q) -> list[Any]:
                    return list(case_list(actor, q=q, now=t_now)[:PAGE])

                first = page()  # warm
                new = timed(page, args.reps)
                t0 = time.perf_counter()
                n, more = capped_count(case_list(actor, q=q, now=t_now, counting=True), CAP)
                count_ms = (time.perf_counter() - t0) * 1000
                old_qs = old_substring_list(actor, q, t_now)
                old_n = len(list(old_qs[:PAGE]))  # warm
                old = timed(lambda oq=old_qs: list(oq[:PAGE]), args.base_reps)
                rows.append(
                    [
                        who,
                        kind,
                        q,
                        f"{n:,}{'+' if more else ''}",
                        len(first),
                        ms(pct(new, 50)),
                        ms(pct(new, 95)),
                        ms(sum(new) / len(new)),
                        ms(count_ms),
                        ms(median(old)),
                        old_n,
                        f"{median(old) / median(new):,.0f}×",
                    ]
                )
                print(f"    {who} {q}: p95 {pct(new, 95):.1f} ms", flush=True)
        print()
        print(
            table(
                ["scope", "kind", "q", "matches", "page", "p50 ms", "p95 ms", "mean ms", "count ms",
                 "old p50 ms", "old page", "old/new"],
                rows,
            )
        )
        all_new = [float(r[6].replace(",", "")) for r in rows]
        print(f"\n  worst p95 {max(all_new):.1f} ms over {len(rows)} query × scope pairs "
              f"({args.reps} runs each; old search {args.base_reps} runs)")

        if connection.vendor == "postgresql":
            qs = case_list(world.actors["bank"], q="年费", now=t_now)[:PAGE]
            print("\n  EXPLAIN (ANALYZE, BUFFERS) of the bank-wide page for 年费:")
            print("    " + str(qs.explain(analyze=True, buffers=True)).replace("\n", "\n    "))

        # The hook's cost: rebuilding one case's document inside its transaction.
        sample = list(Case.objects.select_related("customer").order_by("?")[:200])
        with transaction.atomic():  # as in a service: inside the change's transaction, no commit per case
            took = timed(lambda: [index_case(c) for c in sample], 1)[0] / len(sample)
            transaction.set_rollback(True)
        print(f"\n  index_case (the per-change hook): {took:.2f} ms per case (mean of {len(sample)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
