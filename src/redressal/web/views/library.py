"""The typical-case library (案例库, SPEC §12): search and read (all staff), mark a closed case typical
(from its page), write up, review and publish, withdraw. The checks live in ``library.services`` and
``library.selectors``; the library's pages show only the published, anonymised versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from redressal.core.errors import ServiceError
from redressal.domain.codes import load_codes
from redressal.library import selectors
from redressal.library.models import LibraryEntry
from redressal.library.services.entries import (
    PUBLISH,
    WRITE,
    EntryInput,
    edit_entry,
    mark_typical,
    publish_entry,
    return_entry,
    submit_entry,
    withdraw_entry,
)
from redressal.org.authz import Actor
from redressal.web.forms.library import EntryForm, LibrarySearchForm, ReasonForm
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page

PAGE = 20
ANONYMISED_LABELS = {
    "name": _("姓名"),
    "id": _("身份证号"),
    "mobile": _("手机号"),
    "card": _("银行卡号"),
    "landline": _("电话"),
    "email": _("邮箱"),
    "account": _("账号"),
    "card_tail": _("卡号尾号"),
    "case_number": _("工单编号"),
    "address": _("地址"),
    "date": _("日期（已平移）"),
}


def _code(code: str) -> str:
    """A JR/T 0169 code with its label in the reader's language."""
    found = load_codes().get(code) if code else None
    return f"{code} {found.label(get_language() or 'zh-hans')}" if found else code


def _codes(obj: Any) -> dict[str, str]:
    return {"business": _code(obj.business_code), "cause": _code(obj.cause_code)}


