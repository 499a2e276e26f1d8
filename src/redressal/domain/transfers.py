"""Regulator transfer lists (监管转办清单, SPEC §9): how one regulator's spreadsheet maps to a case.

A regulator (国家金融监督管理总局 12378, 人民银行 12363 …) hands the bank a list of the complaints it
forwards, one row each, with its own Chinese column headers. A *mapping* (YAML shipped with the
transfers app, or one of the bank's own) says which header is which case field, how its dates are
written and how its values (the business type, the demand) translate to ours. This module holds the
pure rules: reading a mapping, turning a row into case fields or into per-field errors named by the
regulator's own column header, and judging a whole file (duplicates within it, rows already
imported). Nothing here reads a file or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from redressal.domain.choices import DEMANDS, REGULATORS
from redressal.domain.errors import DomainError
from redressal.domain.registration import check_regulator_times

# The case fields a column may fill (the rest of the case is fixed: a regulator transfer, a complaint).
FIELDS = frozenset(
    {
        "regulator_case_number",
        "complainant_name",
        "phone",
        "id_number",
        "description",
        "regulator_received_at",
        "forwarded_at",
        "received_at",
        "product",
        "amount",
        "demand",
        "request_type",
        "unit",
        "transaction_ref",
    }
)
DATE_FIELDS = frozenset({"regulator_received_at", "forwarded_at", "received_at"})
# Without these a row is no transfer the bank can act on.
ALWAYS_REQUIRED = frozenset({"regulator_case_number", "description", "forwarded_at"})
REQUEST_TYPES = ("complaint", "consultation", "suggestion", "other")
MAX_TEXT = 20000
# The longest value a case keeps in each short field.
MAX_LENGTH = {
    "regulator_case_number": 64,
    "complainant_name": 100,
    "product": 100,
    "transaction_ref": 64,
    "phone": 32,
    "id_number": 32,
}

# Row statuses of a preview or an import.
OK = "ok"
ALREADY = "already_imported"
DUPLICATE = "duplicate_in_file"
ERROR = "error"
IMPORTED = "imported"
STATUSES = (OK, ALREADY, DUPLICATE, ERROR, IMPORTED)


class MappingError(DomainError):
    """A mapping file that cannot be used; names the key at fault."""


@dataclass(frozen=True)
class TransferMapping:
    key: str  # what the CLI and the form call it: nfra, pbc
    regulator: str  # the case's regulator code (domain.choices.REGULATORS)
    title: str
    columns: Mapping[str, str]  # the regulator's header → field
    required: frozenset[str]
    date_formats: tuple[str, ...]
    timezone: str
    values: Mapping[str, Mapping[str, str]]  # field → {the regulator's value → ours}
    units: Mapping[str, str]  # the branch column's value → unit code
    defaults: Mapping[str, str]
    demand_separator: str = "、"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def header_of(self, name: str) -> str:
        """The regulator's header for a field (what an error names), else the field itself."""
        return next((h for h, f in self.columns.items() if f == name), name)


