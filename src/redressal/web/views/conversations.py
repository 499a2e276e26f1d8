"""Customer conversations (/conversations/): the waiting list, kept fresh by htmx polling, and one
conversation — its transcript, the answer box, closing, and turning it into a case (SPEC §9).

Scoped by ``conversations.selectors`` (the conversation's unit); the services check every action.
The customer's channel key (openid) is never shown: an unbound customer appears as a short keyed hash.
Text is masked for those without ``pii.view``, as everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from redressal.cases.models import Case
from redressal.conversations import selectors
from redressal.conversations import services as conv
from redressal.conversations.keys import party_ref
from redressal.conversations.models import Conversation
from redressal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from redressal.core.masking import mask_phone, mask_text
from redressal.customers.services import find_customers
from redressal.org.authz import Actor
from redressal.web.views._common import current_actor, error_page

PAGE_SIZE = 50


def _refuse_unless_reader(request: HttpRequest, actor: Actor) -> HttpResponse | None:
    if selectors.can_see(actor):
        return None
    return error_page(request, PermissionDenied("permission_denied", "missing permission 'conversation.read'"))


def _who(conversation: Conversation) -> str:
    if conversation.customer is not None:
        return conversation.customer.name
    ref = party_ref(conversation.channel, conversation.party)[:6]
    if conversation.channel == "wechat":
        return _("微信用户 %(ref)s") % {"ref": ref}
    return _("在线访客 %(ref)s") % {"ref": ref}


def _rows(actor: Actor, status: str, page_number: str | None) -> dict[str, Any]:
    page = Paginator(selectors.conversations(actor, status), PAGE_SIZE).get_page(page_number)
    rows = []
    for c in page:
        last = c.messages.filter(direction="in").order_by("-at", "-pk").first()
        text = last.text if last is not None else ""
        rows.append({"c": c, "who": _who(c), "last": text if actor.has("pii.view") else mask_text(text)})
    return {"rows": rows, "page": page, "status": status}


@login_required
@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    refused = _refuse_unless_reader(request, actor)
    if refused is not None:
        return refused
    status = request.GET.get("status", "waiting")
    status = status if status in selectors.LIST_STATES else "waiting"
    context = _rows(actor, status, request.GET.get("page"))
    return render(request, "web/conversations/list.html", context)


@login_required
@require_GET
def conversation_rows(request: HttpRequest) -> HttpResponse:
    """The list's rows alone: what the page's polling swaps in every few seconds."""
    actor = current_actor(request)
    refused = _refuse_unless_reader(request, actor)
    if refused is not None:
        return refused
    status = request.GET.get("status", "waiting")
    status = status if status in selectors.LIST_STATES else "waiting"
    return render(request, "web/conversations/_rows.html", _rows(actor, status, request.GET.get("page")))


def _found_customers(actor: Actor, phone: str) -> list[dict[str, Any]]:
    if not phone or not actor.has("customer.read"):
        return []
    clear = actor.has("pii.view")
    return [
        {"id": c.pk, "name": c.name, "customer_no": c.customer_no, "phone": c.phone if clear else mask_phone(c.phone)}
        for c in find_customers(actor=actor, phone=phone)[:10]
    ]


def _transcript(actor: Actor, messages: list[Any]) -> list[dict[str, Any]]:
    clear = actor.has("pii.view")
    return [{"m": m, "text": m.text if clear else mask_text(m.text)} for m in messages]


def _detail(request: HttpRequest, actor: Actor, conversation: Conversation, **extra: Any) -> HttpResponse:
    messages = selectors.transcript(conversation)
    transcript = _transcript(actor, messages)
    lookup_phone = request.GET.get("phone", "").strip()[:20]
    context = {
        "c": conversation,
        "who": _who(conversation),
        "transcript": transcript,
        "can_answer": actor.has(conv.ANSWER, conversation.unit) and conversation.status != "closed",
        "can_case": conversation.case_id is None
        and actor.has(conv.ANSWER, conversation.unit)
        and actor.has("case.register", conversation.unit),
        "request_types": Case.RequestType.choices,
        "description": conv.customer_text(messages),
        "lookup_phone": lookup_phone,
        "found": _found_customers(actor, lookup_phone),
        **extra,
    }
    return render(request, "web/conversations/detail.html", context, status=extra.get("status", 200))


@login_required
@require_GET
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        conversation = selectors.conversation_for(actor, conversation_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return _detail(request, actor, conversation)


@login_required
@require_GET
def conversation_transcript(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The transcript alone: what the conversation page polls, so a new message shows while staff read."""
    actor = current_actor(request)
    try:
        conversation = selectors.conversation_for(actor, conversation_id)
    except ServiceError as exc:
        return error_page(request, exc)
    transcript = _transcript(actor, selectors.transcript(conversation))
    return render(request, "web/conversations/_transcript.html", {"transcript": transcript})


@login_required
@require_POST
def conversation_answer(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        conv.answer(actor, conversation_id, request.POST.get("text", ""))
    except ServiceError as exc:
        return error_page(request, exc)
    return redirect(reverse("web:conversation_detail", args=[conversation_id]) + "#answer")


@login_required
@require_POST
def conversation_close(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        conv.close(actor, conversation_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return redirect("web:conversations")


@login_required
@require_POST
def conversation_to_case(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = current_actor(request)
    raw_customer = request.POST.get("customer_id", "").strip()
    try:
        customer_id = int(raw_customer) if raw_customer else None
    except ValueError:
        return error_page(
            request, ValidationFailed("invalid_choice", "choose a customer from the list", field="customer_id")
        )
    data = conv.CaseFromConversation(
        request_type=request.POST.get("request_type", "complaint"),
        description=request.POST.get("description", ""),
        customer_id=customer_id,
        customer_name=request.POST.get("customer_name", ""),
    )
    try:
        case = conv.turn_into_case(actor, conversation_id, data)
    except ServiceError as exc:
        return error_page(request, exc)
    return redirect("web:case_detail", case.pk)
