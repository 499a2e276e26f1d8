"""Regulator transfer lists: rows per second through preview and import, and a re-run of the same file.

    .venv/bin/python bench/transfers.py [--db sqlite|postgres|both] [ROWS…]

Defaults: ``--db both``, ROWS = 200 1000. For each size an XLSX list in the 12378 mapping's headers
(a new complainant with a phone per row) is previewed (reads and judges every row, writes nothing),
imported (one ``register_case`` per row in its own transaction, with the customer look-up by phone,
triage, routing, deadlines and the acknowledgement), and imported again (every row already imported).
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import BenchEnv, parser, run_each_db, strip_db, table

HEADERS = ["投诉编号", "投诉人", "联系电话", "投诉内容", "投诉受理日期", "转办日期", "业务类别", "诉求类型", "涉及金额"]


def workbook(n: int, prefix: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for i in range(n):
        sheet.append(
            [f"{prefix}-{i:06d}", f"客户{i}", f"139{i:08d}", f"信用卡年费未经同意扣收，要求退还。(bench #{i})",
             "2026-03-06", "2026-03-09 09:30", "信用卡", "退款、解释说明", "300"]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> int:
    args = parser(__doc__ or "").parse_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    sizes = args.sizes or [200, 1000]
    with BenchEnv(args.db, "transfers") as env:
        import time_machine

        from redressal.org.authz import actor_for
        from redressal.transfers import services

        assert env.bank is not None
        actor = actor_for(env.bank.supervisor)
        rows = []
        with time_machine.travel("2026-03-10T02:00:00Z", tick=True):
            for n in sizes:
                content = workbook(n, f"N{n}")
                kwargs = {"mapping_key": "nfra", "filename": "list.xlsx", "content": content, "unit_code": "BJ"}
                t0 = time.perf_counter()
                preview = services.preview_transfers(actor, **kwargs)
                t1 = time.perf_counter()
                batch = services.import_transfers(actor, **kwargs)
                t2 = time.perf_counter()
                again = services.import_transfers(actor, **kwargs)
                t3 = time.perf_counter()
                rows.append(
                    [n, f"{len(content) / 1024:.0f}", f"{t1 - t0:.2f}", f"{n / (t1 - t0):.0f}", f"{t2 - t1:.2f}",
                     f"{batch.imported / (t2 - t1):.1f}", batch.imported, f"{t3 - t2:.2f}", again.already,
                     preview.counts()["ok"]]
                )  # fmt: skip
        print(env.describe())
        print(
            table(
                ["rows", "KB", "preview s", "rows/s", "import s", "cases/s", "imported", "re-run s", "already", "ok"],
                rows,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
