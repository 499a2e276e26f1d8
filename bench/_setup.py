"""Shared set-up for the benchmarks in ``bench/``: a throw-away database, Django, the calendar, a small bank.

A benchmark prints figures; it never asserts. Each script runs as

    .venv/bin/python bench/<name>.py [--db sqlite|postgres|both] [sizes…]

``--db both`` (the default) runs the script once per database, each in its own child process,
because Django can be set up only once per process and the settings are read from the
environment at import time. Nothing here imports Django at module level: :class:`BenchEnv` sets
``REDRESSAL_DATA_DIR``, ``REDRESSAL_DATABASE_URL`` and ``DJANGO_SETTINGS_MODULE`` first.

SQLite lives in a temporary ``REDRESSAL_DATA_DIR``; PostgreSQL gets a database of its own
(``bench_redressal_<script>``) created with ``ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0``
and dropped at the end (also when the run fails). ``BENCH_PG_URL`` overrides the server
(default ``postgres://postgres@127.0.0.1:5432``, trust auth). ``BENCH_KEEP_DB=1`` keeps the PostgreSQL
database after the run (to study plans on generated data; the next run of the script replaces it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PASSWORD = "bench-password-0123"
DBS = ("sqlite", "postgres")

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


# --------------------------------------------------------------------------------------------- CLI


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument("sizes", nargs="*", type=int, help="sizes (meaning depends on the script)")
    return p


def run_each_db(script: str, argv: Sequence[str]) -> int:
    """``--db both``: run the same script once per database in a child process; return the worst exit code."""
    rc = 0
    for db in DBS:
        args = [sys.executable, script, "--db", db, *argv]
        print(f"\n$ {' '.join(Path(a).name if i < 2 else a for i, a in enumerate(args))}", flush=True)
        rc = max(rc, subprocess.call(args, cwd=REPO))
    return rc


def strip_db(argv: Sequence[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a == "--db":
            skip = True
            continue
        if a.startswith("--db="):
            continue
        out.append(a)
    return out


# ------------------------------------------------------------------------------------ the database


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Bank:
    ho: Any
    branch: Any
    agent: Any
    handler: Any
    supervisor: Any
    head: Any
    people: dict[str, Any] = field(default_factory=dict)


class BenchEnv:
    """A fresh database for one benchmark run: ``with BenchEnv("postgres", "intake") as env: …``.

    On enter: environment, ``django.setup()``, ``migrate``, calendar 2024–2027, a small bank
    (head office, one branch; an agent who registers, a handler → supervisor → branch head line).
    On exit: connections closed, the PostgreSQL database dropped, the data directory removed.
    """

    def __init__(self, db: str, name: str) -> None:
        if db not in DBS:
            raise ValueError(db)
        self.db = db
        self.name = name
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
        self.pg_name = f"bench_redressal_{name}"
        self.env: dict[str, str] = {}
        self.bank: Bank | None = None

    # -- lifecycle
    def __enter__(self) -> BenchEnv:
        try:
            self._configure()
            self._django()
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._cleanup()

    def _configure(self) -> None:
        os.environ["REDRESSAL_DATA_DIR"] = str(self.data_dir)
        os.environ["DJANGO_SETTINGS_MODULE"] = "redressal.settings"
        os.environ.setdefault("REDRESSAL_LOG_LEVEL", "WARNING")
        if self.db == "postgres":
            _pg_admin(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
            _pg_admin(f"CREATE DATABASE {self.pg_name} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")
            os.environ["REDRESSAL_DATABASE_URL"] = f"{PG_URL}/{self.pg_name}"
        else:
            os.environ.pop("REDRESSAL_DATABASE_URL", None)
        pythonpath = os.environ.get("PYTHONPATH", "")
        os.environ["PYTHONPATH"] = str(SRC) + (os.pathsep + pythonpath if pythonpath else "")
        self.env = dict(os.environ)

    def _django(self) -> None:
        import django

        django.setup()
        from django.core.management import call_command

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        from redressal.workdays.services import sync_year

        for year in (2024, 2025, 2026, 2027):
            sync_year(year)
        self.bank = make_bank()
        print(f"[setup] {self.describe()}: migrate + calendar + bank in {time.perf_counter() - t0:.1f}s", flush=True)

    def describe(self) -> str:
        from django.db import connection

        if self.db == "postgres":
            with connection.cursor() as c:
                c.execute("SHOW server_version")
                version = c.fetchone()[0]
            return f"PostgreSQL {version} database {self.pg_name}"
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (WAL, IMMEDIATE) in {self.data_dir}"

    def _cleanup(self) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if self.db == "postgres" and os.environ.get("BENCH_KEEP_DB") == "1":
            print(f"[cleanup] BENCH_KEEP_DB=1: kept {PG_URL}/{self.pg_name}", file=sys.stderr)
        elif self.db == "postgres":
            try:
                _pg_admin(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
            except Exception as exc:
                print(f"[cleanup] could not drop {self.pg_name}: {exc}", file=sys.stderr)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def make_bank() -> Bank:
    from redressal.org.services import create_staff, create_unit

    ho = create_unit("HO", "总行", "head_office")
    branch = create_unit("BJ", "北京分行", "branch", ho)
    head = create_staff("branchhead1", PASSWORD, branch, ["branch_head"])
    sup = create_staff("supervisor1", PASSWORD, branch, ["supervisor"], manager=head)
    handler = create_staff("handler1", PASSWORD, branch, ["handler"], manager=sup)
    agent = create_staff("agent1", PASSWORD, branch, ["agent"])
    return Bank(ho=ho, branch=branch, agent=agent, handler=handler, supervisor=sup, head=head)


def bulk_insert(connection: Any, table_name: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows straight into a table: COPY on PostgreSQL, executemany on SQLite (the generators' fast path)."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur, cur.cursor.copy(f"COPY {table_name} ({quoted}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
    else:
        marks = ", ".join("?" for _ in cols)
        connection.connection.executemany(f"INSERT INTO {table_name} ({quoted}) VALUES ({marks})", rows)


def register_template(bank: Bank) -> Any:
    """One complaint registered through the real service: the row the generators copy in bulk."""
    from redressal.cases.services import RegisterInput, register_case
    from redressal.org.authz import actor_for

    return register_case(
        RegisterInput(
            request_type="complaint",
            channel="hotline",
            description="信用卡年费未经同意被扣收，客户要求退还并说明原因。",
            complainant_name="张三",
            product="信用卡",
            demand=["refund"],
        ),
        actor=actor_for(bank.agent),
    )


# ------------------------------------------------------------------------------------------ figures


def queries_by_table(captured: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    """Captured SQL as "VERB table" counts, most frequent first."""
    from collections import Counter

    kinds: Counter[str] = Counter()
    for item in captured:
        sql = item["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper()
        marker = {"INSERT": " INTO ", "UPDATE": "UPDATE ", "SELECT": " FROM ", "DELETE": " FROM "}.get(verb)
        name = sql.split(marker, 1)[1].split(None, 1)[0].strip('"') if marker and marker in sql else ""
        kinds[f"{verb} {name}".strip()] += 1
    return kinds.most_common()


def pct(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of unsorted values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = "+".join("-" * (w + 2) for w in widths)
    out = []
    for n, r in enumerate(cells):
        out.append(" | ".join(c.rjust(w) if n and _numeric(c) else c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if n == 0:
            out.append(line)
    return "\n".join(out)


def _numeric(s: str) -> bool:
    t = s.replace(",", "").replace("%", "").replace("x", "").replace("×", "").strip()
    try:
        float(t)
    except ValueError:
        return False
    return True
