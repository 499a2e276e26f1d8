"""``redressal regulator-import FILE --regulator nfra|pbc --unit CODE --as USERNAME [--dry-run]``:
import a regulator's transfer list (XLSX/CSV) and print the per-row report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from redressal.core.errors import ServiceError
from redressal.org.authz import actor_for
from redressal.org.models import Staff
from redressal.transfers import services
from redressal.transfers.labels import row_text


class Command(BaseCommand):
    help = "Import a regulator's transfer list (XLSX or CSV); each row becomes a regulator-forwarded case."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the regulator's list, .xlsx or .csv")
        parser.add_argument("--regulator", required=True, help="the column mapping: nfra, pbc, or a bank's own")
        parser.add_argument("--unit", default="", help="the unit rows land in when the list names no branch")
        parser.add_argument("--as", dest="username", required=True, help="the staff member importing")
        parser.add_argument("--dry-run", action="store_true", help="show the report, register nothing")
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"file: no such file {path}")
        staff = Staff.objects.filter(username=opts["username"], is_active=True).first()
        if staff is None:
            raise CommandError(f"--as: no active staff member '{opts['username']}'")
        actor = actor_for(staff)
        kwargs = {
            "mapping_key": opts["regulator"],
            "filename": path.name,
            "content": path.read_bytes(),
            "unit_code": opts["unit"],
        }
        with translation.override(opts["language"]):
            try:
                if opts["dry_run"]:
                    preview = services.preview_transfers(actor, **kwargs)
                    rows = [r.as_dict() for r in preview.rows]
                    counts = preview.counts()
                else:
                    batch = services.import_transfers(actor, **kwargs)
                    rows = batch.report
                    counts = {
                        "imported": batch.imported,
                        "already_imported": batch.already,
                        "duplicate_in_file": batch.duplicates,
                        "error": batch.errors,
                    }
            except ServiceError as exc:
                raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from None
            for row in rows:
                number = row["regulator_case_number"] or "-"
                self.stdout.write(f"{row['row']:>5}  {number}  {row_text(row)}")
            summary = ", ".join(f"{k}={v}" for k, v in counts.items() if v or k in ("imported", "ok"))
            self.stdout.write(("dry run: " if opts["dry_run"] else "") + summary)
