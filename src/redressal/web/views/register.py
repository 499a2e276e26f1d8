"""Registration (SPEC §4 ``register``, §9): keyboard-first intake with customer look-up.

The look-up is exact, through the blind indexes (phone, ID number) or the stored last four card
digits (``customers.services.find_customers``), answered as an htmx fragment with the customer's
open and past cases, PII masked. Saving is one ``register_case`` command, with the consultation's
answer on first contact and the attachments as its further steps: an error in any of them stores
nothing. The API registers through the same command.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from redressal.cases import selectors
from redressal.cases import services as svc
from redressal.cases.commands import Upload
from redressal.cases.models import Case
from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ServiceError
from redressal.core.masking import mask_card, mask_id_number, mask_phone
from redressal.cti.services import own_pop
from redressal.customers.models import Customer
from redressal.customers.scope import findable
from redressal.customers.services import find_customers
from redressal.notify.models import CustomerMessage
from redressal.org.authz import Actor
from redressal.triage import case_view
from redressal.web.forms.register import LookupForm, RegisterForm
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page, is_htmx

MAX_FOUND = 10


def _require(actor: Actor, perm: str) -> None:
    if not actor.has(perm):
        raise PermissionDenied("permission_denied", _("您没有此操作的权限"))


def _masked(customer: Customer) -> dict[str, Any]:
    # Always masked here: clear text only through the audited reveal on the case page.
    return {
        "id": customer.pk,
        "customer_no": customer.customer_no,
        "name": customer.name,
        "kind": customer.get_kind_display(),
        "age_band": customer.age_band,
        "vulnerable": customer.vulnerable,
        "phone": mask_phone(customer.phone),
        "id_number": mask_id_number(customer.id_number),
        "card_number": mask_card(customer.card_number),
    }


def _customers_with_cases(actor: Actor, customers: list[Customer]) -> list[dict[str, Any]]:
    """Each customer, masked, with the open and past cases this actor may read (one query)."""
    ids = [c.pk for c in customers]
    cases: dict[int, list[Case]] = {}
    rows = (
        selectors.visible_cases(actor)
        .filter(customer_id__in=ids)
        .only("id", "case_number", "status", "request_type", "received_at", "closed_at", "customer_id")
        .order_by("-received_at")[:200]
    )
    for case in rows:
        assert case.customer_id is not None
        cases.setdefault(case.customer_id, []).append(case)
    out = []
    for c in customers:
        mine = cases.get(c.pk, [])
        out.append(
            {
                **_masked(c),
                "open_cases": [k for k in mine if k.closed_at is None][:10],
                "past_cases": [k for k in mine if k.closed_at is not None][:10],
            }
        )
    return out


def _picked(actor: Actor, customer_id: int | None) -> dict[str, Any] | None:
    if not customer_id:
        return None
    found = findable(actor, list(Customer.objects.filter(pk=customer_id)))
    return _customers_with_cases(actor, found)[0] if found else None


@login_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        _require(actor, "customer.read")
    except ServiceError as exc:
        return error_page(request, exc)
    form = LookupForm(request.GET)
    found: list[dict[str, Any]] = []
    status = 200
    if form.is_valid():
        by, value = form.cleaned_data["by"], form.cleaned_data["value"]
        customers = find_customers(actor=actor, **{by: value})[:MAX_FOUND]
        found = _customers_with_cases(actor, customers)
    else:
        status = 422
    return render(request, "web/register/_lookup_results.html", {"lookup": form, "found": found}, status=status)


@login_required
@require_GET
def pick_customer(request: HttpRequest, customer_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        _require(actor, "customer.read")
        picked = _picked(actor, customer_id)
        if picked is None:
            raise NotFound("not_found", _("没有这个客户"), field="customer_id")
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/register/_picked.html", {"picked": picked})


def _register(actor: Actor, form: RegisterForm) -> Case:
    d = form.cleaned_data
    data = svc.RegisterInput(
        request_type=d["request_type"],
        channel=d["channel"],
        description=d["description"],
        received_at=d.get("received_at"),
        customer_id=d.get("customer_id"),
        customer=form.customer_input(),
        complainant_name=(d.get("complainant_name") or "").strip(),
        product=(d.get("product") or "").strip(),
        amount=d.get("amount"),
        demand=list(d.get("demand") or []),
        source=d["source"],
        regulator=d.get("regulator") or "",
        regulator_case_number=(d.get("regulator_case_number") or "").strip(),
        regulator_received_at=d.get("regulator_received_at"),
        forwarded_at=d.get("forwarded_at"),
        # Answered on first contact, and the documents handed over: one command with the registration.
        answer=d["answer"] if d.get("answer_now") else "",
        attachments=[Upload.of(f) for f in d.get("attachments") or []],
        attachment_kind=d.get("attachment_kind") or "written",
    )
    return svc.register_case(data, actor=actor)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        _require(actor, "case.register")
    except ServiceError as exc:
        return error_page(request, exc)
    status = 200
    top_error = ""
    if request.method == "POST":
        form = RegisterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                case = _register(actor, form)
            except ServiceError as exc:
                target = form.field_for(exc.field)
                if target:
                    form.add_error(target, refusal_text(exc))
                else:
                    top_error = refusal_text(exc)
                status = exc.status
            else:
                return redirect("web:register_done", case_id=case.pk)
        else:
            status = 422
    elif request.method == "GET":
        form = RegisterForm(initial=_call_prefill(actor, request.GET.get("call", "")))
    else:
        return HttpResponse(status=405)
    customer_id = form.cleaned_data.get("customer_id") if form.is_bound and hasattr(form, "cleaned_data") else None
    customer_id = customer_id or form.initial.get("customer_id")
    context = {
        "form": form,
        "lookup": LookupForm(),
        "picked": _picked(actor, customer_id),
        "top_error": top_error,
        "can_attach": actor.has("case.investigate"),
        "can_answer": actor.has("case.answer"),
    }
    template = "web/register/_form.html" if is_htmx(request) and request.method == "POST" else "web/register/form.html"
    return render(request, template, context, status=status)


def _call_prefill(actor: Actor, call: str) -> dict[str, Any]:
    """A call pop links here with its id (never the number in the address): the channel is the hotline,
    and the caller is picked when the agent may find them, else the new customer's phone is the caller's
    — for the agent who answered only."""
    if not call.isdigit():
        return {}
    try:
        pop = own_pop(actor, int(call))
    except ServiceError:
        return {}
    if pop.customer_id is not None and findable(actor, list(Customer.objects.filter(pk=pop.customer_id))):
        return {"channel": "hotline", "customer_id": pop.customer_id}
    return {"channel": "hotline", "cust_phone": pop.phone}


@login_required
@require_GET
def done(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        case = selectors.readable_case(actor, case_id)
    except ServiceError as exc:
        return error_page(request, exc)
    detail = case_view.case_detail(case, actor, now())
    acknowledgement = CustomerMessage.objects.filter(case=case, kind="acknowledgement").order_by("created_at").first()
    return render(
        request,
        "web/register/done.html",
        {"case": case, "detail": detail, "acknowledgement": acknowledgement},
    )
