"""The FAQ knowledge base for its owners (/faq/): entries with filters, writing a new entry or a new
draft version, submitting it, the review queue where a second person publishes or sends back, an
entry's version history, and the questions the assistant could not answer, grouped by similarity
(SPEC §11, decision 0025). The services check every permission and the four-eyes rule."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from redressal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from redressal.domain.codes import load_codes
from redressal.faq import selectors, services
from redressal.faq.markup import render as render_answer
from redressal.faq.models import FaqEntry, FaqVersion
from redressal.web.views._common import current_actor, error_page


def _refused(request: HttpRequest) -> HttpResponse | None:
    if selectors.can_see(current_actor(request)):
        return None
    return error_page(request, PermissionDenied("permission_denied", "missing permission 'faq.edit'"))


def _categories() -> list[tuple[str, str]]:
    language = get_language() or "zh-hans"
    return [(c.code, c.label(language)) for c in load_codes().axis("B")]


def _category_label(code: str) -> str:
    found = load_codes().get(code)
    return found.label(get_language() or "zh-hans") if found is not None else code


def _date(raw: str, field: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed("invalid", "a date is YYYY-MM-DD", field=field) from None


def _input(request: HttpRequest) -> services.EntryInput:
    p = request.POST
    return services.EntryInput(
        question=p.get("question", ""),
        answer=p.get("answer", ""),
        category=p.get("category", ""),
        similar=tuple(line for line in p.get("similar", "").splitlines()),
        language=p.get("language", "zh-hans"),
        audience=p.get("audience", "public"),
        valid_from=_date(p.get("valid_from", ""), "valid_from"),
        valid_to=_date(p.get("valid_to", ""), "valid_to"),
    )


def _form_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "categories": _categories(),
        "languages": FaqVersion.Language.choices,
        "audiences": FaqEntry.Audience.choices,
        "values": request.POST if request.method == "POST" else {},
        **extra,
    }


@login_required
@require_GET
def faq_list(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    g = request.GET
    rows = []
    found = selectors.entries(g.get("language", ""), g.get("state", ""), g.get("category", ""), g.get("audience", ""))
    for entry in found[:300]:
        versions = sorted(entry.versions.all(), key=lambda v: -v.number)
        current = next((v for v in versions if v.state == "published"), versions[0] if versions else None)
        rows.append({"entry": entry, "current": current, "category": _category_label(entry.category),
                     "states": sorted({v.get_state_display() for v in versions})})
    return render(request, "web/faq/list.html", {
        "rows": rows, "categories": _categories(), "states": FaqVersion.State.choices,
        "languages": FaqVersion.Language.choices, "filters": g, "review_count": selectors.review_queue().count(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def faq_new(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    error = None
    if request.method == "POST":
        try:
            version = services.create_entry(current_actor(request), _input(request))
            return redirect(reverse("web:faq_entry", args=[version.entry_id]))
        except ServiceError as exc:
            if exc.status == 403:
                return error_page(request, exc)
            error = exc
    return render(request, "web/faq/form.html", _form_context(request, error=error, entry=None))


@login_required
@require_http_methods(["GET", "POST"])
def faq_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    entry = FaqEntry.objects.filter(pk=entry_id).select_related("owner").first()
    if entry is None:
        return error_page(request, NotFound("not_found", "no such FAQ entry"))
    error = None
    if request.method == "POST":
        try:
            services.revise(current_actor(request), entry.pk, _input(request))
            return redirect(reverse("web:faq_entry", args=[entry.pk]))
        except ServiceError as exc:
            if exc.status == 403:
                return error_page(request, exc)
            error = exc
    history = selectors.history(entry.pk)
    latest = history[0] if history else None
    values = request.POST if request.method == "POST" else {
        "question": latest.question if latest else "", "answer": latest.answer if latest else "",
        "similar": "\n".join(latest.similar) if latest else "", "language": latest.language if latest else "zh-hans",
        "category": entry.category, "audience": entry.audience,
        "valid_from": entry.valid_from.isoformat() if entry.valid_from else "",
        "valid_to": entry.valid_to.isoformat() if entry.valid_to else "",
    }
    context = _form_context(request, error=error, entry=entry, category=_category_label(entry.category))
    context.update(values=values, history=[{"v": v, "html": render_answer(v.answer)} for v in history])
    return render(request, "web/faq/entry.html", context)


def _verb(request: HttpRequest, version_id: int, verb: str) -> HttpResponse:
    actor = current_actor(request)
    version = FaqVersion.objects.filter(pk=version_id).first()
    if version is None:
        return error_page(request, NotFound("not_found", "no such FAQ version"))
    try:
        if verb == "submit":
            services.submit(actor, version.pk)
        elif verb == "approve":
            services.approve(actor, version.pk, request.POST.get("note", ""))
        else:
            services.reject(actor, version.pk, request.POST.get("note", ""))
    except ServiceError as exc:
        return error_page(request, exc)
    target = request.POST.get("next", "")
    back = reverse("web:faq_review")
    return redirect(back if target == back else reverse("web:faq_entry", args=[version.entry_id]))


@login_required
@require_POST
def faq_submit(request: HttpRequest, version_id: int) -> HttpResponse:
    return _verb(request, version_id, "submit")


@login_required
@require_POST
def faq_approve(request: HttpRequest, version_id: int) -> HttpResponse:
    return _verb(request, version_id, "approve")


@login_required
@require_POST
def faq_reject(request: HttpRequest, version_id: int) -> HttpResponse:
    return _verb(request, version_id, "reject")


@login_required
@require_GET
def faq_review(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    rows = [{"v": v, "html": render_answer(v.answer), "category": _category_label(v.entry.category)}
            for v in selectors.review_queue()[:200]]
    return render(request, "web/faq/review.html", {"rows": rows, "me": current_actor(request).id,
                                                   "can_publish": current_actor(request).has("faq.publish")})


@login_required
@require_GET
def faq_open_questions(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    return render(request, "web/faq/open_questions.html", {"groups": selectors.open_question_groups()})
