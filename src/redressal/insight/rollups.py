"""The dashboards' roll-ups (``Rollup``), kept in step with each case inside its command's transaction.

A case adds a handful of amounts to a handful of rows (:func:`shares_of`: received that day by type and
channel, by codes, by product; open by state; decided that day, on time or not). Its current
``ReportedFact`` remembers them (``shares``); when a command changes the case, the difference is
applied — the old amounts taken away, the new added — so every row is always the sum over the cases
as they stand. ``rebuild``
recomputes everything from the case rows (``redressal insight-rebuild``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from redressal.cases.models import Case, Decision
from redressal.insight.models import ReportedFact, Rollup

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


def as_json(shares: dict[Key, Amount]) -> list[list[Any]]:
    return [[*key, *amount] for key, amount in sorted(shares.items())]


def from_json(stored: Iterable[Any]) -> dict[Key, Amount]:
    return {(k, d, int(u), a, b): (int(n), int(x), int(y)) for k, d, u, a, b, n, x, y in stored}


def _upsert(delta: dict[Key, list[int]]) -> None:
    """Add the amounts to their rows in one statement (INSERT … ON CONFLICT … DO UPDATE, on SQLite and
    PostgreSQL alike): concurrent commands add to the same row without losing either's amount."""
    rows = [(key, amount) for key, amount in sorted(delta.items()) if any(amount)]
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(Rollup._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for (kind, day, unit, a, b), (n, x, y) in rows:
        params += [kind, ops.adapt_datefield_value(date.fromisoformat(day)), unit, a, b, n, x, y]
    # The table name is the model's and the values are parameters: nothing of the input is in the text.
    sql = (
        f"INSERT INTO {table} (kind, day, unit_id, a, b, n, x, y) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (kind, day, unit_id, a, b) DO UPDATE SET n = {table}.n + excluded.n, "
        f"x = {table}.x + excluded.x, y = {table}.y + excluded.y"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def apply(old: dict[Key, Amount], new: dict[Key, Amount]) -> None:
    """Bring the roll-ups in step with a case whose share went from ``old`` to ``new`` (inside its
    command's transaction)."""
    if new == old:
        return
    delta: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, amount in old.items():
        for i, v in enumerate(amount):
            delta[key][i] -= v
    for key, amount in new.items():
        for i, v in enumerate(amount):
            delta[key][i] += v
    _upsert(delta)


def rebuild(chunk: int = 2000) -> int:
    """Every roll-up recomputed from the case rows, each case's share written on its current facts;
    returns the number of roll-up rows written. Run after the facts exist (``insight-rebuild``)."""
    totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    with transaction.atomic():
        on_time: dict[int, bool] = {}
        for case_id, value in Decision.objects.order_by("pk").values_list("case_id", "on_time").iterator(chunk):
            on_time[case_id] = value  # the latest decision of each case wins
        Rollup.objects.all().delete()
        current = dict(ReportedFact.objects.filter(valid_to__isnull=True).values_list("case_id", "pk"))
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
        pending: list[ReportedFact] = []
        for case in Case.objects.only(*fields).order_by("pk").iterator(chunk):
            mine = shares_of(case, on_time.get(case.pk))
            for key, amount in mine.items():
                for i, v in enumerate(amount):
                    totals[key][i] += v
            if case.pk in current:
                pending.append(ReportedFact(pk=current[case.pk], shares=as_json(mine)))
            if len(pending) >= chunk:
                ReportedFact.objects.bulk_update(pending, ["shares"])
                pending = []
        ReportedFact.objects.bulk_update(pending, ["shares"])
        rows = [
            Rollup(kind=k, day=d, unit_id=u, a=a, b=b, n=n, x=x, y=y)
            for (k, d, u, a, b), (n, x, y) in totals.items()
            if n or x or y
        ]
        Rollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
