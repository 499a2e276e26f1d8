from typing import Any

from django.core.management.base import BaseCommand

from redressal.conversations.rotation import rotate


class Command(BaseCommand):
    help = "Re-encrypt the customers' channel keys (WeChat openids) under the first key of REDRESSAL_PII_KEYS."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reindex", action="store_true", help="also rebuild their keyed hashes")

    def handle(self, *args: Any, **opts: Any) -> None:
        changed = rotate(reindex=opts["reindex"])
        self.stdout.write(f"re-encrypted {changed} conversation and binding records under the active key")