def parse_mapping(data: object, *, source: str = "") -> TransferMapping:
    """Validate a mapping's parsed YAML. Raises :class:`MappingError` naming the key at fault."""

    def fail(key: str, message: str) -> MappingError:
        return MappingError("mapping.invalid", f"{source}: {key}: {message}" if source else f"{key}: {message}", key)

    if not isinstance(data, Mapping):
        raise fail("(root)", "must be a mapping")
    known = {
        "key",
        "regulator",
        "title",
        "columns",
        "required",
        "date_formats",
        "timezone",
        "values",
        "units",
        "defaults",
        "demand_separator",
    }
    extra = sorted(str(k) for k in data if k not in known)
    if extra:
        raise fail(extra[0], "is not a known key")

    def text(name: str, default: str | None = None) -> str:
        value = data.get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise fail(name, "must be a non-empty string")
        return value.strip()

    def table(name: str) -> dict[str, Any]:
        value = data.get(name) or {}
        if not isinstance(value, Mapping):
            raise fail(name, "must be a mapping")
        return {str(k).strip(): v for k, v in value.items()}

    key, regulator, title = text("key"), text("regulator"), text("title")
    if regulator not in REGULATORS:
        raise fail("regulator", f"unknown regulator {regulator!r} (one of {', '.join(REGULATORS)})")
    timezone = text("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", f"unknown time zone {timezone!r}") from None
    columns: dict[str, str] = {}
    for header, name in table("columns").items():
        if name not in FIELDS:
            raise fail(f"columns.{header}", f"unknown field {name!r}")
        if name in columns.values():
            raise fail(f"columns.{header}", f"field {name!r} is mapped twice")
        columns[header] = str(name)
    required_raw = data.get("required") or []
    if not isinstance(required_raw, list) or not all(isinstance(r, str) for r in required_raw):
        raise fail("required", "must be a list of field names")
    required = frozenset(required_raw) | ALWAYS_REQUIRED
    for name in sorted(required):
        if name not in columns.values():
            raise fail("required", f"field {name!r} is required but no column is mapped to it")
    formats = data.get("date_formats") or ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
    if not isinstance(formats, list) or not all(isinstance(f, str) and f for f in formats):
        raise fail("date_formats", "must be a list of strptime formats")
    values: dict[str, dict[str, str]] = {}
    for name, table_ in table("values").items():
        if name not in FIELDS or not isinstance(table_, Mapping):
            raise fail(f"values.{name}", "must map a known field to a table of values")
        values[name] = {str(k).strip(): str(v) for k, v in table_.items()}
    for ours in values.get("demand", {}).values():
        if ours not in DEMANDS:
            raise fail("values.demand", f"unknown demand {ours!r}")
    for ours in values.get("request_type", {}).values():
        if ours not in REQUEST_TYPES:
            raise fail("values.request_type", f"unknown request type {ours!r}")
    defaults = {k: str(v) for k, v in table("defaults").items()}
    for name in defaults:
        if name not in ("request_type", "product"):
            raise fail(f"defaults.{name}", "only request_type and product take a default")
    if defaults.get("request_type", "complaint") not in REQUEST_TYPES:
        raise fail("defaults.request_type", "unknown request type")
    return TransferMapping(
        key=key,
        regulator=regulator,
        title=title,
        columns=columns,
        required=required,
        date_formats=tuple(formats),
        timezone=timezone,
        values=values,
        units={k: str(v) for k, v in table("units").items()},
        defaults=defaults,
        demand_separator=str(data.get("demand_separator") or "、"),
    )


@dataclass(frozen=True)
class RowError:
    field: str  # our field name
    column: str  # the regulator's header, as in the file
    code: str  # required, bad_date, unknown_value, bad_amount, too_long, future_time, …
    detail: str = ""  # the offending value or rule, for the message


@dataclass
class ParsedRow:
    number: int  # the spreadsheet row number (header row is 1)
    fields: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.fields.get("regulator_case_number") or "")


def missing_headers(mapping: TransferMapping, headers: Sequence[str]) -> list[str]:
    """The headers of required fields the file lacks: a file without them is refused whole."""
    present = {h.strip() for h in headers}
    return [h for h, name in mapping.columns.items() if name in mapping.required and h not in present]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_moment(value: object, mapping: TransferMapping) -> datetime:
    """A cell's date or time as an aware datetime in the mapping's time zone; a bare date is its
    start. Raises ValueError when it is no date in one of the mapping's formats."""
    tz = mapping.tz
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=tz)
    text = str(value).strip()
    for fmt in mapping.date_formats:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    raise ValueError(text)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a case number or phone typed as a number in a spreadsheet
    return str(value).strip()


