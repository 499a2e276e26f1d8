"""Drawing a month's QA sample (质检抽样): by an inspector's button or the scheduler, idempotently."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from redressal.core.clock import now
from redressal.core.errors import PermissionDenied, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.quality.months import Month
from redressal.domain.quality.sampling import select_sample
from redressal.org.authz import Actor
from redressal.quality import facts
from redressal.quality.models import QaInspection, QaSample
from redressal.quality.services._audit import audit, refused
from redressal.quality.services.config import current_config, rule_of

PERMISSION = "qa.inspect"


def parse_month(text: str) -> Month:
    try:
        return Month.parse(text)
    except DomainError as exc:
        raise refused(exc) from None


def draw_sample(month: Month, *, actor: Actor | None) -> tuple[QaSample, int]:
    """Draw ``month``'s sample once it has ended; drawing again adds only cases not yet in it (a review
    overturned since), never changes or removes one. ``actor`` None is the scheduler. Returns the
    sample and how many inspections this call added."""
    if actor is not None and not actor.has(PERMISSION):
        raise PermissionDenied("permission_denied", f"missing permission '{PERMISSION}'")
    if month.end(facts.tz()) > now():
        raise ValidationFailed("qa.month_open", f"{month} has not ended: its sample is drawn after it", field="month")
    with transaction.atomic():
        sample = QaSample.objects.select_for_update().filter(month=str(month)).first()
        config = sample.config if sample else current_config()
        candidates = facts.candidates(month)
        picks = select_sample(str(month), candidates, facts.overturned(month), rule_of(config))
        if sample is None:
            try:
                with transaction.atomic():
                    sample = QaSample.objects.create(
                        month=str(month),
                        config=config,
                        population=len(candidates),
                        drawn_at=now(),
                        drawn_by=actor.staff if actor else None,
                    )
            except IntegrityError:  # another draw created it: take it and add what is missing
                sample = QaSample.objects.select_for_update().get(month=str(month))
        have = set(sample.inspections.values_list("case_id", flat=True))
        new = [
            QaInspection(sample=sample, case_id=p.case_id, handler_id=p.handler_id, reasons=list(p.reasons))
            for p in picks
            if p.case_id not in have
        ]
        QaInspection.objects.bulk_create(new)
        if new or not have:
            audit(
                "qa.sample_drawn",
                actor,
                "quality.sample",
                sample.month,
                population=len(candidates),
                added=len(new),
                total=len(have) + len(new),
                config_version=config.version,
            )
    return sample, len(new)


def draw_due_samples() -> int:
    """The scheduler's job: draw last month's sample when it is not there yet."""
    month = Month.of(now(), facts.tz()).previous()
    if QaSample.objects.filter(month=str(month)).exists():
        return 0
    _sample, added = draw_sample(month, actor=None)
    return added