@login_required
@require_GET
def library_list(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = LibrarySearchForm(request.GET or None)
    query = selectors.Query()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        query = selectors.Query(text=d["q"], business=d["business"], cause=d["cause"], tag=d["tag"])
    try:
        versions = selectors.published(actor, query)
        tags = selectors.all_tags(actor)
    except ServiceError as exc:
        return error_page(request, exc)
    page = Paginator(versions, PAGE).get_page(request.GET.get("page"))
    rows = [{"v": v, **_codes(v)} for v in page.object_list]
    writer = actor.has(WRITE) or actor.has(PUBLISH)
    return render(
        request,
        "web/library/list.html",
        {"form": form, "rows": rows, "page": page, "tags": tags, "writer": writer},
    )


@login_required
@require_GET
def library_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        version = selectors.published_entry(actor, entry_id)
    except ServiceError as exc:
        return error_page(request, exc)
    may_work = selectors.may_work_on(actor, version.entry)
    return render(request, "web/library/entry.html", {"v": version, **_codes(version), "may_work": may_work})


@login_required
@require_GET
def library_drafts(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        entries = selectors.working_entries(actor)
    except ServiceError as exc:
        return error_page(request, exc)
    page = Paginator(entries, PAGE).get_page(request.GET.get("page"))
    return render(request, "web/library/drafts.html", {"page": page, "entries": page.object_list})


@login_required
@require_POST
def library_mark_typical(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        entry = mark_typical(case_id, actor=actor, reason=request.POST.get("reason", "")[:1000])
    except ServiceError as exc:
        return error_page(request, exc)
    messages.success(request, _("已标记为典型案例，草稿已自动脱敏，请核对并补充经验教训"))
    return redirect("web:library_work", entry_id=entry.pk)


def _initial(entry: LibraryEntry) -> dict[str, Any]:
    return {
        **{name: getattr(entry, name) for name in (*LibraryEntry.TEXT_FIELDS, "business_code", "cause_code")},
        "tags": "，".join(entry.tags or []),
    }


def _work_context(actor: Actor, entry: LibraryEntry, form: EntryForm | None = None, **extra: Any) -> dict[str, Any]:
    may_write = actor.has(WRITE, entry.unit)
    may_publish = actor.has(PUBLISH, entry.unit)
    editable = may_write and entry.state != LibraryEntry.State.IN_REVIEW
    is_author = actor.id in (entry.editor_ids or []) or entry.created_by_id == actor.id
    anonymised = [(str(ANONYMISED_LABELS.get(k, k)), n) for k, n in sorted((entry.anonymised or {}).items())]
    return {
        "entry": entry,
        **_codes(entry),
        "form": (form or EntryForm(initial=_initial(entry), prefix="entry")) if editable else None,
        "can_submit": may_write and entry.state == LibraryEntry.State.DRAFT,
        "can_review": may_publish and entry.state == LibraryEntry.State.IN_REVIEW and not is_author,
        "review_blocked": may_publish and entry.state == LibraryEntry.State.IN_REVIEW and is_author,
        "can_withdraw": may_publish and entry.current_version_id is not None and entry.withdrawn_at is None,
        "reason_form": ReasonForm(prefix="review"),
        "withdraw_form": ReasonForm(prefix="withdraw"),
        "history": selectors.history(entry),
        "anonymised": anonymised,
        "state_label": LibraryEntry.State(entry.state).label,
        **extra,
    }


def _working(request: HttpRequest, entry_id: int) -> tuple[Actor, LibraryEntry | HttpResponse]:
    actor = current_actor(request)
    try:
        return actor, selectors.working_entry(actor, entry_id)
    except ServiceError as exc:
        return actor, error_page(request, exc)


@login_required
@require_http_methods(["GET", "POST"])
def library_work(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The working copy: edit and save (scrubbed again), send for review."""
    actor, entry = _working(request, entry_id)
    if isinstance(entry, HttpResponse):
        return entry
    if request.method == "GET":
        return render(request, "web/library/work.html", _work_context(actor, entry))
    form = EntryForm(request.POST, prefix="entry")
    if form.is_valid():
        d = form.cleaned_data
        data = EntryInput(
            title=d["title"],
            summary=d["summary"],
            facts=d["facts"],
            handling=d["handling"],
            outcome=d["outcome"],
            lessons=d["lessons"],
            business_code=d["business_code"],
            cause_code=d["cause_code"],
            tags=form.tag_list(),
        )
        try:
            entry = edit_entry(entry.pk, actor=actor, data=data)
            if "submit" in request.POST:
                submit_entry(entry.pk, actor=actor)
        except ServiceError as exc:
            if exc.field not in form.fields:
                return error_page(request, exc)
            form.add_error(exc.field, refusal_text(exc))
        else:
            messages.success(request, _("已提交审核") if "submit" in request.POST else _("草稿已保存并重新脱敏"))
            return redirect("web:library_work", entry_id=entry.pk)
    entry.refresh_from_db()
    return render(request, "web/library/work.html", _work_context(actor, entry, form), status=422)


@login_required
@require_POST
def library_review(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The second person's decision: publish the entry, or return it to its writers with a reason."""
    actor, entry = _working(request, entry_id)
    if isinstance(entry, HttpResponse):
        return entry
    reason = request.POST.get("review-reason", "")[:1000]
    try:
        if request.POST.get("decision") == "publish":
            publish_entry(entry.pk, actor=actor, note=reason)
            messages.success(request, _("案例已发布到案例库"))
            return redirect("web:library_entry", entry_id=entry.pk)
        return_entry(entry.pk, actor=actor, reason=reason)
    except ServiceError as exc:
        return error_page(request, exc)
    messages.success(request, _("已退回修改"))
    return redirect("web:library_work", entry_id=entry.pk)


@login_required
@require_POST
def library_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor, entry = _working(request, entry_id)
    if isinstance(entry, HttpResponse):
        return entry
    try:
        withdraw_entry(entry.pk, actor=actor, reason=request.POST.get("withdraw-reason", "")[:1000])
    except ServiceError as exc:
        return error_page(request, exc)
    messages.success(request, _("案例已从案例库撤回"))
    return redirect("web:library_work", entry_id=entry.pk)
