"""``redressal report regulatory PERIOD --format xlsx|pdf|json --out FILE``: the regulatory statistics
of a quarter (2026Q3) or a year (2026), for the whole bank or as one staff member sees it (``--as``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from redressal.core.errors import ServiceError
from redressal.insight.export import report_pdf, report_xlsx
from redressal.insight.regulatory import as_json, compute, period_of, scope_of, whole_bank
from redressal.org.authz import actor_for
from redressal.org.models import Staff

FORMATS = ("json", "xlsx", "pdf")


class Command(BaseCommand):
    help = "Write the regulatory statistics of a period (2026Q3 or 2026) as JSON, XLSX or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["regulatory"], help="the report (regulatory)")
        parser.add_argument("period", help="a quarter (2026Q3) or a year (2026)")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--out", help="the file to write (default: JSON to standard output)")
        parser.add_argument("--as", dest="username", help="scope it to what this staff member may see")
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            period = period_of(opts["period"])
            if opts["username"]:
                staff = Staff.objects.filter(username=opts["username"], is_active=True).first()
                if staff is None:
                    raise CommandError(f"no active staff member '{opts['username']}'")
                scope = scope_of(actor_for(staff))
            else:
                scope = whole_bank()
        except ServiceError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from None
        if opts["format"] != "json" and not opts["out"]:
            raise CommandError(f"--out FILE is needed for {opts['format']}")
        report = compute(scope, period)
        with translation.override(opts["language"]):
            if opts["format"] == "json":
                data = json.dumps(as_json(report), ensure_ascii=False, indent=2).encode("utf-8")
            elif opts["format"] == "xlsx":
                data = report_xlsx(report, opts["language"])
            else:
                data = report_pdf(report, opts["language"])
        if opts["out"]:
            out = Path(opts["out"])
            if not out.parent.is_dir():
                raise CommandError(f"--out: the folder {out.parent} does not exist")
            out.write_bytes(data)
            self.stdout.write(f"{report['period']}: {report['total']} complaints → {out}")
        else:
            self.stdout.write(data.decode("utf-8"))
