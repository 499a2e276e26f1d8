from typing import Any

from django.core.management.base import BaseCommand, CommandError

from redressal.workdays.services import sync_year


class Command(BaseCommand):
    help = "Seed statutory holidays and 调休 make-up working days for a year (from the holidays package)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("year", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            hol, makeup = sync_year(opts["year"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        confirmed = "" if makeup else " (no make-up days published: year left unconfirmed)"
        self.stdout.write(f"{opts['year']}: {hol} holidays, {makeup} make-up working days{confirmed}")
