"""The case page's actions: one table row per action (its form and the command it builds), one POST view.

A form is offered only when ``cases.offers`` offers the action: the lifecycle allows it in the case's
state and the person holds its permission for the case's unit; the service checks both again. Every
form sends the case version it was rendered with, so a change made meanwhile by someone else is
refused (409) and shown, never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from redressal.cases import commands as c
from redressal.cases import page_selectors, selectors
from redressal.cases import services as svc
from redressal.cases.commands import (
    Accept,
    Command,
    Decline,
    ProposeSolution,
    Respond,
    SetResponsibility,
    execute,
    from_mapping,
)
from redressal.cases.models import Case, Proposal
from redressal.cases.notice import approved_proposal, fill_notice, notice_template, remedy_text
from redressal.cases.offers import offered_actions
from redressal.cases.page_selectors import authority_info
from redressal.cases.services.decision import check_response
from redressal.core.errors import Conflict, ServiceError
from redressal.domain.lifecycle import (
    CHALLENGE_ROUTES,
    CONFIRM_CLASSIFICATION,
    next_step,
    unconfirmed_axes,
)
from redressal.domain.offers import OFFER
from redressal.org.authz import Actor
from redressal.web.forms import case_actions as f
from redressal.web.forms.triage import BulkRespondForm
from redressal.web.refusals import refusal_text
from redressal.web.triage_labels import AXIS_LABELS
from redressal.web.views._common import current_actor, is_htmx


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str | Promise
    form: type[f.ActionForm]
    command: type[Command]
    danger: bool = False
    # Command (and service error) fields that are called differently in the form.
    fields: dict[str, str] = field(default_factory=dict)
    multipart: bool = False
    submit: str | Promise = ""  # the form's button, a verb; defaults to ``label``
    anchor: str = "actions"  # the page section that shows the result, returned to after the action

    @property
    def button(self) -> str | Promise:
        return self.submit or self.label

    @property
    def action(self) -> str:
        """The lifecycle action the form performs."""
        return OFFER[self.name].action

    @property
    def permission(self) -> str:
        return OFFER[self.name].permission


def command_for(spec: ActionSpec, data: dict[str, Any]) -> Command:
    """The one adapter from a form to its command: the form's cleaned data, by the spec's names where the
    form calls a field differently (``fields``), the rendered ``version`` as the expected one."""
    built = from_mapping(spec.command, data, {"expected_version": "version", **spec.fields})
    assert isinstance(built, Command)
    return built


def _notice(d: dict[str, Any]) -> svc.Notice:
    return svc.Notice(
        channel=d["notice_channel"], content=d["notice_content"], routes=list(d.get("routes", [])), at=d.get("at")
    )


RESPOND_FIELDS = {
    "notice.routes": "routes",
    "notice.content": "notice_content",
    "notice.channel": "notice_channel",
    "notice.at": "at",
}

PROPOSAL_FIELDS = {
    "items": "_items",  # the form's item rows, as ProposalForm.items() reads them
    **{f"items[{i}].{k}": f"item_{k}_{i}" for i in range(f.ITEM_ROWS) for k in ("kind", "amount")},
}

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "accept",
        pgettext_lazy("action", "受理"),
        f.AcceptForm,
        Accept,
        anchor="contact",
    ),
    ActionSpec(
        "start_investigation",
        pgettext_lazy("action", "开始调查"),
        f.EmptyForm,
        c.StartInvestigation,
    ),
    ActionSpec(
        "answer",
        pgettext_lazy("action", "答复并办结"),
        f.AnswerForm,
        c.Answer,
    ),
    ActionSpec(
        "add_note",
        pgettext_lazy("action", "添加调查记录"),
        f.NoteForm,
        c.AddNote,
        submit=pgettext_lazy("action", "保存记录"),
        anchor="handling",
    ),
    ActionSpec(
        "add_evidence",
        pgettext_lazy("action", "上传证据"),
        f.EvidenceForm,
        c.AddEvidence,
        multipart=True,
        anchor="evidence",
    ),
    ActionSpec(
        "open_task",
        pgettext_lazy("action", "发起协办"),
        f.TaskForm,
        c.OpenTask,
        anchor="tasks",
    ),
    ActionSpec(
        "set_responsibility",
        pgettext_lazy("action", "认定责任"),
        f.ResponsibilityForm,
        SetResponsibility,
        submit=pgettext_lazy("action", "保存责任认定"),
        anchor="handling",
    ),
    ActionSpec(
        "propose_solution",
        pgettext_lazy("action", "提出方案"),
        f.ProposalForm,
        ProposeSolution,
        fields=PROPOSAL_FIELDS,
        submit=pgettext_lazy("action", "提交方案"),
        anchor="handling",
    ),
    ActionSpec(
        "approve",
        pgettext_lazy("action", "批准方案"),
        f.OptionalReasonForm,
        c.Approve,
        anchor="handling",
    ),
    ActionSpec(
        "reject",
        pgettext_lazy("action", "驳回方案"),
        f.ReasonForm,
        c.Reject,
        danger=True,
        anchor="handling",
    ),
    ActionSpec(
        "request_extension",
        pgettext_lazy("action", "申请延期"),
        f.ExtensionRequestForm,
        c.RequestExtension,
        anchor="deadlines",
    ),
    ActionSpec(
        "extend",
        pgettext_lazy("action", "延长时限"),
        f.ExtendForm,
        c.Extend,
        anchor="deadlines",
    ),
    ActionSpec(
        "pause",
        pgettext_lazy("action", "中止计时"),
        f.PauseForm,
        c.Pause,
        anchor="deadlines",
    ),
    ActionSpec(
        "resume",
        pgettext_lazy("action", "恢复计时"),
        f.ResumeForm,
        c.Resume,
        anchor="deadlines",
    ),
    ActionSpec(
        "restart_clock",
        pgettext_lazy("action", "重新计算时限"),
        f.RestartForm,
        c.RestartClock,
        anchor="deadlines",
    ),
    ActionSpec(
        "respond",
        pgettext_lazy("action", "答复客户"),
        f.RespondForm,
        Respond,
        fields=RESPOND_FIELDS,
        submit=pgettext_lazy("action", "预览告知书"),
        anchor="decision",
    ),
    ActionSpec(
        "record_feedback",
        pgettext_lazy("action", "记录客户评价"),
        f.FeedbackForm,
        c.RecordFeedback,
        anchor="decision",
    ),
    ActionSpec(
        "reopen",
        pgettext_lazy("action", "重新处理"),
        f.ReopenForm,
        c.Reopen,
    ),
    ActionSpec(
        "escalate",
        pgettext_lazy("action", "升级"),
        f.EscalateForm,
        c.Escalate,
        submit=pgettext_lazy("action", "升级工单"),
    ),
    ActionSpec(
        "merge",
        pgettext_lazy("action", "合并"),
        f.MergeForm,
        c.Merge,
        danger=True,
    ),
    ActionSpec(
        "withdraw",
        pgettext_lazy("action", "登记撤诉"),
        f.WithdrawForm,
        c.Withdraw,
        danger=True,
    ),
    ActionSpec(
        "decline",
        pgettext_lazy("action", "不予受理"),
        f.DeclineForm,
        Decline,
        danger=True,
    ),
    ActionSpec(
        "review_decide",
        pgettext_lazy("action", "作出核查决定"),
        f.ReviewDecisionForm,
        Respond,
        fields=RESPOND_FIELDS,
        submit=pgettext_lazy("action", "预览告知书"),
        anchor="decision",
    ),
)
ACTIONS = {s.name: s for s in SPECS}


def allowed_specs(case: Case, actor: Actor, proposals: list[Proposal] | None = None) -> list[ActionSpec]:
    """The forms of the actions this person may take on this case now (``cases.offers`` decides which)."""
    return [ACTIONS[offer.name] for offer in offered_actions(case, actor, proposals)]


def next_step_for(case: Case, specs: list[ActionSpec]) -> dict[str, Any] | None:
    """The header's primary button: the domain's recommended step among ``specs`` (what the person may
    do now), opened in place on the page."""
    step = next_step(case.status, case.request_type, {s.action for s in specs}, case.confirmed_axes())
    if step == CONFIRM_CLASSIFICATION:
        return {"action": "", "label": _("确认分类"), "href": "#classification"}
    spec = next((s for s in specs if s.action == step), None)
    if spec is None:
        return None
    return {"action": spec.name, "label": spec.label, "href": f"#action-{spec.name}"}


def form_kwargs(spec: ActionSpec, case: Case) -> dict[str, Any]:
    if spec.form is f.TaskForm:
        return {"departments": page_selectors.departments()}
    if spec.form is f.EscalateForm:
        return {"units": page_selectors.escalation_targets(case)}
    if spec.form is f.ResponsibilityForm:
        return {"staff": page_selectors.responsible_staff_choices(case)}
    return {}


def blank_form(spec: ActionSpec, case: Case, initial: dict[str, Any] | None = None) -> f.ActionForm:
    init = {"version": case.version, "seen_seq": case.last_event_seq, **(initial or {})}
    return spec.form(initial=init, prefix=spec.name, **form_kwargs(spec, case))


PREVIEWED = ("respond", "review_decide")  # the notice is shown as sent, then confirmed


def initial_for(spec: ActionSpec, case: Case) -> dict[str, Any]:
    """What a blank form starts with: the respond forms carry the notice pre-filled from the case, and
    the remedy from the approved solution (its items and total) when there is one."""
    if spec.name not in PREVIEWED:
        return {}
    out: dict[str, Any] = {"notice_content": notice_template(case)}
    if spec.name == "respond":
        out["routes"] = list(CHALLENGE_ROUTES)
    approved = approved_proposal(case)
    if approved is not None:
        out["remedy"] = remedy_text(approved)
    return out


def unconfirmed_labels(case: Case) -> list[Any]:
    """The B/C classification a decision of this case still needs confirmed, as the page names them."""
    if case.kind != Case.Kind.PRIMARY:
        return []
    return [AXIS_LABELS[axis] for axis in unconfirmed_axes(case.confirmed_axes())]


def filled_notice(form: f.RespondForm | BulkRespondForm, data: dict[str, Any]) -> str:
    """The notice text with its placeholders filled, as the case's form or an incident's bulk form gives it."""
    return fill_notice(
        data["notice_content"],
        outcome=form.outcome_zh.get(data["outcome"], data["outcome"]),
        reasons=data.get("reasons") or "",
        basis=data.get("basis") or "",
        remedy=data.get("remedy") or "",
    )


def _fragment(
    request: HttpRequest, case: Case, spec: ActionSpec, form: forms.Form, status: int, **extra: Any
) -> HttpResponse:
    if spec.name == "propose_solution":
        extra["authority"] = authority_info(case, current_actor(request))
    if spec.name == "merge":
        extra.setdefault("merge_candidates", page_selectors.merge_candidates(current_actor(request), case))
    if spec.name in PREVIEWED:
        extra.setdefault("unconfirmed", unconfirmed_labels(case))
    return render(request, "web/case/_action.html", {"case": case, "spec": spec, "form": form, **extra}, status=status)


def _attach(form: forms.Form, spec: ActionSpec, exc: ServiceError) -> None:
    name = spec.fields.get(exc.field or "", exc.field or "")
    if name in form.fields:
        form.add_error(name, refusal_text(exc))
    else:
        form.add_error(None, refusal_text(exc))


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
        return render(request, "web/error.html", {"message": refusal_text(exc)}, status=exc.status)
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
    if isinstance(form, f.RespondForm):
        unconfirmed = unconfirmed_labels(case)
        if unconfirmed:  # the service refuses too; said here in the person's words, with the way to fix it
            axes = "、".join(str(a) for a in unconfirmed)
            form.add_error(None, _("请先在分类与分诊中确认：%(axes)s") % {"axes": axes})
            return _fragment(request, case, spec, form, 422)
        data["notice_content"] = filled_notice(form, data)
        if request.POST.get(f"{spec.name}-edit"):
            return _fragment(request, case, spec, blank_form(spec, case, _kept(data)), 200, opened=True)
        if not data.get("confirm"):
            try:  # the decision's rules first: what is shown for confirmation is then not refused
                check_response(
                    case,
                    outcome=data["outcome"],
                    reasons=data["reasons"],
                    basis=data["basis"],
                    remedy=data.get("remedy", ""),
                    notice=_notice(data),
                )
            except ServiceError as exc:
                _attach(form, spec, exc)
                return _fragment(request, case, spec, form, 422)
            return _notice_preview(request, case, spec, form, data)
    try:
        done = execute(case.pk, command_for(spec, data), actor)
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
    messages.success(request, _("已完成：%(action)s") % {"action": spec.label})
    # Back to the section that shows what was done, below the header that stays (not the top of the page).
    # The new version in the query makes it a new address: a browser only scrolls for a changed #fragment.
    url = reverse("web:case_detail", args=[case.pk]) + f"?v={done.version}#{spec.anchor}"
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


def _kept(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not k.startswith("_") and k not in ("confirm", "version", "seen_seq")}


def _notice_preview(
    request: HttpRequest, case: Case, spec: ActionSpec, form: f.RespondForm, data: dict[str, Any]
) -> HttpResponse:
    """The notice as the complainant will get it, with what is recorded; sent again only when confirmed."""
    initial = {**_kept(data), "version": data["version"], "seen_seq": data["seen_seq"], "confirm": True}
    confirm = type(form)(initial=initial, prefix=spec.name)
    confirm.as_confirmation()
    outcome_labels = f.REVIEW_OUTCOME_LABELS if isinstance(form, f.ReviewDecisionForm) else f.OUTCOME_LABELS
    preview = {
        "text": data["notice_content"],
        "outcome": outcome_labels.get(data["outcome"], data["outcome"]),
        "channel": f.CHANNEL_LABELS.get(data["notice_channel"], data["notice_channel"]),
        "routes": [f.ROUTE_LABELS.get(r, r) for r in data.get("routes") or []],
        "remedy": data.get("remedy") or "",
    }
    return _fragment(request, case, spec, confirm, 200, notice_preview=preview)