def parse_row(mapping: TransferMapping, number: int, cells: Mapping[str, object], now: datetime) -> ParsedRow:
    """One row (header → cell value) as case fields, or the errors naming the regulator's columns."""
    row = ParsedRow(number)
    for header, name in mapping.columns.items():
        value = cells.get(header)
        if _blank(value):
            if name in mapping.required:
                row.errors.append(RowError(name, header, "required"))
            continue
        table = mapping.values.get(name)
        try:
            if name in DATE_FIELDS:
                row.fields[name] = parse_moment(value, mapping)
            elif name == "amount":
                amount = Decimal(_text(value).replace(",", "").replace("元", ""))
                if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
                    raise InvalidOperation
                row.fields[name] = amount
            elif name == "demand":
                parts = [
                    p.strip()
                    for p in _text(value).replace(",", mapping.demand_separator).split(mapping.demand_separator)
                    if p.strip()
                ]
                ours = []
                for part in parts:
                    mapped = (table or {}).get(part, part)
                    if mapped not in DEMANDS:
                        raise KeyError(part)
                    if mapped not in ours:
                        ours.append(mapped)
                row.fields[name] = ours
            elif name == "unit":
                text = _text(value)
                if text not in mapping.units:
                    raise KeyError(text)
                row.fields[name] = mapping.units[text]
            else:
                text = _text(value)
                if table is not None:
                    if text not in table:
                        raise KeyError(text)
                    text = table[text]
                limit = MAX_LENGTH.get(name, MAX_TEXT)
                if len(text) > limit:
                    row.errors.append(RowError(name, header, "too_long", str(limit)))
                    continue
                row.fields[name] = text
        except ValueError:
            row.errors.append(RowError(name, header, "bad_date", _text(value)[:40]))
        except (InvalidOperation, ArithmeticError):
            row.errors.append(RowError(name, header, "bad_amount", _text(value)[:40]))
        except KeyError as exc:
            row.errors.append(RowError(name, header, "unknown_value", str(exc.args[0])[:40]))
    if not row.errors:
        try:
            check_regulator_times(row.fields.get("regulator_received_at"), row.fields.get("forwarded_at"), now)
        except DomainError as exc:
            name = exc.field or "forwarded_at"
            row.errors.append(RowError(name, mapping.header_of(name), exc.rule.split(".")[-1]))
    request_type = row.fields.get("request_type") or mapping.defaults.get("request_type", "complaint")
    if request_type not in REQUEST_TYPES:
        row.errors.append(RowError("request_type", mapping.header_of("request_type"), "unknown_value", request_type))
    row.fields["request_type"] = request_type
    if not row.fields.get("product") and mapping.defaults.get("product"):
        row.fields["product"] = mapping.defaults["product"]
    # The bank received the complaint when the regulator's transfer reached it (SPEC §3: the clocks
    # start at the first arrival at any bank channel), unless the list says otherwise.
    if "received_at" not in row.fields and "forwarded_at" in row.fields:
        row.fields["received_at"] = row.fields["forwarded_at"]
    return row


@dataclass(frozen=True)
class Judged:
    row: ParsedRow
    status: str  # OK, ALREADY, DUPLICATE, ERROR
    first_row: int | None = None  # for a duplicate: the row it repeats


def judge(rows: Iterable[ParsedRow], already: Iterable[str]) -> list[Judged]:
    """Each row's status: an error; already imported (its regulator case number is on a case);
    a repeat of an earlier row of the same file; or ok. Idempotent on the regulator's number."""
    existing = set(already)
    seen: dict[str, int] = {}
    out: list[Judged] = []
    for row in rows:
        key = row.key
        if row.errors:
            out.append(Judged(row, ERROR))
        elif key in seen:
            out.append(Judged(row, DUPLICATE, seen[key]))
        elif key in existing:
            seen[key] = row.number
            out.append(Judged(row, ALREADY))
        else:
            seen[key] = row.number
            out.append(Judged(row, OK))
    return out
