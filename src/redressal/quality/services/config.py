"""The sampling rule and the rubric in force, and their new versions (set by compliance, audited)."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from django.db import IntegrityError, transaction

from redressal.core.clock import now
from redressal.core.errors import Conflict, ValidationFailed
from redressal.domain.errors import DomainError
from redressal.domain.quality.rubric import DEFAULT_RUBRIC, Rubric, RubricItem
from redressal.domain.quality.sampling import DEFAULT_RULE, SamplingRule
from redressal.org.authz import Actor
from redressal.quality.models import QaConfig
from redressal.quality.services._audit import audit, refused

PERMISSION = "qa.configure"


def rubric_of(config: QaConfig) -> Rubric:
    return Rubric(items=tuple(RubricItem(**item) for item in config.rubric))


def rule_of(config: QaConfig) -> SamplingRule:
    return SamplingRule(
        percent=Decimal(config.percent),
        min_per_handler=config.min_per_handler,
        include_overturned=config.include_overturned,
        include_p1=config.include_p1,
    )


def _store(actor: Actor | None, rule: SamplingRule, rubric: Rubric, reason: str) -> QaConfig:
    latest = QaConfig.objects.order_by("-version").first()
    config = QaConfig.objects.create(
        version=(latest.version + 1) if latest else 1,
        percent=rule.percent,
        min_per_handler=rule.min_per_handler,
        include_overturned=rule.include_overturned,
        include_p1=rule.include_p1,
        rubric=[asdict(item) for item in rubric.items],
        created_by=actor.staff if actor else None,
        created_at=now(),
        reason=reason,
    )
    audit(
        "qa.config_versioned",
        actor,
        "quality.config",
        config.version,
        reason=reason,
        percent=str(rule.percent),
        min_per_handler=rule.min_per_handler,
        include_overturned=rule.include_overturned,
        include_p1=rule.include_p1,
        rubric=config.rubric,
    )
    return config


def current_config() -> QaConfig:
    """The newest version; the domain's defaults become version 1 the first time one is needed."""
    config = QaConfig.objects.order_by("-version").first()
    if config is not None:
        return config
    try:
        with transaction.atomic():
            return _store(None, DEFAULT_RULE, DEFAULT_RUBRIC, "defaults (SPEC §12)")
    except IntegrityError:  # another process stored them first
        return QaConfig.objects.order_by("-version").first() or current_config()


def update_config(*, actor: Actor, rule: SamplingRule, rubric: Rubric, reason: str, expected_version: int) -> QaConfig:
    """A new version of the rule and the rubric, in force for samples drawn from now on."""
    actor.require(PERMISSION)
    if not reason.strip():
        raise ValidationFailed("required", "say why the rule or the rubric changes", field="reason")
    try:
        rule.check()
        rubric.check()
    except DomainError as exc:
        raise refused(exc) from None
    with transaction.atomic():
        latest = current_config()
        if latest.version != expected_version:
            raise Conflict("version_conflict", "the settings were changed meanwhile", field="version")
        try:
            with transaction.atomic():
                return _store(actor, rule, rubric, reason.strip())
        except IntegrityError:
            raise Conflict("version_conflict", "the settings were changed meanwhile", field="version") from None
