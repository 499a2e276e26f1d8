from typing import Any

from django.core.management.base import BaseCommand

from redressal.core.scheduler import run_forever, tick


class Command(BaseCommand):
    help = "Enqueue periodic work (deadline sweep, stale-task reaper); run one per installation or more."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run one tick and exit")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["once"]:
            self.stdout.write(", ".join(tick()) or "nothing due")
            return
        run_forever(opts["interval"])
