"""Units' regions as of a moment (decision 0015): the regulatory report's "by region" of a closed
period counts each unit in the region it had at the period's end, not the one it has today.

Every save of an ``OrgUnit`` (the organisation's services, the administration site) goes through
``record``: a unit's first save opens its first version; a change of region closes the current version
at that moment and opens the next. A region written around ``save`` (a queryset ``update``) is not seen.
Units saved before this history existed got one version from the beginning (migration 0002).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from redressal.core.clock import now
from redressal.insight.models import UnitRegion
from redressal.org.models import OrgUnit


def record(sender: type[OrgUnit], instance: OrgUnit, **kwargs: Any) -> None:
    """``post_save`` of an OrgUnit: a new version when the region is new or changed."""
    if kwargs.get("raw"):
        return
    with transaction.atomic():
        current = UnitRegion.objects.select_for_update().filter(unit_id=instance.pk, valid_to=None).first()
        if current is not None and current.region == instance.region:
            return
        moment = now()
        if current is not None:
            moment = max(moment, current.valid_from)  # never an interval that ends before it starts
            current.valid_to = moment
            current.save(update_fields=["valid_to"])
        UnitRegion.objects.create(unit_id=instance.pk, region=instance.region, valid_from=moment)


def regions_at(unit_ids: Iterable[int], moment: datetime) -> dict[int, str]:
    """Each unit's region at ``moment``. Before a unit's first version it had the region first recorded;
    a unit with no version at all has today's."""
    ids = set(unit_ids)
    found = dict(
        UnitRegion.objects.filter(unit_id__in=ids, valid_from__lte=moment)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=moment))
        .values_list("unit_id", "region")
    )
    missing = ids - set(found)
    if missing:
        first: dict[int, str] = {}
        for unit, region in (
            UnitRegion.objects.filter(unit_id__in=missing)
            .order_by("unit_id", "valid_from")
            .values_list("unit_id", "region")
        ):
            first.setdefault(unit, region)
        found.update(first)
        rest = missing - set(first)
        if rest:
            found.update(OrgUnit.objects.filter(pk__in=rest).values_list("pk", "region"))
    return found


def units_in_region(region: str, moment: datetime, within: Iterable[int]) -> list[int]:
    """The units of ``within`` whose region at ``moment`` was ``region``."""
    return [unit for unit, r in regions_at(within, moment).items() if r == region]
