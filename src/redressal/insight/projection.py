"""The reported facts of a case (``ReportedFact``), kept in step with its events.

Two ways to the same versions, both tested against a recount over the raw events:

* :func:`after_command` — the ``cases.bus`` saved hook: once per command, inside its transaction, the
  facts of the case as saved; a new version when they differ from the current one, valid from the
  moment the command's last event was recorded;
* :func:`rebuild` — ``redressal insight-rebuild``: every case's events replayed in order
  (:class:`Replay`), a version at each event that changes a fact.

What is a fact here (``FACT_FIELDS``): what a regulatory figure counts or divides by. The B and C codes
are the confirmed ones only: a model's suggestion is no fact (SPEC §6) and such a case counts as
unconfirmed (the report's data-quality warning lists it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.db import transaction

from redressal.cases.models import Case, CaseEvent, Decision
from redressal.domain.reporting import a_code
from redressal.insight import rollups
from redressal.insight.models import ReportedFact

FACT_FIELDS = (
    "kind",
    "request_type",
    "source",
    "channel",
    "business",
    "cause",
    "unit_id",
    "received_at",
    "decided_at",
    "on_time",
    "extension_level",
    "was_paused",
    "merged",
    "outcome",
    "review_of_id",
)


def _confirmed(classification: Any, axis: str) -> str:
    entry = classification.get(axis) if isinstance(classification, dict) else None
    confirmed = entry.get("confirmed") if isinstance(entry, dict) else None
    return str(confirmed.get("code") or "") if isinstance(confirmed, dict) else ""


def facts_of(case: Case, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The facts of ``case`` as saved; ``previous``: the current version's (what only accumulates —
    the highest extension, whether ever paused — and the decision's timeliness, read again only when
    the case was decided anew)."""
    c = case.classification
    on_time: bool | None = None
    if case.decided_at is not None:
        if previous is not None and previous["decided_at"] == case.decided_at:
            on_time = previous["on_time"]
        else:
            on_time = Decision.objects.filter(case_id=case.pk).order_by("-pk").values_list("on_time", flat=True).first()
    return {
        "kind": case.kind,
        "request_type": _confirmed(c, "request_type") or case.request_type,
        "source": case.source,
        "channel": a_code(case.channel, _confirmed(c, "channel")),
        "business": _confirmed(c, "business"),
        "cause": _confirmed(c, "cause"),
        "unit_id": case.unit_id,
        "received_at": case.received_at,
        "decided_at": case.decided_at,
        "on_time": on_time,
        "extension_level": max(case.extension_level, previous["extension_level"] if previous else 0),
        "was_paused": case.paused or bool(previous and previous["was_paused"]),
        "merged": case.merged_into_id is not None,
        "outcome": case.outcome,
        "review_of_id": case.review_of_id,
    }


def _as_dict(fact: ReportedFact) -> dict[str, Any]:
    return {name: getattr(fact, name) for name in FACT_FIELDS}


