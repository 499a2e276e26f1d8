"""QA and scorecards on a seeded demo database: how long a month's scorecard board, the month's agreement
and a (repeated, idempotent) sample draw take, and how many queries they run.

    REDRESSAL_DATABASE_URL=postgres://…/redressal_demo .venv/bin/python bench/quality.py [--reps 5]

Unlike the other scripts this one reads the database the environment names (a demo built with
``redressal seed-demo``), because the figures are about a year of real-looking history. It changes
nothing: the draw of a month already drawn adds no case (and a month still missing is left alone).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redressal.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from redressal.domain.quality.months import Month
    from redressal.org.authz import actor_for
    from redressal.org.models import Staff
    from redressal.quality import selectors
    from redressal.quality.models import QaInspection, QaSample
    from redressal.quality.scorecards import board
    from redressal.quality.services.sampling import draw_sample

    months = list(QaSample.objects.order_by("month").values_list("month", flat=True))
    if not months:
        print("no QA samples: seed the demo first (redressal seed-demo)")
        return
    viewers = {name: actor_for(Staff.objects.get(username=name)) for name in ("qa1", "supervisor1", "handler1")}
    print(f"{connection.vendor}: {len(months)} months sampled, {QaInspection.objects.count()} inspections")
    print(f"{'month':8} {'viewer':12} {'rows':>5} {'p50 ms':>8} {'max ms':>8} {'queries':>8}")
    for month in months[-3:]:
        m = Month.parse(month)
        for name, actor in viewers.items():
            times = []
            for _ in range(args.reps):
                with CaptureQueriesContext(connection) as q:
                    t0 = time.perf_counter()
                    b = board(actor, m)
                    times.append((time.perf_counter() - t0) * 1000)
            print(
                f"{month:8} {name:12} {len(b.rows):>5} {statistics.median(times):>8.1f} {max(times):>8.1f} "
                f"{len(q.captured_queries):>8}"
            )
    qa1 = viewers["qa1"]
    for month in months[-3:]:
        t0 = time.perf_counter()
        selectors.month_agreement(qa1, month)
        agreement_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        _sample, added = draw_sample(Month.parse(month), actor=qa1)
        draw_ms = (time.perf_counter() - t0) * 1000
        print(f"{month}: agreement {agreement_ms:.1f} ms; repeated draw {draw_ms:.1f} ms, added {added}")


if __name__ == "__main__":
    main()
