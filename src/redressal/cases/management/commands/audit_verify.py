from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from redressal.audit.verify import verify_audit_chain
from redressal.cases.models import Case, CaseEvent
from redressal.cases.services.events import verify_case_chain
from redressal.cases.services.projection import row_problems


def case_problems(case: Case) -> list[str]:
    """The chain's first break, or else every way the case's rows differ from its events."""
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    broken = verify_case_chain(case, events)
    if broken:
        # A broken chain cannot vouch for the rows: the break is the finding.
        return [f"case {broken.case_number} event #{broken.seq}: {broken.problem}"]
    return [f"case {case.case_number}: {problem}" for problem in row_problems(case, events)]


class Command(BaseCommand):
    help = (
        "Verify every case's keyed event chain, its sealed head and its rows against its events, and the "
        "audit chain; exit 1 naming every problem (docs/audit.md says what this proves)."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        total = Case.objects.count()
        checked = 0
        problems: list[str] = []
        with Progress(transient=True, disable=not self.stdout.isatty()) as progress:
            bar = progress.add_task("verifying", total=total)
            for case in Case.objects.order_by("pk").iterator(chunk_size=500):
                problems += case_problems(case)
                checked += 1
                progress.advance(bar)
        audit_break = verify_audit_chain()
        if audit_break:
            problems.append(f"audit event #{audit_break[0]}: {audit_break[1]}")
        if len(problems) == 1:
            raise CommandError(problems[0])
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problems; the first: {problems[0]}")
        self.stdout.write(f"OK: {checked} case chains and the audit chain verify")
