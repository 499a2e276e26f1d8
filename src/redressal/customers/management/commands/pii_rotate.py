from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import Progress

from redressal.customers.models import Customer
from redressal.customers.rotation import rotate


class Command(BaseCommand):
    help = "Re-encrypt personal data under the first key of REDRESSAL_PII_KEYS (key rotation)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reindex", action="store_true", help="also rebuild the blind indexes")

    def handle(self, *args: Any, **opts: Any) -> None:
        with Progress(transient=True, disable=not self.stdout.isatty()) as progress:
            bar = progress.add_task("re-encrypting", total=Customer.objects.count())
            changed = rotate(reindex=opts["reindex"], progress=lambda n: progress.advance(bar, n))
        self.stdout.write(f"re-encrypted {changed} customer records under the active key")
