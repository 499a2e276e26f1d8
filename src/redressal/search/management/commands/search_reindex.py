from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from redressal.cases.models import Case
from redressal.search.services import reindex


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of all cases (after a dictionary change or a restore). "
        "Idempotent; resumable with --missing or --start-after."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="cases per transaction (default 1000)")
        parser.add_argument("--start-after", type=int, default=0, help="resume after this case id")
        parser.add_argument("--missing", action="store_true", help="only cases that have no document yet")

    def handle(self, *args: Any, **opts: Any) -> None:
        batch = opts["batch"]
        if not 1 <= batch <= 100_000:
            raise CommandError("--batch must be between 1 and 100000")
        todo = Case.objects.filter(pk__gt=opts["start_after"])
        if opts["missing"]:
            todo = todo.filter(search_doc__isnull=True)
        columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        done = [opts["start_after"]]

        def advance(n: int, last: int) -> None:
            done[0] = last
            progress.advance(bar, n)

        with Progress(*columns, transient=True, disable=not self.stdout.isatty()) as progress:
            bar = progress.add_task("indexing", total=todo.count())
            try:
                result = reindex(
                    batch=batch, start_after=opts["start_after"], only_missing=opts["missing"], progress=advance
                )
            except KeyboardInterrupt:
                # Every finished batch is committed: carry on from the last one.
                self.stderr.write(f"interrupted; resume with: redressal search-reindex --start-after {done[0]}")
                raise
        rate = result.written / result.seconds if result.seconds else 0.0
        self.stdout.write(
            f"indexed {result.written} of {result.total} cases in {result.seconds:.1f}s ({rate:.0f}/s); "
            f"{Case.objects.count()} cases in all"
        )
