"""The case page's actions: one table row per action (form, permission, service call), one POST view.

A form is offered only when the lifecycle allows the action in the case's state and the person holds
its permission for the case's unit; the service checks both again. Every form sends the case version
it was rendered with, so a change made meanwhile by someone else is refused (409) and shown, never
overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from redressal.cases import page_selectors, selectors
from redressal.cases import services as svc
from redressal.cases.models import Case, Proposal
from redressal.cases.notice_pdf import notice_draft
from redressal.cases.services.deadlines import profile_of
from redressal.cases.services.extension_requests import request_extension
from redressal.core.errors import Conflict, ServiceError
from redressal.domain.authority import APPROVAL_LADDER, limit_of, required_approver_role
from redressal.domain.lifecycle import CHALLENGE_ROUTES, allowed_actions
from redressal.org.authz import Actor
from redressal.web.forms import case_actions as f
from redressal.web.views._common import current_actor, is_htmx

Call = Callable[[Case, Actor, dict[str, Any]], Case]


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str | Promise
    permission: str
    form: type[f.ActionForm]
    call: Call
    lifecycle: str = ""  # the lifecycle action; defaults to ``name``
    danger: bool = False
    # Service error fields that are called differently in the form.
    fields: dict[str, str] = field(default_factory=dict)
    multipart: bool = False

    @property
    def action(self) -> str:
        return self.lifecycle or self.name


def _v(data: dict[str, Any]) -> int:
    return int(data["version"])


def _respond(case: Case, actor: Actor, d: dict[str, Any]) -> Case:
    return svc.respond_to_case(
        case.pk,
        actor=actor,
        outcome=d["outcome"],
        reasons=d["reasons"],
        basis=d["basis"],
        remedy=d.get("remedy", ""),
        notice=svc.Notice(channel=d["notice_channel"], content=d["notice_content"], routes=list(d.get("routes", []))),
        expected_version=_v(d),
    )


def _evidence(case: Case, actor: Actor, d: dict[str, Any]) -> Case:
    upload = d["file"]
    return svc.add_evidence(
        case.pk,
        actor=actor,
        kind=d["kind"],
        filename=upload.name or "evidence",
        content_type=upload.content_type or "application/octet-stream",
        stream=upload,
        description=d.get("description", ""),
        expected_version=_v(d),
    )


RESPOND_FIELDS = {"notice.routes": "routes", "notice.content": "notice_content", "notice.channel": "notice_channel"}

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "accept",
        pgettext_lazy("action", "受理"),
        "case.accept",
        f.AcceptForm,
        lambda c, a, d: svc.accept_case(
            c.pk,
            actor=a,
            contact_channel=d["contact_channel"],
            contact_outcome=d["contact_outcome"],
            explained=d.get("explained", ""),
            no_direct_interest=bool(d.get("no_direct_interest")),
            expected_version=_v(d),
        ),
    ),
    ActionSpec(
        "start_investigation",
        pgettext_lazy("action", "开始调查"),
        "case.investigate",
        f.EmptyForm,
        lambda c, a, d: svc.start_investigation(c.pk, actor=a, expected_version=_v(d)),
    ),
    ActionSpec(
        "answer",
        pgettext_lazy("action", "答复并办结"),
        "case.answer",
        f.AnswerForm,
        lambda c, a, d: svc.answer_case(c.pk, actor=a, answer=d["answer"], expected_version=_v(d)),
    ),
    ActionSpec(
        "add_note",
        pgettext_lazy("action", "添加调查记录"),
        "case.investigate",
        f.NoteForm,
        lambda c, a, d: svc.add_note(c.pk, actor=a, text=d["text"], kind=d["kind"], expected_version=_v(d)),
    ),
    ActionSpec(
        "add_evidence",
        pgettext_lazy("action", "上传证据"),
        "case.investigate",
        f.EvidenceForm,
        _evidence,
        multipart=True,
    ),
    ActionSpec(
        "open_task",
        pgettext_lazy("action", "发起协办"),
        "case.task",
        f.TaskForm,
        lambda c, a, d: svc.open_task(
            c.pk,
            actor=a,
            department_code=d["department"],
            title=d["title"],
            request=d["request"],
            blocking=bool(d.get("blocking")),
            expected_version=_v(d),
        ),
    ),
    ActionSpec(
        "set_responsibility",
        pgettext_lazy("action", "责任认定与根因"),
        "case.investigate",
        f.ResponsibilityForm,
        lambda c, a, d: svc.set_responsibility(
            c.pk,
            actor=a,
            finding=d["finding"],
            root_cause_code=d.get("root_cause_code", ""),
            root_cause_text=d.get("root_cause_text", ""),
            responsible_unit=d.get("responsible_unit", ""),
            responsible_staff=d.get("responsible_staff", ""),
            measure=d["measure"],
            expected_version=_v(d),
        ),
    ),
    ActionSpec(
        "propose_solution",
        pgettext_lazy("action", "解决方案与补偿"),
        "case.propose",
        f.ProposalForm,
        lambda c, a, d: svc.propose_solution(
            c.pk, actor=a, solution=d["solution"], items=d["_items"], expected_version=_v(d)
        ),
        fields={f"items[{i}].{k}": f"item_{k}_{i}" for i in range(f.ITEM_ROWS) for k in ("kind", "amount")},
    ),
    ActionSpec(
        "approve",
        pgettext_lazy("action", "批准方案"),
        "case.approve",
        f.OptionalReasonForm,
        lambda c, a, d: svc.approve_proposal(c.pk, actor=a, reason=d.get("reason", ""), expected_version=_v(d)),
    ),
    ActionSpec(
        "reject",
        pgettext_lazy("action", "驳回方案"),
        "case.approve",
        f.ReasonForm,
        lambda c, a, d: svc.reject_proposal(c.pk, actor=a, reason=d["reason"], expected_version=_v(d)),
        danger=True,
    ),
    ActionSpec(
        "request_extension",
        pgettext_lazy("action", "申请延期"),
        "case.investigate",
        f.ExtensionRequestForm,
        lambda c, a, d: request_extension(
            c.pk,
            actor=a,
            level=d["level"],
            reason=d["reason"],
            justification=d["justification"],
            expected_version=_v(d),
        ),
        lifecycle="extend",
    ),
    ActionSpec(
        "extend",
        pgettext_lazy("action", "延期"),
        "case.approve_extension.l1",
        f.ExtendForm,
        lambda c, a, d: svc.extend_deadline(
            c.pk,
            actor=a,
            level=d["level"],
            reason=d["reason"],
            justification=d["justification"],
            customer_notified=bool(d.get("customer_notified")),
            expected_version=_v(d),
        ),
    ),
    ActionSpec(
        "pause",
        pgettext_lazy("action", "中止计时"),
        "case.clock",
        f.PauseForm,
        lambda c, a, d: svc.pause_clock(
            c.pk,
            actor=a,
            reason=d["reason"],
            external_party=d.get("external_party", ""),
            evidence=d.get("evidence", ""),
            expected_version=_v(d),
        ),
    ),
    ActionSpec(
        "resume",
        pgettext_lazy("action", "恢复计时"),
        "case.clock",
        f.EmptyForm,
        lambda c, a, d: svc.resume_clock(c.pk, actor=a, expected_version=_v(d)),
    ),
    ActionSpec(
        "restart_clock",
        pgettext_lazy("action", "重新计算时限"),
        "case.clock",
        f.RestartForm,
        lambda c, a, d: svc.restart_clock(c.pk, actor=a, reason=d["reason"], expected_version=_v(d)),
    ),
    ActionSpec(
        "respond", pgettext_lazy("action", "答复客户"), "case.respond", f.RespondForm, _respond, fields=RESPOND_FIELDS
    ),
    ActionSpec(
        "record_feedback",
        pgettext_lazy("action", "记录客户评价"),
        "case.feedback",
        f.FeedbackForm,
        lambda c, a, d: svc.record_feedback(
            c.pk,
            actor=a,
            result=d["result"],
            csat=d.get("csat"),
            comments=d.get("comments", ""),
            close_reason=d.get("close_reason", ""),
            expected_version=_v(d),
        ),
    ),
    ActionSpec(
        "reopen",
        pgettext_lazy("action", "重新处理"),
        "case.reopen",
        f.ReopenForm,
        lambda c, a, d: svc.reopen_case(
            c.pk, actor=a, reason=d["reason"], new_facts=bool(d.get("new_facts")), expected_version=_v(d)
        ),
    ),
    ActionSpec(
        "escalate",
        pgettext_lazy("action", "升级"),
        "case.escalate",
        f.EscalateForm,
        lambda c, a, d: svc.escalate_case(
            c.pk, actor=a, to_unit_code=d["to_unit"], reason=d["reason"], expected_version=_v(d)
        ),
    ),
    ActionSpec(
        "merge",
        pgettext_lazy("action", "合并"),
        "case.merge",
        f.MergeForm,
        lambda c, a, d: svc.merge_case(
            c.pk, actor=a, into_case_number=d["into"], reason=d.get("reason", ""), expected_version=_v(d)
        ),
        danger=True,
    ),
    ActionSpec(
        "withdraw",
        pgettext_lazy("action", "撤诉"),
        "case.withdraw",
        f.ReasonForm,
        lambda c, a, d: svc.withdraw_case(c.pk, actor=a, reason=d["reason"], expected_version=_v(d)),
        danger=True,
    ),
    ActionSpec(
        "decline",
        pgettext_lazy("action", "不予受理"),
        "case.decline",
        f.DeclineForm,
        lambda c, a, d: svc.decline_case(
            c.pk, actor=a, reason_code=d["reason_code"], notice=d["notice"], expected_version=_v(d)
        ),
        danger=True,
    ),
    ActionSpec(
        "review_decide",
        pgettext_lazy("action", "核查决定"),
        "case.respond",
        f.ReviewDecisionForm,
        _respond,
        lifecycle="respond",
        fields=RESPOND_FIELDS,
    ),
)
ACTIONS = {s.name: s for s in SPECS}


def pending_proposal(case: Case, proposals: list[Proposal] | None = None) -> Proposal | None:
    """The proposal awaiting approval; ``proposals`` are the case's when the page has loaded them."""
    rows = case.proposals.filter(status="pending") if proposals is None else proposals
    return next((p for p in rows if p.status == "pending"), None)


