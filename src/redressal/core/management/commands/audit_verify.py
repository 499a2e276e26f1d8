from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from redressal.audit.verify import verify_audit_chain
from redressal.cases.models import Case
from redressal.cases.services.events import verify_case_chain


class Command(BaseCommand):
    help = "Verify every case's event hash chain and the audit chain; exit 1 naming the first broken event."

    def handle(self, *args: Any, **opts: Any) -> None:
        total = Case.objects.count()
        checked = 0
        with Progress(transient=True, disable=not self.stdout.isatty()) as progress:
            bar = progress.add_task("verifying", total=total)
            for case in Case.objects.order_by("pk").iterator(chunk_size=500):
                broken = verify_case_chain(case)
                if broken:
                    raise CommandError(f"case {broken.case_number} event #{broken.seq}: {broken.problem}")
                checked += 1
                progress.advance(bar)
        audit_break = verify_audit_chain()
        if audit_break:
            raise CommandError(f"audit event #{audit_break[0]}: {audit_break[1]}")
        self.stdout.write(f"OK: {checked} case chains and the audit chain verify")
