"""Regulator transfers in bulk (SPEC §9): preview a regulator's list, import it, export the reply sheet.

- ``preview_transfers`` reads and judges every row and writes nothing.
- ``import_transfers`` registers each ok row with ``cases.services.register_case`` in its own
  transaction (one bad row loses no other), idempotent on (regulator, regulator case number), and
  keeps an ``ImportBatch`` with the per-row report for audit (decision 0022).
- ``reply_rows`` lists the imported cases for the reply sheet, scoped to the viewer's units.

The reply to the regulator is the case's ``regulator_reply`` deadline (profile ``regulator_reply``),
computed by the cases services like every other clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from redressal.audit.services import record_audit
from redressal.cases import services as svc
from redressal.cases.models import Case, CaseDeadline, CaseEvent
from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from redressal.customers.services import CustomerInput, find_customers
from redressal.domain.deadlines import DECISION, REGULATOR_REPLY
from redressal.domain.transfers import (
    ALREADY,
    DUPLICATE,
    ERROR,
    IMPORTED,
    OK,
    ParsedRow,
    RowError,
    TransferMapping,
    judge,
    missing_headers,
    parse_row,
)
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit
from redressal.org.selectors import scope_unit_ids
from redressal.transfers import reading
from redressal.transfers.models import ImportBatch, TransferKey

PERMISSION = "transfers.import"


@dataclass
class RowReport:
    row: int
    status: str
    regulator_case_number: str = ""
    complainant: str = ""
    unit: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)
    first_row: int | None = None
    case_id: int | None = None
    case_number: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "regulator_case_number": self.regulator_case_number,
            "complainant": self.complainant,
            "unit": self.unit,
            "errors": self.errors,
            "first_row": self.first_row,
            "case_id": self.case_id,
            "case_number": self.case_number,
        }


@dataclass
class Preview:
    mapping: TransferMapping
    filename: str
    sha256: str
    unit_code: str
    rows: list[RowReport]
    parsed: dict[int, ParsedRow]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in (OK, IMPORTED, ALREADY, DUPLICATE, ERROR)}
        for r in self.rows:
            out[r.status] += 1
        return out


def importable_units(actor: Actor) -> list[OrgUnit]:
    """The units the importer may land rows in (the unit picker)."""
    return list(OrgUnit.objects.filter(pk__in=scope_unit_ids(actor, PERMISSION)).order_by("path"))


def _error(e: RowError) -> dict[str, str]:
    return {"field": e.field, "column": e.column, "code": e.code, "detail": e.detail}


def _unit_errors(actor: Actor, mapping: TransferMapping, row: ParsedRow, units: dict[str, OrgUnit]) -> None:
    code = row.fields.get("unit", "")
    header = mapping.header_of("unit")
    if not code:
        row.errors.append(RowError("unit", header, "required"))
    elif code not in units:
        row.errors.append(RowError("unit", header, "unknown_value", code))
    elif not actor.has(PERMISSION, units[code]):
        row.errors.append(RowError("unit", header, "out_of_scope", code))


def preview_transfers(actor: Actor, *, mapping_key: str, filename: str, content: bytes, unit_code: str = "") -> Preview:
    """Every row of the list judged: ok, already imported, a duplicate of an earlier row, or its errors
    (each naming the regulator's column). Writes nothing."""
    actor.require(PERMISSION)
    mapping = reading.mapping(mapping_key)
    given: OrgUnit | None = None
    if unit_code:
        given = OrgUnit.objects.filter(code=unit_code).first()
        if given is None:
            raise ValidationFailed("unknown_unit", f"no org unit with code '{unit_code}'", field="unit")
        actor.require(PERMISSION, given)
    headers, table = reading.read_table(filename, content)
    missing = missing_headers(mapping, headers)
    if missing:
        raise ValidationFailed("missing_columns", f"the file lacks the columns: {'、'.join(missing)}", field="file")
    current = now()
    parsed = [parse_row(mapping, number, cells, current) for number, cells in table]
    codes = {str(p.fields["unit"]) for p in parsed if p.fields.get("unit")} | ({unit_code} if unit_code else set())
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    for p in parsed:
        if not p.fields.get("unit") and unit_code:
            p.fields["unit"] = unit_code
        if not any(e.field == "unit" for e in p.errors):
            _unit_errors(actor, mapping, p, units)
    keys = [p.key for p in parsed if p.key]
    existing = dict(
        Case.objects.filter(regulator=mapping.regulator, regulator_case_number__in=keys)
        .order_by("pk")
        .values_list("regulator_case_number", "pk")
    )
    existing.update(
        TransferKey.objects.filter(regulator=mapping.regulator, regulator_case_number__in=keys).values_list(
            "regulator_case_number", "case_id"
        )
    )
    readable = set(scope_unit_ids(actor, "case.read"))
    numbers = dict(Case.objects.filter(pk__in=existing.values(), unit_id__in=readable).values_list("pk", "case_number"))
    rows = []
    for j in judge(parsed, existing):
        p = j.row
        report = RowReport(
            row=p.number,
            status=j.status,
            regulator_case_number=p.key,
            complainant=str(p.fields.get("complainant_name", "")),
            unit=str(p.fields.get("unit", "")),
            errors=[_error(e) for e in p.errors],
            first_row=j.first_row,
        )
        if j.status == ALREADY:
            report.case_id = existing.get(p.key)
            report.case_number = numbers.get(report.case_id or 0, "")
        rows.append(report)
    return Preview(
        mapping=mapping,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        unit_code=unit_code,
        rows=rows,
        parsed={p.number: p for p in parsed},
    )


def _register_input(actor: Actor, mapping: TransferMapping, p: ParsedRow) -> svc.RegisterInput:
    f = p.fields
    name = str(f.get("complainant_name", ""))
    phone, id_number = str(f.get("phone", "")), str(f.get("id_number", ""))
    customer_id: int | None = None
    customer: CustomerInput | None = None
    if phone or id_number:
        found = find_customers(actor=actor, phone=phone) if phone else find_customers(actor=actor, id_number=id_number)
        if found:
            customer_id = found[0].pk
        elif actor.has("customer.write") and name:
            customer = CustomerInput(name=name, phone=phone, id_number=id_number)
    return svc.RegisterInput(
        request_type=str(f["request_type"]),
        channel=Case.Channel.REGULATOR,
        description=str(f["description"]),
        received_at=f.get("received_at"),
        customer_id=customer_id,
        customer=customer,
        complainant_name=name,
        product=str(f.get("product", "")),
        amount=f.get("amount"),
        demand=list(f.get("demand", [])),
        transaction_ref=str(f.get("transaction_ref", "")),
        unit_code=str(f["unit"]),
        source=Case.Source.REGULATOR_FORWARDED,
        regulator=mapping.regulator,
        regulator_case_number=p.key,
        regulator_received_at=f.get("regulator_received_at"),
        forwarded_at=f.get("forwarded_at"),
    )


def _refusal(mapping: TransferMapping, exc: ServiceError) -> dict[str, str]:
    name = (exc.field or "").removeprefix("customer.")
    name = {"customer": "complainant_name"}.get(name, name)
    return {"field": name, "column": mapping.header_of(name) if name else "", "code": exc.code, "detail": exc.message}


def import_transfers(
    actor: Actor, *, mapping_key: str, filename: str, content: bytes, unit_code: str = ""
) -> ImportBatch:
    """Register every ok row of the list, each in its own transaction, and keep the batch and its report.
    A row already imported (by this or an earlier batch, or registered by hand) is reported, not
    registered again."""
    preview = preview_transfers(actor, mapping_key=mapping_key, filename=filename, content=content, unit_code=unit_code)
    mapping = preview.mapping
    batch = ImportBatch.objects.create(
        regulator=mapping.regulator,
        mapping_key=mapping.key,
        filename=filename[:255],
        sha256=preview.sha256,
        unit=OrgUnit.objects.filter(code=unit_code).first() if unit_code else None,
        imported_by=actor.staff,
        created_at=now(),
        rows=len(preview.rows),
    )
    for report in preview.rows:
        if report.status != OK:
            continue
        parsed = preview.parsed[report.row]
        try:
            with transaction.atomic():
                case = svc.register_case(_register_input(actor, mapping, parsed), actor=actor)
                TransferKey.objects.create(
                    regulator=mapping.regulator, regulator_case_number=parsed.key, case=case, batch=batch
                )
        except IntegrityError:
            # Another import registered the same transfer a moment ago: this one keeps nothing of it.
            report.status = ALREADY
            continue
        except ServiceError as exc:
            report.status = ERROR
            report.errors = [_refusal(mapping, exc)]
            continue
        report.status = IMPORTED
        report.case_id = case.pk
        report.case_number = case.case_number
    counts = preview.counts()
    batch.imported, batch.already = counts[IMPORTED], counts[ALREADY]
    batch.duplicates, batch.errors = counts[DUPLICATE], counts[ERROR]
    batch.report = [r.as_dict() for r in preview.rows]
    batch.save(update_fields=["imported", "already", "duplicates", "errors", "report"])
    record_audit(
        "transfers.imported",
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type="import_batch",
        object_id=str(batch.pk),
        payload={
            "regulator": mapping.regulator,
            "file_sha256": preview.sha256,
            "rows": batch.rows,
            "imported": batch.imported,
            "already": batch.already,
            "duplicates": batch.duplicates,
            "errors": batch.errors,
        },
    )
    return batch


def batches(actor: Actor) -> list[ImportBatch]:
    """The batches the actor may see: their own, and those landing in units where they may import."""
    if not actor.has(PERMISSION):
        return []
    units = scope_unit_ids(actor, PERMISSION)
    return list(
        ImportBatch.objects.filter(Q(imported_by=actor.staff) | Q(unit_id__in=units)).select_related(
            "imported_by", "unit"
        )[:200]
    )


def get_batch(actor: Actor, batch_id: int) -> ImportBatch:
    batch = next((b for b in batches(actor) if b.pk == batch_id), None)
    if batch is None:
        raise NotFound("not_found", "no such import batch", field="batch")
    return batch


# --- the reply sheet -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyRow:
    regulator: str
    regulator_case_number: str
    case_number: str
    status: str
    accepted_at: datetime | None
    decided_at: datetime | None
    outcome: str
    summary: str
    on_time: bool | None
    reply_due_at: datetime | None


def reply_rows(
    actor: Actor,
    *,
    batch_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    tz: Any = None,
) -> list[ReplyRow]:
    """Every regulator-forwarded case of the batch, or forwarded between ``since`` and ``until``
    (local dates, inclusive), among the cases the viewer may read."""
    tz = tz or ZoneInfo(settings.TIME_ZONE)
    if not actor.has("case.read") and not actor.has(PERMISSION):
        raise PermissionDenied("permission_denied", "missing permission 'case.read'")
    qs = Case.objects.filter(source=Case.Source.REGULATOR_FORWARDED, unit_id__in=scope_unit_ids(actor, "case.read"))
    if batch_id is not None:
        batch = get_batch(actor, batch_id)
        ids = [r["case_id"] for r in batch.report if r.get("case_id")]
        qs = qs.filter(pk__in=ids)
    if since is not None:
        qs = qs.filter(forwarded_at__gte=datetime.combine(since, time(0), tzinfo=tz))
    if until is not None:
        qs = qs.filter(forwarded_at__lt=datetime.combine(until + timedelta(days=1), time(0), tzinfo=tz))
    if since is not None and until is not None and until < since:
        raise ValidationFailed("invalid_range", "the end date is before the start date", field="until")
    cases = list(qs.order_by("forwarded_at", "pk")[:5000])
    ids = [c.pk for c in cases]
    clocks: dict[tuple[int, str], CaseDeadline] = {
        (d.case_id, d.kind): d
        for d in CaseDeadline.objects.filter(case_id__in=ids, kind__in=[DECISION, REGULATOR_REPLY])
    }
    remedies: dict[int, dict[str, Any]] = {}
    for case_id, payload in (
        CaseEvent.objects.filter(case_id__in=ids, type="responded").order_by("seq").values_list("case_id", "payload")
    ):
        remedies[case_id] = payload or {}
    out = []
    for c in cases:
        reply = clocks.get((c.pk, REGULATOR_REPLY))
        decision = clocks.get((c.pk, DECISION))
        judged = reply or decision
        on_time = None
        if judged is not None and judged.state in ("met", "breached"):
            on_time = judged.state == "met"
        payload = remedies.get(c.pk, {})
        summary = str(payload.get("remedy") or payload.get("reasons") or "")
        out.append(
            ReplyRow(
                regulator=c.regulator,
                regulator_case_number=c.regulator_case_number,
                case_number=c.case_number,
                status=c.status,
                accepted_at=c.accepted_at,
                decided_at=c.notified_at or c.decided_at,
                outcome=c.outcome,
                summary=summary[:500],
                on_time=on_time,
                reply_due_at=reply.due_at if reply else None,
            )
        )
    return out