def allowed_specs(case: Case, actor: Actor, proposals: list[Proposal] | None = None) -> list[ActionSpec]:
    """The actions this person may take on this case now; nothing is offered that would be refused."""
    lifecycle = set(allowed_actions(case.status, case.request_type))
    awaiting = bool(lifecycle & {"approve", "reject"}) and pending_proposal(case, proposals) is not None
    out = []
    for spec in SPECS:
        if spec.action not in lifecycle or not actor.has(spec.permission, case.unit):
            continue
        if (spec.name == "review_decide") != (case.kind == Case.Kind.REVIEW) and spec.action == "respond":
            continue
        if (spec.name == "pause" and case.paused) or (spec.name == "resume" and not case.paused):
            continue
        if spec.name in ("approve", "reject") and not awaiting:
            continue
        out.append(spec)
    return out


def form_kwargs(spec: ActionSpec, case: Case) -> dict[str, Any]:
    if spec.form is f.TaskForm:
        return {"departments": page_selectors.departments()}
    if spec.form is f.EscalateForm:
        return {"units": page_selectors.escalation_targets(case)}
    return {}


def blank_form(spec: ActionSpec, case: Case, initial: dict[str, Any] | None = None) -> f.ActionForm:
    init = {"version": case.version, "seen_seq": case.last_event_seq, **(initial or {})}
    return spec.form(initial=init, prefix=spec.name, **form_kwargs(spec, case))


