"""QA's periodic work, run by ``redressal scheduler`` (found by redressal.core.apps): once a month has
ended, its sample is drawn (idempotent: a month already drawn is left as it is)."""

from __future__ import annotations

from redressal.core.scheduler import PeriodicJob, register
from redressal.quality.services.sampling import draw_due_samples

register(PeriodicJob("qa_monthly_sample", 6 * 3600, draw_due_samples))
