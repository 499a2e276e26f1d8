"""``redressal insight-rebuild``: the reported facts of every case rebuilt from its events (after an
upgrade that changes what a fact is, or to check the projection against the history)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from redressal.insight import rollups
from redressal.insight.projection import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the reported facts of every case (the regulatory statistics' projection) from the case events, "
        "and the dashboards' roll-ups from the cases."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        written = rebuild()
        rows = rollups.rebuild()
        self.stdout.write(f"OK: {written} fact versions and {rows} dashboard roll-up rows written")