def notice_template(case: Case) -> str:
    """The decision notice pre-filled from the case; the handler completes and edits it."""
    profile = profile_of(case)
    amount = f"，涉及金额 {case.amount:,.2f} 元" if case.amount is not None else ""
    return notice_draft(
        review_window_days=profile.review.request_window_days,
        complainant=case.complainant_name,
        when=f"于{case.received_at.astimezone(profile.tz):%Y年%m月%d日}",
        subject=case.product,
        reference=f"（工单编号 {case.case_number}{amount}）",
    )


def initial_for(spec: ActionSpec, case: Case) -> dict[str, Any]:
    """What a blank form starts with: the respond forms carry the notice pre-filled from the case."""
    if spec.name == "respond":
        return {"notice_content": notice_template(case), "routes": list(CHALLENGE_ROUTES)}
    if spec.name == "review_decide":
        return {"notice_content": notice_template(case)}
    return {}


def _fragment(
    request: HttpRequest, case: Case, spec: ActionSpec, form: forms.Form, status: int, **extra: Any
) -> HttpResponse:
    if spec.name == "propose_solution":
        extra["authority"] = authority_info(case, current_actor(request))
    if spec.name == "merge":
        extra.setdefault("merge_candidates", page_selectors.merge_candidates(current_actor(request), case))
    return render(request, "web/case/_action.html", {"case": case, "spec": spec, "form": form, **extra}, status=status)


