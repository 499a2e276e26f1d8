"""The dashboards' roll-ups (``Rollup``), kept in step with each case inside its command's transaction.

A case adds a handful of amounts to a handful of rows (:func:`shares_of`: received that day by type and
channel, by codes, by product; open by state; decided that day, on time or not). Its ``RollupShare``
remembers them; when a command changes the case, the difference is applied — the old amounts taken
away, the new added — so every row is always the sum over the cases as they stand. ``rebuild``
recomputes everything from the case rows (``redressal insight-rebuild``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from redressal.cases.models import Case, Decision
from redressal.insight.models import Rollup, RollupShare

Key = tuple[str, str, int, str, str]  # kind, day (ISO), unit id, a, b
Amount = tuple[int, int, int]  # n, x, y


def _day(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()


def _confirmed(classification: Any, axis: str) -> str:
    entry = classification.get(axis) if isinstance(classification, dict) else None
    confirmed = entry.get("confirmed") if isinstance(entry, dict) else None
    return str(confirmed.get("code") or "") if isinstance(confirmed, dict) else ""


def shares_of(case: Case, on_time: bool | None) -> dict[Key, Amount]:
    """What ``case`` adds to the roll-ups as it stands (``on_time``: its latest decision's)."""
    out: dict[Key, Amount] = {}
    received = _day(case.received_at)
    unit = int(case.unit_id)
    if case.kind == Case.Kind.PRIMARY:
        out[("volume", received, unit, case.request_type, case.channel)] = (1, 0, 0)
        c = case.classification
        out[("code", received, unit, _confirmed(c, "business"), _confirmed(c, "cause"))] = (1, 0, 0)
        if case.product:
            out[("product", received, unit, case.product[:100], "")] = (1, 0, 0)
    if case.closed_at is None:
        out[("open", received, unit, case.status, "")] = (1, 0, 0)
    if case.decided_at is not None:
        seconds = max(0, int((case.decided_at - case.received_at).total_seconds()))
        out[("decided", _day(case.decided_at), unit, "", "")] = (1, int(bool(on_time)), seconds)
    return out


def _as_json(shares: dict[Key, Amount]) -> list[list[Any]]:
    return [[*key, *amount] for key, amount in sorted(shares.items())]


def _from_json(stored: Iterable[Any]) -> dict[Key, Amount]:
    return {(k, d, int(u), a, b): (int(n), int(x), int(y)) for k, d, u, a, b, n, x, y in stored}


def _add(key: Key, amount: Amount) -> None:
    kind, day, unit, a, b = key
    n, x, y = amount
    rows = Rollup.objects.filter(kind=kind, day=day, unit_id=unit, a=a, b=b)
    if rows.update(n=F("n") + n, x=F("x") + x, y=F("y") + y):
        return
    try:
        with transaction.atomic():  # a savepoint: another command may insert the same row first
            Rollup.objects.create(kind=kind, day=day, unit_id=unit, a=a, b=b, n=n, x=x, y=y)
    except IntegrityError:
        rows.update(n=F("n") + n, x=F("x") + x, y=F("y") + y)


def apply(case: Case, on_time: bool | None) -> None:
    """Bring the roll-ups in step with ``case`` as saved (inside its command's transaction)."""
    new = shares_of(case, on_time)
    share = RollupShare.objects.filter(case_id=case.pk).first()
    old = _from_json(share.shares) if share is not None else {}
    if new == old:
        return
    delta: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, amount in old.items():
        for i, v in enumerate(amount):
            delta[key][i] -= v
    for key, amount in new.items():
        for i, v in enumerate(amount):
            delta[key][i] += v
    for key, (n, x, y) in sorted(delta.items()):
        if n or x or y:
            _add(key, (n, x, y))
    if share is None:
        RollupShare.objects.create(case_id=case.pk, shares=_as_json(new))
    else:
        RollupShare.objects.filter(case_id=case.pk).update(shares=_as_json(new))


def rebuild(chunk: int = 2000) -> int:
    """Every roll-up recomputed from the case rows; returns the number of rows written."""
    totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    on_time: dict[int, bool] = {}
    with transaction.atomic():
        for case_id, value in Decision.objects.order_by("pk").values_list("case_id", "on_time").iterator(chunk):
            on_time[case_id] = value  # the latest decision of each case wins
        Rollup.objects.all().delete()
        RollupShare.objects.all().delete()
        shares = []
        fields = (
            "pk",
            "kind",
            "received_at",
            "unit_id",
            "request_type",
            "channel",
            "classification",
            "product",
            "closed_at",
            "status",
            "decided_at",
        )
        for case in Case.objects.only(*fields).order_by("pk").iterator(chunk):
            mine = shares_of(case, on_time.get(case.pk))
            for key, amount in mine.items():
                for i, v in enumerate(amount):
                    totals[key][i] += v
            shares.append(RollupShare(case_id=case.pk, shares=_as_json(mine)))
            if len(shares) >= chunk:
                RollupShare.objects.bulk_create(shares)
                shares = []
        RollupShare.objects.bulk_create(shares)
        rows = [
            Rollup(kind=k, day=d, unit_id=u, a=a, b=b, n=n, x=x, y=y)
            for (k, d, u, a, b), (n, x, y) in totals.items()
            if n or x or y
        ]
        Rollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
