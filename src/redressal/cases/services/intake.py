"""Registration (SPEC §4 ``register``, §9: every channel lands here) and the short path."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from redressal.cases import bus
from redressal.cases.commands import Upload
from redressal.cases.models import Case
from redressal.cases.services._base import Done, perform, perform_new, resolve_at
from redressal.cases.services.handling import evidence_change
from redressal.cases.services.numbering import next_case_number
from redressal.cases.services.projection import snapshot
from redressal.cases.services.uploads import checked_upload
from redressal.cases.steps import Change, ChannelOrigin, Step
from redressal.core.clock import now
from redressal.core.errors import NotFound, ValidationFailed
from redressal.core.refusals import refusal
from redressal.customers.models import Customer
from redressal.customers.scope import findable_customer, home_unit_for
from redressal.customers.services import CustomerInput, new_customer
from redressal.domain.choices import REGULATORS
from redressal.domain.errors import DomainError
from redressal.domain.profiles import Profile, ProfileError, profile_for
from redressal.domain.registration import check_demand, check_regulator_times, check_representatives
from redressal.notify.services import message_customer
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, Staff


@dataclass
class RegisterInput:
    request_type: str
    channel: str
    description: str
    received_at: datetime | None = None
    customer_id: int | None = None
    customer: CustomerInput | None = None
    complainant_name: str = ""
    party_type: str = "natural_person"
    product: str = ""
    amount: Decimal | None = None
    demand: list[str] = field(default_factory=list)
    transaction_ref: str = ""
    transaction_date: date | None = None
    unit_code: str = ""
    respondent_unit_code: str = ""
    respondent_staff_username: str = ""
    source: str = "customer"
    regulator: str = ""
    regulator_case_number: str = ""
    regulator_received_at: datetime | None = None
    forwarded_at: datetime | None = None
    representatives: list[str] = field(default_factory=list)
    # A consultation or suggestion answered on first contact, in the same command (SPEC §4 short path).
    answer: str = ""
    # Documents the complainant handed over, kept as evidence of the case as it is registered.
    attachments: list[Upload] = field(default_factory=list)
    attachment_kind: str = "written"


def _unit(code: str, fieldname: str) -> OrgUnit:
    try:
        return OrgUnit.objects.get(code=code)
    except OrgUnit.DoesNotExist:
        raise ValidationFailed("unknown_unit", f"no org unit with code '{code}'", field=fieldname) from None


def _validate(data: RegisterInput, *, customer_given: bool = False) -> None:
    if data.request_type not in Case.RequestType.values:
        raise ValidationFailed("invalid_choice", f"unknown request type '{data.request_type}'", field="request_type")
    if data.channel not in Case.Channel.values:
        raise ValidationFailed("invalid_choice", f"unknown channel '{data.channel}'", field="channel")
    if not data.description.strip():
        raise ValidationFailed("required", "a description of the matter is required", field="description")
    if data.amount is not None and (data.amount < 0 or data.amount.as_tuple().exponent < -2):  # type: ignore[operator]
        raise ValidationFailed("invalid_amount", "amount must be ≥ 0 with at most 2 decimals", field="amount")
    try:
        check_demand(data.demand)
    except DomainError as exc:
        raise refusal(exc) from None
    if data.source not in Case.Source.values:
        raise ValidationFailed("invalid_choice", f"unknown source '{data.source}'", field="source")
    if data.source == Case.Source.REGULATOR_FORWARDED:
        if data.regulator not in REGULATORS:
            raise ValidationFailed("required", "a regulator-forwarded case names its regulator", field="regulator")
        if not data.regulator_case_number.strip():
            raise ValidationFailed("required", "the regulator's case number is required", field="regulator_case_number")
    try:
        check_representatives(data.representatives)
        check_regulator_times(data.regulator_received_at, data.forwarded_at, now())
    except DomainError as exc:
        raise refusal(exc) from None
    if not customer_given and data.customer_id is None and data.customer is None and not data.complainant_name.strip():
        raise ValidationFailed(
            "required", "name the complainant: customer_id, customer or complainant_name", field="customer"
        )


def register_case(data: RegisterInput, *, actor: Actor) -> Case:
    """Register a case typed by staff (the web form, the staff API, the CLI, an import).

    Everything that needs nothing written — checks, look-ups, the unsaved customer, and the subscribers'
    preparation (triage classifies the text) — happens before the write transaction; inside it the
    case, its events (registration, then what the subscribers add: triage, routing …), the
    acknowledgement, one deadline computation and one save, all or nothing."""
    _validate(data)
    received_at = resolve_at(data.received_at, now())
    unit = _unit(data.unit_code, "unit") if data.unit_code else actor.staff.unit
    if unit is None:
        raise ValidationFailed("required", "the case needs a handling unit", field="unit")
    actor.require("case.register", unit)
    profile = _profile(received_at)
    if data.customer_id is not None:
        # Only a customer the registering staff may find (customers.scope); any other id answers as one
        # that does not exist, so ids are no oracle and a case is no way into another branch's customers.
        customer: Customer | None = findable_customer(actor, data.customer_id)
    elif data.customer is not None:
        customer = new_customer(
            data.customer, actor=actor, home_unit=home_unit_for(unit), elderly_age=profile.elderly_age
        )
    else:
        customer = None
    respondent = None
    if data.respondent_staff_username:
        respondent = Staff.objects.filter(username=data.respondent_staff_username).first()
        if respondent is None:
            raise ValidationFailed("not_found", "no such staff member", field="respondent_staff")
    return _register(data, unit, customer, profile, received_at, actor=actor, respondent=respondent)


def receive_case(data: RegisterInput, *, origin: ChannelOrigin, customer: Customer | CustomerInput | None) -> Case:
    """Register a case the customer brought in themselves through a channel (the portal, an email,
    WeChat): the same command as ``register_case``, with no member of staff acting.

    ``customer`` is who the adapter has verified (by the one-time code to their phone, the address the
    mail came from …): an existing record, or the details for a new one. The case lands in the
    customer's home branch, or for a new or branchless customer in the intake unit
    (``REDRESSAL_INTAKE_UNIT``, by default the head office), and triage routes it from there. What a
    channel cannot vouch for is not taken from it: staff fields (the unit, the respondent staff, a
    regulator transfer, an answer) are refused, so a customer can place nothing where they choose."""
    if data.unit_code or data.respondent_unit_code or data.respondent_staff_username:
        raise ValidationFailed("not_allowed", "a channel does not choose the handling unit", field="unit")
    if data.source != Case.Source.CUSTOMER or data.regulator or data.regulator_case_number:
        raise ValidationFailed("not_allowed", "a channel brings the customer's own complaints", field="source")
    if data.answer.strip():
        raise ValidationFailed("not_allowed", "a channel cannot answer its own case", field="answer")
    if data.customer_id is not None:
        raise ValidationFailed("not_allowed", "the channel names the customer it verified", field="customer_id")
    _validate(data, customer_given=customer is not None)
    received_at = resolve_at(data.received_at, now())
    profile = _profile(received_at)
    intake = intake_unit()
    if isinstance(customer, CustomerInput):
        customer = new_customer(customer, actor=None, home_unit=home_unit_for(intake), elderly_age=profile.elderly_age)
    unit = customer.home_unit if customer is not None and customer.home_unit is not None else intake
    return _register(data, unit, customer, profile, received_at, actor=None, origin=origin)


def intake_unit() -> OrgUnit:
    """Where a case from a remote channel lands when the customer has no home branch yet."""
    code = settings.INTAKE_UNIT
    if code:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise ValidationFailed("unknown_unit", f"REDRESSAL_INTAKE_UNIT names no unit '{code}'", field="unit")
        return unit
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise ValidationFailed("required", "no organisation is set up to receive cases", field="unit")
    return root


def _profile(received_at: datetime) -> Profile:
    try:
        return profile_for(received_at.date())
    except ProfileError as exc:  # e.g. received before any profile was in force: bad input, not a 500
        raise ValidationFailed("no_profile", exc.message, field="received_at") from None


def _register(
    data: RegisterInput,
    unit: OrgUnit,
    customer: Customer | None,
    profile: Profile,
    received_at: datetime,
    *,
    actor: Actor | None,
    respondent: Staff | None = None,
    origin: ChannelOrigin | None = None,
) -> Case:
    current = now()
    case = Case(
        request_type=data.request_type,
        channel=data.channel,
        source=data.source,
        regulator=data.regulator,
        regulator_case_number=data.regulator_case_number,
        regulator_received_at=data.regulator_received_at,
        forwarded_at=data.forwarded_at,
        profile_code=profile.code,
        profile_version=profile.version,
        customer=customer,
        complainant_name=data.complainant_name or (customer.name if customer else ""),
        party_type=data.party_type,
        representatives=data.representatives,
        product=data.product,
        amount=data.amount,
        demand=data.demand,
        description=data.description.strip(),
        transaction_ref=data.transaction_ref,
        transaction_date=data.transaction_date,
        unit=unit,
        respondent_unit=_unit(data.respondent_unit_code, "respondent_unit") if data.respondent_unit_code else None,
        respondent_staff=respondent,
        vulnerable=list(customer.vulnerable) if customer else [],
        received_at=received_at,
        registered_at=current,
        registered_by=actor.staff if actor is not None else None,
    )
    # No priority or risk flag here: triage decides both (a transfer's points in domain/triage make it
    # P2 at least), prepared now, outside the lock, and written by its event in the transaction below.
    prepared = bus.prepare(case)

    def registered(case: Case, current: datetime) -> Done:
        # SPEC §4/§10: the acknowledgement with the case number goes out at once.
        message_customer(
            case,
            "acknowledgement",
            _("您的%(type)s已登记，编号 %(number)s。我们将在规定时限内处理并答复。")
            % {"type": case.get_request_type_display(), "number": case.case_number},
            # The label, not its text here: the message is worded in the complainant's language.
            facts={"request_type": Case.RequestType(case.request_type).label},
        )
        payload: dict[str, Any] = {
            "case_number": case.case_number,
            "request_type": case.request_type,
            "channel": case.channel,
            "source": case.source,
            "unit": unit.code,
            "profile": f"{profile.code}@{profile.version}",
            # Where the tracked fields start: audit-verify replays the changes of later events from here.
            "initial": snapshot(case),
            "at": received_at,
        }
        return Done("registered", payload)

    with ExitStack() as files:
        # Every file checked, hashed and spooled before anything is written.
        checked = [
            (
                f,
                files.enter_context(
                    checked_upload(f.stream, filename=f.filename, content_type=f.content_type, field="attachments")
                ),
            )
            for f in data.attachments
        ]
        then = []
        if data.answer.strip():
            then.append(Step("answer", answer_change(data.answer, None), actor, permission="case.answer"))
        for f, upload in checked:
            change = evidence_change(
                actor, kind=data.attachment_kind, filename=f.filename, content_type=f.content_type, upload=upload
            )
            then.append(Step("add_evidence", change, actor, permission="case.investigate", origin=origin))
        with transaction.atomic():
            if customer is not None and customer.pk is None:
                customer.save()
                case.customer = customer
            case.case_number = next_case_number(unit.code, current, profile.timezone)
            return perform_new(case, actor, registered, current=current, prepared=prepared, then=then, origin=origin)


def receive_correspondence(
    case_id: int,
    *,
    origin: ChannelOrigin,
    text: str,
    attachments: Sequence[Upload] = (),
    attachment_kind: str = "electronic",
    at: datetime | None = None,
) -> Case:
    """The customer writes again about their case through a channel (a reply mail, material added on
    the portal): the text is kept on the case's history as theirs, each file as evidence they handed
    in. Allowed in any state: what a customer sends after the decision is still on record (SPEC §9),
    and staff decide whether it reopens anything. The adapter has already matched the case to the
    customer it verified; nothing here widens what they may see."""
    if not text.strip() and not attachments:
        raise ValidationFailed("required", "the message has neither text nor attachments", field="text")

    def change(case: Case, current: datetime) -> Done:
        # The text is the event's reason: the history shows it, masked like every reason, to those who
        # read the case.
        return Done("correspondence_received", {"at": resolve_at(at, current)}, reason=text.strip()[:20000])

    with ExitStack() as files:
        steps = [
            Step(
                "add_evidence",
                evidence_change(
                    None,
                    kind=attachment_kind,
                    filename=f.filename,
                    content_type=f.content_type,
                    upload=files.enter_context(
                        checked_upload(f.stream, filename=f.filename, content_type=f.content_type, field="attachments")
                    ),
                ),
                origin=origin,
                check_state=False,
            )
            for f in attachments
        ]
        return perform(
            case_id,
            None,
            "receive_correspondence",
            None,
            change,
            check_state=False,
            backdating=False,
            then=steps,
            origin=origin,
        )


def answer_case(
    case_id: int,
    *,
    actor: Actor,
    answer: str,
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
) -> Case:
    """Consultations and suggestions: answered (often on first contact) and closed."""
    return perform(
        case_id,
        actor,
        "answer",
        "case.answer",
        answer_change(answer, at),
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


def answer_change(answer: str, at: datetime | None) -> Change:
    if not answer.strip():
        raise ValidationFailed("required", "the answer is required", field="answer")

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        case.closed_at = moment
        case.accepted_at = case.accepted_at or moment
        return Done("answered", {"answer": answer, "at": moment})

    return change


def get_case(case_id: int) -> Case:
    try:
        return Case.objects.select_related("unit", "customer", "assignee").get(pk=case_id)
    except Case.DoesNotExist:
        raise NotFound("not_found", f"case {case_id} not found", field="case_id") from None
