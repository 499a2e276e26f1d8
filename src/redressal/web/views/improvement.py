"""Root-cause issues and improvement actions (溯源整改, SPEC §12): the list (mine / my units), opening an
issue from a case, a mass incident or a report cell, the issue page with its cases, actions, effect
and history. The checks are the services' (``improvement.services``); views parse and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from redressal.cases.models import Case
from redressal.cases.selectors import readable_case
from redressal.core.clock import now
from redressal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from redressal.improvement import selectors
from redressal.improvement.access import (
    MANAGE,
    may_list_issues,
    may_manage,
    may_open_issues,
    readable_issue,
)
from redressal.improvement.models import ImprovementAction, RootCauseIssue
from redressal.improvement.services import (
    Criterion,
    add_action,
    cancel_action,
    close_issue,
    complete_action,
    link_case,
    open_issue,
)
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, Staff
from redressal.org.selectors import scope_unit_ids
from redressal.triage.page_selectors import incident_for
from redressal.triage.services.facts import code_in
from redressal.web.forms import improvement as f
from redressal.web.refusals import refusal_text
from redressal.web.triage_labels import value_label
from redressal.web.views._common import current_actor, error_page

STATES = ("open", "in_progress", "closed")


def _units(actor: Actor) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in OrgUnit.objects.filter(pk__in=scope_unit_ids(actor, MANAGE)).order_by("path")]


def _staff_in(unit_ids: list[int], limit: int = 300) -> list[tuple[str, str]]:
    rows = Staff.objects.filter(is_active=True, unit_id__in=unit_ids).select_related("unit").order_by("unit__path")
    return [(s.username, f"{s} · {s.unit}") for s in rows[:limit]]


def _owners(actor: Actor) -> list[tuple[str, str]]:
    return _staff_in(scope_unit_ids(actor, MANAGE))


def _action_owners(actor: Actor) -> list[tuple[str, str]]:
    # Actions may go to any department (a system fix to IT): all active staff, the actor's units first.
    mine = scope_unit_ids(actor, MANAGE)
    rest = list(OrgUnit.objects.exclude(pk__in=mine).values_list("pk", flat=True))
    return _staff_in(mine) + _staff_in(rest)


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not may_list_issues(actor):
        return error_page(request, PermissionDenied("permission_denied", gettext("您没有查看溯源整改的权限。")))
    mine = request.GET.get("show") == "mine"
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    rows = selectors.issue_list(actor, mine=mine, state=state)
    return render(
        request,
        "web/improvement/list.html",
        {"issues": rows, "mine": mine, "state": state, "states": STATES, "can_open": may_open_issues(actor)},
    )


def _source(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """What the issue is opened from (?case=, ?incident=, or a criterion), and what it suggests."""
    params = request.POST if request.method == "POST" else request.GET
    if params.get("case"):
        case = readable_case(actor, int(params["case"]))
        cause = code_in(case.classification, "cause")
        return {
            "kind": "case",
            "case": case,
            "initial": {
                "cause_code": cause,
                "unit": case.unit.code,
                "business_code": code_in(case.classification, "business"),
            },
        }
    if params.get("incident"):
        incident = incident_for(actor, int(params["incident"]))
        return {
            "kind": "mass_incident",
            "incident": incident,
            "initial": {
                "cause_code": incident.cause_code,
                "unit": incident.unit_code,
                "root_cause": incident.root_cause,
            },
        }
    # A report cell: ?cause=C02&business=B0302&from=2026-07-01&to=2026-09-30&scope=BJ (scope: the unit).
    criterion = f.CriterionForm(
        {k: params.get(k, "") for k in ("cause", "business")}
        | {"start": params.get("from", ""), "end": params.get("to", ""), "unit": params.get("scope", "")}
    )
    if criterion.is_valid():
        d = criterion.cleaned_data
        c = Criterion(cause=d["cause"], business=d["business"], start=d["start"], end=d["end"], unit_code=d["unit"])
        return {
            "kind": "criterion",
            "criterion": c,
            "initial": {"cause_code": c.cause, "business_code": c.business, "unit": c.unit_code},
        }
    raise NotFound("issue.source", gettext("请从工单、群体性事件或统计口径发起溯源整改。"), field="source")


@login_required
def issue_new(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not may_open_issues(actor):
        return error_page(request, PermissionDenied("permission_denied", gettext("您没有发起溯源整改的权限。")))
    try:
        source = _source(request, actor)
    except (ServiceError, ValueError) as exc:
        err = exc if isinstance(exc, ServiceError) else NotFound("not_found", "bad source", field="source")
        return error_page(request, err)
    kw = {"units": _units(actor), "owners": _owners(actor)}
    status = 200
    if request.method == "POST":
        form = f.IssueForm(request.POST, **kw)
        if form.is_valid():
            d = form.cleaned_data
            try:
                issue = open_issue(
                    actor=actor,
                    title=d["title"],
                    root_cause=d["root_cause"],
                    unit_code=d["unit"],
                    owner=d["owner"],
                    cause_code=d["cause_code"],
                    business_code=d["business_code"],
                    case_id=source["case"].pk if source["kind"] == "case" else None,
                    mass_incident_id=source["incident"].id if source["kind"] == "mass_incident" else None,
                    criterion=source.get("criterion"),
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))
                status = exc.status
            else:
                messages.success(request, gettext("已发起溯源整改 RC-%(id)s。") % {"id": issue.pk})
                return redirect("web:improvement_issue", issue_id=issue.pk)
        else:
            status = 422
    else:
        form = f.IssueForm(initial={"owner": actor.staff.username, **source["initial"]}, **kw)
    return render(request, "web/improvement/new.html", {"form": form, "source": source}, status=status)


def issue_context(request: HttpRequest, actor: Actor, issue: RootCauseIssue, **forms: Any) -> dict[str, Any]:
    manage = may_manage(actor, issue) and issue.state != "closed"
    moment = now()
    effect = selectors.issue_effect(issue, moment)
    rows = selectors.actions(issue)
    today = timezone.localdate(moment)
    return {
        "issue": issue,
        "cause_label": value_label("cause", issue.cause_code) if issue.cause_code else "",
        "business_label": value_label("business", issue.business_code) if issue.business_code else "",
        "cases": selectors.linked_cases(actor, issue),
        "actions": [
            {
                "action": a,
                "overdue": a.state == "open" and a.due_date < today,
                "mine": a.owner_id == actor.id and a.state == "open",
            }
            for a in rows
        ],
        "effect": effect,
        "history": selectors.issue_history(issue),
        "manage": manage,
        "link_form": forms.get("link_form") or f.LinkCaseForm(),
        "action_form": forms.get("action_form") or f.ActionForm(owners=_action_owners(actor)) if manage else None,
        "complete_form": forms.get("complete_form") or f.CompleteForm(),
        "cancel_form": f.ReasonForm(),
        "close_form": forms.get("close_form") or f.CloseForm(),
        "refused": forms.get("refused"),
    }


@login_required
def issue_page(request: HttpRequest, issue_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        issue = readable_issue(actor, issue_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/improvement/issue.html", issue_context(request, actor, issue))


def _after(
    request: HttpRequest, actor: Actor, issue_id: int, exc: ServiceError | None, ok: str, **forms: Any
) -> HttpResponse:
    if exc is None:
        messages.success(request, ok)
        return redirect("web:improvement_issue", issue_id=issue_id)
    try:
        issue = readable_issue(actor, issue_id)
    except ServiceError as denied:
        return error_page(request, denied)
    context = issue_context(request, actor, issue, refused=refusal_text(exc), **forms)
    return render(request, "web/improvement/issue.html", context, status=exc.status)


def _invalid(form: Any) -> ServiceError:
    field = next(iter(form.errors), None)
    return ValidationFailed("required", gettext("请检查填写的内容。"), field=field)


@login_required
@require_POST
def issue_link(request: HttpRequest, issue_id: int) -> HttpResponse:
    actor = current_actor(request)
    form = f.LinkCaseForm(request.POST)
    exc: ServiceError | None = None
    if not form.is_valid():
        exc = _invalid(form)
    else:
        try:
            link_case(issue_id, actor=actor, case_number=form.cleaned_data["case_number"])
        except ServiceError as e:
            exc = e
    return _after(request, actor, issue_id, exc, gettext("已关联工单。"), link_form=form)


@login_required
@require_POST
def action_add(request: HttpRequest, issue_id: int) -> HttpResponse:
    actor = current_actor(request)
    form = f.ActionForm(request.POST, owners=_action_owners(actor))
    exc: ServiceError | None = None
    if not form.is_valid():
        exc = _invalid(form)
    else:
        d = form.cleaned_data
        try:
            add_action(
                issue_id,
                actor=actor,
                title=d["title"],
                owner=d["owner"],
                description=d["description"],
                due_in_working_days=d["due_in_working_days"],
            )
        except ServiceError as e:
            exc = e
    return _after(request, actor, issue_id, exc, gettext("已添加整改措施。"), action_form=form)


def _action(action_id: int) -> ImprovementAction | None:
    return ImprovementAction.objects.filter(pk=action_id).only("pk", "issue_id").first()


@login_required
@require_POST
def action_complete(request: HttpRequest, action_id: int) -> HttpResponse:
    actor = current_actor(request)
    action = _action(action_id)
    if action is None:
        return error_page(request, NotFound("not_found", gettext("没有这项整改措施。")))
    form = f.CompleteForm(request.POST, request.FILES)
    exc: ServiceError | None = None
    if not form.is_valid():
        exc = _invalid(form)
    else:
        upload = form.cleaned_data["evidence"]
        try:
            complete_action(
                action_id,
                actor=actor,
                note=form.cleaned_data["note"],
                filename=upload.name,
                content_type=upload.content_type or "",
                stream=upload,
            )
        except ServiceError as e:
            exc = e
    return _after(request, actor, action.issue_id, exc, gettext("已完成整改措施。"), complete_form=form)


@login_required
@require_POST
def action_cancel(request: HttpRequest, action_id: int) -> HttpResponse:
    actor = current_actor(request)
    action = _action(action_id)
    if action is None:
        return error_page(request, NotFound("not_found", gettext("没有这项整改措施。")))
    form = f.ReasonForm(request.POST)
    exc: ServiceError | None = None
    if not form.is_valid():
        exc = _invalid(form)
    else:
        try:
            cancel_action(action_id, actor=actor, reason=form.cleaned_data["reason"])
        except ServiceError as e:
            exc = e
    return _after(request, actor, action.issue_id, exc, gettext("已取消整改措施。"))


@login_required
@require_POST
def issue_close(request: HttpRequest, issue_id: int) -> HttpResponse:
    actor = current_actor(request)
    form = f.CloseForm(request.POST)
    exc: ServiceError | None = None
    if not form.is_valid():
        exc = _invalid(form)
    else:
        try:
            close_issue(issue_id, actor=actor, note=form.cleaned_data["note"])
        except ServiceError as e:
            exc = e
    return _after(request, actor, issue_id, exc, gettext("溯源整改已关闭。"), close_form=form)


@login_required
def action_evidence(request: HttpRequest, action_id: int) -> HttpResponseBase:
    """The completion evidence, for those who may read the issue; always a download."""
    actor = current_actor(request)
    action = ImprovementAction.objects.filter(pk=action_id).first()
    if action is None or not action.evidence:
        return error_page(request, NotFound("not_found", gettext("没有这项整改措施。")))
    try:
        readable_issue(actor, action.issue_id)
    except ServiceError as exc:
        return error_page(request, exc)
    response = FileResponse(
        action.evidence.open("rb"), as_attachment=True, filename=action.evidence_name, content_type=action.evidence_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def case_improvement(actor: Actor, case: Case) -> dict[str, Any]:
    """The case page's section: the issues grouping the case, and whether one may be opened from it."""
    return {"issues": selectors.issues_of_case(actor, case), "can_open": may_open_issues(actor)}
