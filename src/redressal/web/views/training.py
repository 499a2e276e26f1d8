"""Training and assessment (培训考核): the courses one manages or teaches, a course with its sessions and
rosters (enrol, record attendance and scores), and a member of staff's training record. The checks
live in ``library.services.training`` and ``library.training_selectors``."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from redressal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from redressal.library import selectors as library_selectors
from redressal.library import training_selectors as ts
from redressal.library.models import Course, Enrolment
from redressal.library.services.training import MANAGE, add_session, create_course, enrol, may_record, record_result
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, Staff
from redressal.org.selectors import scope_unit_ids
from redressal.web.forms.library import CourseForm, EnrolForm, ResultForm, SessionForm
from redressal.web.refusals import refusal_text
from redressal.web.views._common import current_actor, error_page


def _staff_label(s: Staff) -> str:
    return f"{s.display_name or s.username}（{s.unit.name if s.unit else '—'}）"


def _course_form(actor: Actor, data: Any = None) -> CourseForm:
    form = CourseForm(data, prefix="course")
    units = OrgUnit.objects.filter(pk__in=scope_unit_ids(actor, MANAGE)).order_by("path")
    form.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
    versions = library_selectors.published(actor)[:200] if actor.has("library.read") else []
    form.fields["entries"].choices = [(v.entry_id, v.title) for v in versions]  # type: ignore[attr-defined]
    return form


@login_required
@require_http_methods(["GET", "POST"])
def training_home(request: HttpRequest) -> HttpResponse:
    """The courses of one's units and those one teaches; a new course for those who manage training."""
    actor = current_actor(request)
    manager = ts.may_manage_any(actor)
    form = _course_form(actor, request.POST if request.method == "POST" else None) if manager else None
    status = 200
    if request.method == "POST":
        if form is None:
            return error_page(request, PermissionDenied("permission_denied", f"missing permission '{MANAGE}'"))
        if form.is_valid():
            d = form.cleaned_data
            try:
                course = create_course(
                    actor=actor,
                    topic=d["topic"],
                    description=d["description"],
                    unit=OrgUnit.objects.get(code=d["unit"]),
                    pass_mark=d["pass_mark"],
                    entry_ids=[int(e) for e in d["entries"]],
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, refusal_text(exc))
            else:
                messages.success(request, _("课程已创建"))
                return redirect("web:training_course", course_id=course.pk)
        status = 422
    courses = list(ts.courses(actor)[:100])
    return render(
        request,
        "web/training/home.html",
        {"courses": courses, "form": form, "me": actor.staff},
        status=status,
    )


def _course_context(actor: Actor, course: Course, **forms: Any) -> dict[str, Any]:
    manager = actor.has(MANAGE, course.unit)
    sessions = []
    staff_choices = [("", "—")] + [(s.pk, _staff_label(s)) for s in ts.staff_in_scope(actor).select_related("unit")]
    for session in course.sessions.select_related("trainer").order_by("starts_at", "pk"):
        recordable = may_record(actor, session)
        roster = []
        for e in session.enrolments.select_related("staff").order_by("staff__username"):
            result = ResultForm(initial={"attendance": e.attendance, "score": e.score}, prefix=f"r{e.pk}")
            passed = None if e.score is None else e.score >= course.pass_mark
            mine = int(e.staff_id) == actor.id
            roster.append({"e": e, "form": result if recordable and not mine else None, "passed": passed})
        enrol_form = None
        if manager:
            enrol_form = forms.get(f"enrol{session.pk}") or EnrolForm(
                initial={"session": session.pk, "reason_kind": Enrolment.ReasonKind.OTHER}, prefix=f"s{session.pk}"
            )
            enrol_form.fields["staff"].choices = staff_choices  # type: ignore[union-attr]
        sessions.append({"s": session, "roster": roster, "enrol_form": enrol_form})
    session_form = None
    if manager:
        session_form = forms.get("session") or SessionForm(prefix="session")
        trainers = Staff.objects.filter(is_active=True).select_related("unit").order_by("username")
        session_form.fields["trainer"].choices = [("", "—")] + [(s.pk, _staff_label(s)) for s in trainers]  # type: ignore[union-attr]
    entries = [e for e in course.entries.select_related("current_version") if e.current_version and not e.withdrawn_at]
    return {
        "course": course,
        "sessions": sessions,
        "session_form": session_form,
        "manager": manager,
        "entries": entries,
    }


