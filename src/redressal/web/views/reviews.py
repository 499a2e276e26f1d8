"""Review (核查, SPEC §4): the request intake, the reviewers' list and the reviewer's page.

The reviewer's page shows the original case beside the review case (decision, evidence, history)
and the review decision form (upheld / revised), which is the respond service on the review case.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from redressal.cases import page_selectors, selectors
from redressal.cases import services as svc
from redressal.cases.models import Case
from redressal.core.errors import NotFound, PermissionDenied, ServiceError
from redressal.org.authz import Actor
from redressal.web.forms.case_reviews import ReviewRequestForm
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page
from redressal.web.views.case import case_context


def _may_see_reviews(actor: Actor) -> bool:
    return bool(actor.scope_paths("case.review") or actor.scope_paths("case.request_review"))


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not _may_see_reviews(actor):
        return error_page(request, PermissionDenied("permission_denied", "missing permission 'case.review'"))
    can_request = bool(actor.scope_paths("case.request_review"))
    initial = {"case_number": request.GET.get("case_number", "")[:40]}
    form = ReviewRequestForm(request.POST or None, initial=initial) if can_request else None
    status = 200
    if request.method == "POST":
        if form is None:
            return error_page(
                request, PermissionDenied("permission_denied", "missing permission 'case.request_review'")
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                original = page_selectors.case_by_number(actor, data["case_number"])
                if original is None:
                    raise NotFound("not_found", "no such case in your scope", field="case_number")
                review = svc.request_review(
                    original.pk,
                    actor=actor,
                    reason=data["reason"],
                    received_at=data.get("received_at"),
                    override=bool(data.get("override")),
                )
            except ServiceError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, refusal_text(exc))
                status = exc.status
            else:
                return redirect("web:case_detail", review.pk)
        else:
            status = 422
    reviews = page_selectors.review_cases(actor) if actor.scope_paths("case.review") else []
    return render(request, "web/reviews/list.html", {"form": form, "reviews": reviews}, status=status)


@login_required
def review_page(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        review = selectors.readable_case(actor, case_id)
        if review.kind != Case.Kind.REVIEW or review.review_of is None:
            raise NotFound("not_found", "not a review case", field="case_id")
        if not actor.has("case.review", review.unit):
            raise PermissionDenied("permission_denied", "missing permission 'case.review'")
    except ServiceError as exc:
        return error_page(request, exc)
    original = review.review_of
    context = case_context(request, review, actor)
    context["original"] = original
    context["original_records"] = page_selectors.case_records(original)
    context["original_events"] = selectors.case_events(original, actor)
    context["original_pii_clear"] = selectors.pii_clear(actor, original)
    return render(request, "web/reviews/page.html", context)