def _attach(form: forms.Form, spec: ActionSpec, exc: ServiceError) -> None:
    name = spec.fields.get(exc.field or "", exc.field or "")
    if name in form.fields:
        form.add_error(name, exc.message)
    else:
        form.add_error(None, f"{exc.field}: {exc.message}" if exc.field else exc.message)


def authority_info(case: Case, actor: Actor, proposals: list[Proposal] | None = None) -> dict[str, Any]:
    """The proposer's compensation limit, the approval ladder, and who must approve a pending proposal."""
    limits = profile_of(case).authority_limits
    own = limit_of(actor.roles_covering(case.unit), limits)
    pending = pending_proposal(case, proposals)
    return {
        "own_limit": own,
        "unlimited": own is None,
        "limits": limits,
        "pending": pending,
        "pending_approver": required_approver_role(pending.total, limits) if pending else "",
        "ladder": [(role, limits[role]) for role in APPROVAL_LADDER if role in limits],
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """GET: the action's form, when its panel is opened. POST: perform it through its service."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("unknown action")
    actor = current_actor(request)
    try:
        case = selectors.readable_case(actor, case_id)
    except ServiceError as exc:
        return render(request, "web/error.html", {"message": exc.message}, status=exc.status)
    if request.method == "GET":
        if spec not in allowed_specs(case, actor):
            blank = blank_form(spec, case)
            return _fragment(request, case, spec, blank, 403, refused=_("当前状态下您不能执行此操作"))
        return _fragment(request, case, spec, blank_form(spec, case, initial_for(spec, case)), 200, opened=True)
    form = spec.form(request.POST, request.FILES, prefix=spec.name, **form_kwargs(spec, case))
    if not actor.has(spec.permission, case.unit):
        return _fragment(request, case, spec, form, 403, refused=_("您没有执行此操作的权限"))
    if not form.is_valid():
        return _fragment(request, case, spec, form, 422)
    data = dict(form.cleaned_data)
    if isinstance(form, f.ProposalForm):
        data["_items"] = form.items()
    if isinstance(form, f.MergeForm) and not data.get("confirm"):
        return _merge_preview(request, actor, case, spec, form, data)
    try:
        spec.call(case, actor, data)
    except Conflict as exc:
        if exc.code != "version_conflict":
            _attach(form, spec, exc)
            return _fragment(request, case, spec, form, 409)
        since = page_selectors.events_since(case, int(data["seen_seq"]))
        return _fragment(
            request, case, spec, form, 409, conflict=True, since=since, names=page_selectors.change_names(since)
        )
    except ServiceError as exc:
        _attach(form, spec, exc)
        # A rule of the domain refusing the input (plain ServiceError, 400) is a validation answer here.
        return _fragment(request, case, spec, form, 422 if exc.status == 400 else exc.status)
    url = reverse("web:case_detail", args=[case.pk])
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _merge_preview(
    request: HttpRequest, actor: Actor, case: Case, spec: ActionSpec, form: forms.Form, data: dict[str, Any]
) -> HttpResponse:
    """Show both cases side by side before the merge is confirmed."""
    target = page_selectors.case_by_number(actor, data["into"])
    if target is None:
        form.add_error("into", _("找不到该工单，或您无权查看"))
        return _fragment(request, case, spec, form, 422)
    confirm = spec.form(
        initial={**{k: v for k, v in data.items() if not k.startswith("_")}, "confirm": True},
        prefix=spec.name,
    )
    return _fragment(request, case, spec, confirm, 200, merge_target=target)
