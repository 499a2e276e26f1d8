"""Triage's periodic work, run by ``redressal scheduler`` (found by redressal.core.apps)."""

from __future__ import annotations

from redressal.core.scheduler import PeriodicJob, register
from redressal.triage.services.mass import prune_text_bands

register(PeriodicJob("prune_text_bands", 3600, prune_text_bands))
