"""Customer records: creation with encrypted PII and blind indexes, look-up, audited reveal."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from redressal.audit.services import record_audit
from redressal.core import crypto
from redressal.core.clock import now
from redressal.core.errors import NotFound, ValidationFailed
from redressal.core.refusals import refusal
from redressal.customers.models import Customer
from redressal.customers.scope import findable, findable_q, may_reveal
from redressal.domain.choices import check_choices
from redressal.domain.customers import VULNERABLE, age_band, birth_date_from_id, vulnerable_flags
from redressal.domain.errors import DomainError
from redressal.domain.registration import check_birth_date
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit

PII_FIELDS = ("id_number", "phone", "card_number", "address", "birth_date", "email")


@dataclass
class CustomerInput:
    name: str
    kind: str = "individual"
    phone: str = ""
    email: str = ""
    id_number: str = ""
    card_number: str = ""
    address: str = ""
    birth_date: date | None = None
    vulnerable: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    contact_channel: str = ""
    contact_time: str = ""
    language: str = "zh-hans"


def _tail(value: str) -> str:
    digits = crypto.normalise(value)
    return digits[-4:] if len(digits) >= 4 else ""


def _check_birth(birth: date, today: date, field: str) -> None:
    try:
        check_birth_date(birth, today, field)
    except DomainError as exc:
        raise refusal(exc) from None


def create_customer(
    data: CustomerInput, *, actor: Actor | None, home_unit: OrgUnit | None = None, elderly_age: int = 65
) -> Customer:
    """A new customer record belonging to ``home_unit`` (a branch, see ``customers.scope``). Without one
    the customer is found only through their cases and revealed to nobody (the safe default)."""
    customer = new_customer(data, actor=actor, home_unit=home_unit, elderly_age=elderly_age)
    customer.save()
    return customer


def new_customer(
    data: CustomerInput, *, actor: Actor | None, home_unit: OrgUnit | None = None, elderly_age: int = 65
) -> Customer:
    """The checked, unsaved record ``create_customer`` saves: a registration builds it before its write
    transaction (so triage can match the person by the blind indexes) and saves it inside."""
    if not data.name.strip():
        raise ValidationFailed("required", "customer name is required", field="customer.name")
    if data.kind not in Customer.Kind.values:
        raise ValidationFailed("invalid_choice", f"unknown customer kind '{data.kind}'", field="customer.kind")
    if actor is not None:
        actor.require("customer.write")
    today = now().date()
    if data.birth_date is not None:
        _check_birth(data.birth_date, today, "customer.birth_date")
    elif data.id_number:
        data.birth_date = birth_date_from_id(data.id_number)
        if data.birth_date is not None:  # a resident ID whose birth date is still to come was mistyped
            _check_birth(data.birth_date, today, "customer.id_number")
    try:
        check_choices(data.vulnerable, VULNERABLE, "customer.vulnerable")
    except DomainError as exc:
        raise refusal(exc) from None
    try:
        flags = vulnerable_flags(data.birth_date, today, set(data.vulnerable), elderly_age)
    except ValueError as exc:
        raise ValidationFailed("invalid_choice", str(exc), field="customer.vulnerable") from None
    customer = Customer(
        customer_no="C" + secrets.token_hex(6).upper(),
        kind=data.kind,
        name=data.name.strip(),
        id_number=data.id_number,
        id_number_index=crypto.blind_index(data.id_number) if data.id_number else "",
        phone=data.phone,
        email=data.email,
        email_index=crypto.address_index(data.email) if data.email.strip() else "",
        phone_index=crypto.blind_index(data.phone) if data.phone else "",
        phone_tail=_tail(data.phone),
        card_number=data.card_number,
        card_index=crypto.blind_index(data.card_number) if data.card_number else "",
        card_tail=_tail(data.card_number),
        address=data.address,
        birth_date=data.birth_date.isoformat() if data.birth_date else "",
        age_band=age_band(data.birth_date, today) if data.birth_date else "",
        vulnerable=sorted(flags),
        products=data.products,
        contact_channel=data.contact_channel,
        contact_time=data.contact_time,
        language=data.language,
        home_unit=home_unit,
    )
    return customer


def find_customers(
    *, actor: Actor, phone: str = "", id_number: str = "", card_number: str = "", card_tail: str = ""
) -> list[Customer]:
    """Exact look-up (blind index) or by the last four card digits, among the customers ``actor`` may find
    (``customers.scope``): a match outside that scope is not listed, so nobody enumerates other branches'
    customers."""
    qs = Customer.objects.select_related("home_unit")
    if phone:
        qs = qs.filter(phone_index=crypto.blind_index(phone))
    elif id_number:
        qs = qs.filter(id_number_index=crypto.blind_index(id_number))
    elif card_number:
        qs = qs.filter(card_index=crypto.blind_index(card_number))
    elif card_tail:
        # Four digits match thousands of customers bank-wide: scope in SQL so the cap keeps the right ones.
        qs = qs.filter(card_tail=card_tail).filter(findable_q(actor)).distinct()
    else:
        return []
    return findable(actor, list(qs.order_by("pk")[:50]))


def reveal_pii(customer_id: int, field_name: str, *, actor: Actor, reason: str) -> str:
    """Show one personal-data field in clear. Needs ``pii.view`` over the customer's home branch and a
    reason; always audited. A customer out of scope answers as one that does not exist."""
    actor.require("pii.view")
    if field_name not in PII_FIELDS:
        raise ValidationFailed("invalid_choice", f"'{field_name}' is not a personal-data field", field="field")
    if not reason.strip():
        raise ValidationFailed("required", "a reason is required to reveal personal data", field="reason")
    customer = Customer.objects.select_related("home_unit").filter(pk=customer_id).first()
    # Never through the customer's cases: anyone may register a case, so a case proves no right to see.
    if customer is None or not may_reveal(actor, customer):
        raise NotFound("not_found", "customer not found", field="customer_id")
    with transaction.atomic():
        record_audit(
            "pii.reveal",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="customer",
            object_id=customer.customer_no,
            reason=reason,
            payload={"field": field_name},
        )
    value: Any = getattr(customer, field_name)
    return str(value or "")