_deferred: ContextVar[bool] = ContextVar("insight_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Commands run inside leave the facts and roll-ups alone; on leaving, both are rebuilt from the
    events and the cases (what the hook would have written: ``tests/insight`` checks they agree). For
    a bulk replay such as the demo's year, where one rebuild costs less than the hook on every command."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    rebuild()
    rollups.rebuild()


def after_command(case: Case, event_types: tuple[str, ...]) -> None:
    """The saved hook: a new version of the case's facts when the command changed one, and the
    dashboards' roll-ups brought in step — two or three statements for most commands."""
    if not event_types or _deferred.get():
        return
    current = ReportedFact.objects.filter(case_id=case.pk, valid_to__isnull=True).first()
    previous = _as_dict(current) if current is not None else None
    facts = facts_of(case, previous)
    old = rollups.from_json(current.shares) if current is not None else {}
    new = rollups.shares_of(case, facts["on_time"])
    rollups.apply(old, new)
    if facts != previous:
        _new_version(case, current, {**facts, "shares": rollups.as_json(new)})
    elif new != old and current is not None:
        ReportedFact.objects.filter(pk=current.pk).update(shares=rollups.as_json(new))


def _new_version(case: Case, current: ReportedFact | None, values: dict[str, Any]) -> None:
    moment = case.last_event_recorded_at or (
        CaseEvent.objects.filter(case_id=case.pk, seq=case.last_event_seq).values_list("recorded_at", flat=True).first()
    )
    if moment is None:  # a command always appends its events before the case is saved
        return
    if current is not None and current.valid_from >= moment:
        # Two commands recorded at the same instant (a frozen clock): one version, the later facts.
        ReportedFact.objects.filter(pk=current.pk).update(**values)
        return
    if current is not None:
        ReportedFact.objects.filter(pk=current.pk).update(valid_to=moment)
    ReportedFact.objects.create(case_id=case.pk, valid_from=moment, **values)


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


class Replay:
    """A case's facts, event by event (what ``facts_of`` reads off the saved row, read off the history).
    The facts that no event changes (kind, source, the case reviewed) come from the case row."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.facts: dict[str, Any] = {}
        self.channel = case.channel
        self.confirmed_channel = ""
        self.request_type = case.request_type
        self.confirmed_request_type = ""

    def apply(self, event: CaseEvent) -> dict[str, Any]:
        f = self.facts
        p = event.payload if isinstance(event.payload, dict) else {}
        if event.type == "registered":
            self.request_type = p.get("request_type") or self.case.request_type
            self.channel = p.get("channel") or self.case.channel
            f.update(
                kind=self.case.kind,
                source=self.case.source,
                business="",
                cause="",
                received_at=event.at,
                on_time=None,
                extension_level=0,
                was_paused=False,
                merged=False,
                outcome="",
                review_of_id=self.case.review_of_id,
                unit_id=self.case.unit_id,
                decided_at=None,
            )
            self._tracked(p.get("initial"))
        self._tracked(p.get("changes"), changes=True)
        if event.type == "classification_confirmed":
            code = str((p.get("after") or {}).get("code") or "")
            axis = p.get("axis")
            if axis in ("business", "cause"):
                f[axis] = code
            elif axis == "channel":
                self.confirmed_channel = code
            elif axis == "request_type":
                self.confirmed_request_type = code
        if event.type == "responded":
            f["on_time"] = p.get("on_time")
        f["channel"] = a_code(self.channel, self.confirmed_channel)
        f["request_type"] = self.confirmed_request_type or self.request_type
        return dict(f)

    def _tracked(self, values: Any, *, changes: bool = False) -> None:
        if not isinstance(values, dict):
            return
        f = self.facts
        for name, value in values.items():
            if changes:
                if not isinstance(value, dict) or "after" not in value:
                    continue
                value = value["after"]
            if name == "unit_id" and value is not None:
                f["unit_id"] = value
            elif name == "decided_at":
                f["decided_at"] = _moment(value)
                if value is None:
                    f["on_time"] = None
            elif name == "extension_level":
                f["extension_level"] = max(int(value or 0), f.get("extension_level", 0))
            elif name == "paused":
                f["was_paused"] = bool(f.get("was_paused")) or bool(value)
            elif name == "merged_into_id":
                f["merged"] = value is not None
            elif name == "outcome":
                f["outcome"] = value or ""


def versions(case: Case, events: Iterable[CaseEvent]) -> Iterator[ReportedFact]:
    """The case's fact versions from its events (each with ``valid_to`` set but the last)."""
    replay = Replay(case)
    last: ReportedFact | None = None
    for event in events:
        facts = replay.apply(event)
        if event.type != "registered" and last is None:
            continue  # a history must begin with its registration
        if last is not None and all(getattr(last, k) == v for k, v in facts.items()):
            continue
        if last is not None and last.valid_from >= event.recorded_at:
            for k, v in facts.items():
                setattr(last, k, v)
            continue
        if last is not None:
            last.valid_to = event.recorded_at
            yield last
        last = ReportedFact(case_id=case.pk, valid_from=event.recorded_at, **facts)
    if last is not None:
        yield last


def rebuild(case_ids: Iterable[int] | None = None, *, chunk: int = 500) -> int:
    """Replace the facts of these cases (all when None) by their replay from the events; returns the
    number of versions written. One transaction per chunk of cases. The new versions hold no roll-up
    shares: ``rollups.rebuild`` follows (``insight-rebuild`` runs both)."""
    ids = list(case_ids) if case_ids is not None else list(Case.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        with transaction.atomic():
            cases = Case.objects.select_for_update().filter(pk__in=part).in_bulk()
            events: dict[int, list[CaseEvent]] = {}
            for e in CaseEvent.objects.filter(case_id__in=part).order_by("case_id", "seq").iterator(chunk_size=5000):
                events.setdefault(e.case_id, []).append(e)
            ReportedFact.objects.filter(case_id__in=part).delete()
            rows = [v for pk in part if pk in cases for v in versions(cases[pk], events.get(pk, []))]
            ReportedFact.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
    return written
