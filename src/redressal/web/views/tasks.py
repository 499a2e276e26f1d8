"""Collaboration tasks (SPEC §8 协办): a collaborator sees their department's tasks and only what each
task shares; handlers see the tasks of the cases they may read."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redressal.cases import selectors
from redressal.cases import selectors_team as team
from redressal.cases.commands import Upload
from redressal.cases.services.task_reply import MAX_FILES, reply_task_with_files
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.web.forms.register import MultipleFileField
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page

STATUSES = ("open", "answered")


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    attachments = MultipleFileField(label=_("附件"), required=False)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    status = request.GET.get("status", "open")
    if status not in STATUSES:
        status = ""
    try:
        tasks = team.task_list(actor, status=status)
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/tasks/list.html", {"tasks": tasks, "status": status, "statuses": STATUSES})


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        view = team.task_view(actor, task_id)
    except ServiceError as exc:
        return error_page(request, exc)
    form = ReplyForm()
    status = 200
    if request.method == "POST":
        if not view.can_reply:
            return error_page(request, PermissionDenied("permission_denied", gettext("您不能回复此任务。")))
        form = ReplyForm(request.POST, request.FILES)
        status = 422
        if form.is_valid():
            files = request.FILES.getlist("attachments")
            if len(files) > MAX_FILES:
                form.add_error("attachments", gettext("最多上传 %(n)s 个附件。") % {"n": MAX_FILES})
            else:
                uploads = [Upload(f.name or "attachment", f.content_type or "", f) for f in files]
                try:
                    reply_task_with_files(task_id, actor=actor, reply=form.cleaned_data["reply"], files=uploads)
                except ServiceError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))
                    status = exc.status
                else:
                    messages.success(request, gettext("已回复协办任务。"))
                    return redirect("web:task_detail", task_id=task_id)
    context = {"view": view, "task": view.task, "form": form, "pii_clear": selectors.pii_clear(actor, view.task.case)}
    return render(request, "web/tasks/detail.html", context, status=status)
