"""Intake throughput: cases registered per second through the HTTP API, against ORM ``bulk_create``.

    .venv/bin/python bench/intake.py [--db sqlite|postgres|both] [SEQ [PER_CLIENT]] [--clients 8]

Defaults: ``--db both``, SEQ=500 sequential requests, 8 clients × PER_CLIENT=150 concurrent requests.

A real server is started for the run: gunicorn ``redressal.wsgi`` on 127.0.0.1 (free port), 2 workers ×
4 threads (gthread), with the same environment (and so the same fresh database) as this process.
Clients are plain ``http.client`` connections with keep-alive, one bearer token each, from
``POST /api/v1/auth/token`` as an agent. Each request is ``POST /api/v1/cases`` (a complaint by
hotline with a named complainant, amount and demand) and counts as an error unless it returns 201.

Figures:
  (a) sequential, one client: rate, p50/p95/max latency, errors;
  (b) C concurrent clients, each with its own connection: rate, latencies, errors;
  baseline: the same Case rows (copied field by field from a case the API registered) inserted
  in-process with ``Case.objects.bulk_create`` in batches of 500, one transaction per batch, as many
  rows as (a)+(b) sent; the ratio is API rate / bulk_create rate.
  Besides: the database queries one ``POST /api/v1/cases`` runs (Django test client, in-process) and
  the in-process rate of ``register_case`` alone (no HTTP, no JSON, no auth), which splits the API
  cost into service and web overhead.

The registration writes the case, its first hash-chained event, the deadline rows, the warning
rows and the acknowledgement in the outbox in one transaction; bulk_create writes only the case
row. The ratio is the price of doing it properly. Client and server share the machine's cores.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import PASSWORD, REPO, BenchEnv, median, parser, pct, queries_by_table, run_each_db, strip_db, table

WORKERS = 2
THREADS = 4
BULK_BATCH = 500


def payload(i: int, unit: str = "") -> bytes:
    body: dict[str, object] = {
        "request_type": "complaint",
        "channel": "hotline",
        "description": f"信用卡年费未经同意被扣收，客户要求退还并说明原因。(bench #{i})",
        "complainant_name": "张三",
        "product": "信用卡",
        "amount": "300.00",
        "demand": ["refund", "explanation"],
    }
    if unit:
        body["unit"] = unit
    return json.dumps(body, ensure_ascii=False).encode()


# ------------------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-m", "gunicorn", "redressal.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread",
        "--keep-alive", "30", "--timeout", "120", "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not come up within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()  # SIGTERM to the master (our own child): graceful stop of its workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------------------------------- client


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    ok: int = 0


def connection(port: int) -> http.client.HTTPConnection:
    """A keep-alive connection with Nagle's algorithm off, as urllib3 (requests) and browsers open
    theirs: without it a request written in two segments waits for the server's delayed ACK (about
    40 ms on Linux), which would be measured as if it were the server's work."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.connect()
    assert conn.sock is not None
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = connection(port)
        self.token = ""

    def call(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            return resp.status, resp.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # a dropped keep-alive connection: reconnect once, then report
            self.conn = connection(self.port)
            raise

    def login(self, username: str) -> None:
        body = json.dumps({"username": username, "password": PASSWORD}).encode()
        status, data = self.call("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
        if status != 200:
            raise RuntimeError(f"token: HTTP {status} {data[:300]!r}")
        self.token = json.loads(data)["access_token"]

    def register(self, i: int, result: Result, unit: str = "") -> None:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        t0 = time.perf_counter()
        try:
            status, data = self.call("POST", "/api/v1/cases", payload(i, unit), headers)
        except (http.client.HTTPException, OSError) as exc:
            result.failures.append(f"#{i}: {type(exc).__name__}: {exc}")
            return
        result.latencies.append(time.perf_counter() - t0)
        if status == 201:
            result.ok += 1
        else:
            result.failures.append(f"#{i}: HTTP {status} {data[:300].decode(errors='replace')}")


def run_sequential(port: int, n: int, start: int) -> tuple[Result, float]:
    client = Client(port)
    client.login("agent1")
    result = Result()
    t0 = time.perf_counter()
    for i in range(n):
        client.register(start + i, result)
    return result, time.perf_counter() - t0


def run_concurrent(
    port: int, clients: int, per_client: int, start: int, units: list[str] | None = None
) -> tuple[Result, float]:
    pool = [Client(port) for _ in range(clients)]
    for c in pool:
        c.login("agent1")
    results = [Result() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def work(k: int) -> None:
        barrier.wait()
        for j in range(per_client):
            pool[k].register(start + k * per_client + j, results[k], units[k] if units else "")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    total = Result()
    for r in results:
        total.latencies += r.latencies
        total.failures += r.failures
        total.ok += r.ok
    return total, wall


# ---------------------------------------------------------------------------------------- in-process


def bulk_create_rate(rows: int, rounds: int = 3) -> tuple[float, list[float]]:
    """Rows/s of bulk_create for copies of the last API-registered case (median of ``rounds``)."""
    from django.db import transaction

    from redressal.cases.models import Case

    template = Case.objects.order_by("-pk").first()
    assert template is not None
    values = {f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if not f.primary_key}
    times = []
    for r in range(rounds):
        t0 = time.perf_counter()
        for start in range(0, rows, BULK_BATCH):
            batch = [
                Case(**{**values, "case_number": f"BULK{r:02d}{i:08d}"})
                for i in range(start, min(rows, start + BULK_BATCH))
            ]
            with transaction.atomic():
                Case.objects.bulk_create(batch, batch_size=BULK_BATCH)
        times.append(time.perf_counter() - t0)
    return rows / median(times), [rows / t for t in times]


def queries_per_request(env: BenchEnv) -> tuple[int, int, list[tuple[str, int]]]:
    """Queries of one POST /api/v1/cases (test client, in-process) and of register_case alone."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from redressal.cases.services import RegisterInput, register_case
    from redressal.org.authz import actor_for

    client = TestClient()
    credentials = {"username": "agent1", "password": PASSWORD}
    resp = client.post("/api/v1/auth/token", credentials, content_type="application/json")
    token = resp.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/cases", payload(-1), content_type="application/json", headers=headers)  # warm
    with CaptureQueriesContext(connection) as q:
        resp = client.post("/api/v1/cases", payload(-2), content_type="application/json", headers=headers)
    assert resp.status_code == 201, resp.content
    kinds = queries_by_table(q.captured_queries)
    actor = actor_for(env.bank.agent)  # type: ignore[union-attr]
    data = RegisterInput(
        request_type="complaint", channel="hotline", description="x", complainant_name="张三", demand=["refund"]
    )
    with CaptureQueriesContext(connection) as q2:
        register_case(data, actor=actor)
    return len(q.captured_queries), len(q2.captured_queries), kinds


def service_rate(env: BenchEnv, n: int) -> float:
    from decimal import Decimal

    from redressal.cases.services import RegisterInput, register_case
    from redressal.org.authz import actor_for

    actor = actor_for(env.bank.agent)  # type: ignore[union-attr]
    data = RegisterInput(
        request_type="complaint",
        channel="hotline",
        description="信用卡年费未经同意被扣收，客户要求退还并说明原因。",
        complainant_name="张三",
        product="信用卡",
        amount=Decimal("300.00"),
        demand=["refund", "explanation"],
    )
    register_case(data, actor=actor)
    t0 = time.perf_counter()
    for _ in range(n):
        register_case(data, actor=actor)
    return n / (time.perf_counter() - t0)


# ---------------------------------------------------------------------------------------------- main


def fmt_ms(s: float) -> str:
    return f"{s * 1000:.1f}"


def api_row(what: str, result: Result, wall: float, bulk_rate: float) -> list[object]:
    rate = result.ok / wall
    return [
        what,
        result.ok + len(result.failures),
        f"{rate:.1f}",
        fmt_ms(pct(result.latencies, 50)),
        fmt_ms(pct(result.latencies, 95)),
        fmt_ms(max(result.latencies, default=float("nan"))),
        len(result.failures),
        f"{rate / bulk_rate:.4f}",
    ]


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--no-units", action="store_true", help="skip run (c), one handling unit per client")
    args = p.parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    seq_n = args.sizes[0] if len(args.sizes) > 0 else 500
    per_client = args.sizes[1] if len(args.sizes) > 1 else 150
    clients = args.clients

    with BenchEnv(args.db, "intake") as env:
        from django.db import connection

        from redressal.org.services import create_unit

        units = [create_unit(f"BJ{k:02d}", f"网点{k:02d}", "outlet", env.bank.branch).code for k in range(clients)]  # type: ignore[union-attr]
        load0 = os.getloadavg()
        print(
            f"[intake] {env.describe()}; {os.cpu_count()} CPUs, load average {load0[0]:.2f}; "
            f"gunicorn {WORKERS} workers × {THREADS} threads (gthread), http.client keep-alive clients"
        )
        port = free_port()
        connection.close()  # the server's workers open their own connections
        server = start_server(env.env, port)
        try:
            # Warm both workers (imports, calendar cache, connections) with a few concurrent requests.
            warm, _ = run_concurrent(port, 4, 10, 900_000)
            if warm.failures:
                print("warm-up failures:", *warm.failures[:5], sep="\n  ")
            seq, seq_wall = run_sequential(port, seq_n, 0)
            conc, conc_wall = run_concurrent(port, clients, per_client, 100_000)
            spread: tuple[Result, float] | None = None
            if not args.no_units:
                spread = run_concurrent(port, clients, per_client, 200_000, units)
        finally:
            stop_server(server)

        bulk_rows = max(seq_n + clients * per_client, 5000)
        bulk_rate, bulk_all = bulk_create_rate(bulk_rows, rounds=5)
        n_http, n_service, kinds = queries_per_request(env)
        svc_rate = service_rate(env, 200)
        load1 = os.getloadavg()

        rows = [
            api_row("(a) API sequential, 1 client", seq, seq_wall, bulk_rate),
            api_row(f"(b) API concurrent, {clients} clients", conc, conc_wall, bulk_rate),
        ]
        if spread is not None:
            rows.append(api_row("(c) as (b), one unit per client", spread[0], spread[1], bulk_rate))
        rows += [
            ["register_case() in-process", 200, f"{svc_rate:.1f}", "", "", "", 0, f"{svc_rate / bulk_rate:.4f}"],
            [f"baseline: bulk_create, batches of {BULK_BATCH}", bulk_rows, f"{bulk_rate:.0f}", "", "", "", 0, "1"],
        ]
        seq_rate, conc_rate = seq.ok / seq_wall, conc.ok / conc_wall
        print()
        print(f"Intake on {args.db}: cases/s; latency per request in ms; ratio = rate / bulk_create rate")
        print(table(["what", "requests", "cases/s", "p50 ms", "p95 ms", "max ms", "errors", "ratio vs bulk"], rows))
        print(f"bulk_create rounds (rows/s, median used): {', '.join(f'{r:.0f}' for r in bulk_all)}")
        print(
            f"API : bulk_create = 1 : {bulk_rate / seq_rate:.0f} sequential, 1 : {bulk_rate / conc_rate:.0f} concurrent"
        )
        print(f"concurrency gain, {clients} clients vs 1: ×{conc_rate / seq_rate:.2f}", end="")
        if spread is not None:
            print(f"; spread over {clients} units: ×{spread[0].ok / spread[1] / seq_rate:.2f}")
        else:
            print()
        print(f"queries per POST /api/v1/cases: {n_http} (register_case alone: {n_service})")
        print("  " + ", ".join(f"{k} ×{v}" for k, v in kinds))
        print(f"load average before/after: {load0[0]:.2f} / {load1[0]:.2f} (other work on the machine skews figures)")
        failures = seq.failures + conc.failures + (spread[0].failures if spread else [])
        if failures:
            print(f"FAILURES ({len(failures)}):")
            for f in failures[:20]:
                print("  " + f)
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