@login_required
@require_GET
def training_course(request: HttpRequest, course_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        course = ts.course(actor, course_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/training/course.html", _course_context(actor, course))


def _local(value: Any) -> Any:
    """A datetime-local input is Beijing time."""
    return value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)) if value.tzinfo is None else value


@login_required
@require_POST
def training_add_session(request: HttpRequest, course_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        course = ts.course(actor, course_id)
    except ServiceError as exc:
        return error_page(request, exc)
    form = SessionForm(request.POST, prefix="session")
    form.fields["trainer"].choices = [(s.pk, s.username) for s in Staff.objects.filter(is_active=True)]  # type: ignore[attr-defined]
    if form.is_valid():
        d = form.cleaned_data
        try:
            add_session(
                course.pk,
                actor=actor,
                starts_at=_local(d["starts_at"]),
                ends_at=_local(d["ends_at"]),
                trainer=Staff.objects.get(pk=int(d["trainer"])),
                place=d["place"],
            )
        except ServiceError as exc:
            if exc.field not in form.fields:
                return error_page(request, exc)
            form.add_error(exc.field, refusal_text(exc))
        else:
            messages.success(request, _("培训场次已添加"))
            return redirect("web:training_course", course_id=course.pk)
    return render(request, "web/training/course.html", _course_context(actor, course, session=form), status=422)


@login_required
@require_POST
def training_enrol(request: HttpRequest, course_id: int, session_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        course = ts.course(actor, course_id)
    except ServiceError as exc:
        return error_page(request, exc)
    session = course.sessions.filter(pk=session_id).first()
    if session is None:
        return error_page(request, NotFound("not_found", "no such session"))
    form = EnrolForm(request.POST, prefix=f"s{session.pk}")
    form.fields["staff"].choices = [(s.pk, s.username) for s in Staff.objects.filter(is_active=True)]  # type: ignore[attr-defined]
    if form.is_valid():
        d = form.cleaned_data
        try:
            enrol(
                session.pk,
                actor=actor,
                staff=Staff.objects.select_related("unit").get(pk=int(d["staff"])),
                reason_kind=d["reason_kind"],
                reason_ref=d["reason_ref"],
                reason_text=d["reason_text"],
            )
        except ServiceError as exc:
            if exc.field not in form.fields:
                return error_page(request, exc)
            form.add_error(exc.field, refusal_text(exc))
        else:
            messages.success(request, _("已报名"))
            return redirect("web:training_course", course_id=course.pk)
    forms = {f"enrol{session.pk}": form}
    return render(request, "web/training/course.html", _course_context(actor, course, **forms), status=422)


@login_required
@require_POST
def training_result(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = current_actor(request)
    enrolment = Enrolment.objects.select_related("session__course").filter(pk=enrolment_id).first()
    if enrolment is None:
        return error_page(request, NotFound("not_found", "no such enrolment"))
    form = ResultForm(request.POST, prefix=f"r{enrolment.pk}")
    if not form.is_valid():
        first = next(iter(form.errors))
        return error_page(request, ValidationFailed("invalid_choice", str(form.errors[first][0]), field=first))
    try:
        record_result(
            enrolment.pk, actor=actor, attendance=form.cleaned_data["attendance"], score=form.cleaned_data["score"]
        )
    except ServiceError as exc:
        return error_page(request, exc)
    messages.success(request, _("出勤和成绩已记录"))
    return redirect("web:training_course", course_id=enrolment.session.course_id)


@login_required
@require_GET
def training_record(request: HttpRequest, staff_id: int | None = None) -> HttpResponse:
    """A member of staff's training record (one's own without an id)."""
    actor = current_actor(request)
    try:
        staff, rows = ts.record(actor, staff_id if staff_id is not None else actor.id)
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/training/record.html", {"person": staff, "rows": rows, "own": staff.pk == actor.id})
