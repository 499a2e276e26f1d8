"""The case library and training endpoints (SPEC §12, §14): the published, anonymised entries for
every member of staff; marking a closed case typical; a training record; recording a result.
Who may: ``library.selectors`` / ``library.services`` (the same checks as the workbench)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from redressal.api.auth import actor_of
from redressal.api.schemas import Error, In, Short
from redressal.library import selectors
from redressal.library import training_selectors as ts
from redressal.library.models import Enrolment, EntryVersion
from redressal.library.services.entries import mark_typical
from redressal.library.services.training import record_result

router = Router(tags=["library and training"])

ERRORS: dict[int, type[Schema]] = {s: Error for s in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Field(ge=1, le=2**62)]
Codeish = Annotated[str, Field(max_length=16, pattern=r"^[A-Za-z0-9]*$")]


class EntryOut(Schema):
    """A published entry as the library shows it: no source case, no personal data."""

    id: int
    version: int
    title: str
    summary: str
    facts: str
    handling: str
    outcome: str
    lessons: str
    business_code: str
    cause_code: str
    tags: list[str]
    published_at: str


class EntryPage(Schema):
    count: int
    items: list[EntryOut]


class TypicalIn(In):
    reason: Short = ""


class WorkingOut(Schema):
    id: int
    state: str
    title: str


class ResultIn(In):
    attendance: Literal["pending", "present", "absent"]
    score: Annotated[int, Field(ge=0, le=100)] | None = None
    reason: Short = ""


class RecordRowOut(Schema):
    enrolment_id: int
    course: str
    starts_at: str
    place: str
    trainer: str
    reason_kind: str
    reason_ref: str
    reason_text: str
    attendance: str
    score: int | None
    pass_mark: int
    passed: bool | None


class RecordOut(Schema):
    staff: str
    items: list[RecordRowOut]


def _entry(v: EntryVersion) -> dict[str, Any]:
    return {
        "id": v.entry_id,
        "version": v.number,
        **{name: getattr(v, name) for name in ("title", "summary", "facts", "handling", "outcome", "lessons")},
        "business_code": v.business_code,
        "cause_code": v.cause_code,
        "tags": [str(t) for t in v.tags or []],
        "published_at": v.published_at.isoformat(),
    }


def _row(e: Enrolment) -> dict[str, Any]:
    course = e.session.course
    return {
        "enrolment_id": e.pk,
        "course": course.topic,
        "starts_at": e.session.starts_at.isoformat(),
        "place": e.session.place,
        "trainer": e.session.trainer.username,
        "reason_kind": e.reason_kind,
        "reason_ref": e.reason_ref,
        "reason_text": e.reason_text,
        "attendance": e.attendance,
        "score": e.score,
        "pass_mark": course.pass_mark,
        "passed": None if e.score is None else e.score >= course.pass_mark,
    }


@router.get("/library/entries", response={200: EntryPage, **ERRORS})
def list_entries(
    request: HttpRequest,
    q: Annotated[str, Field(max_length=100)] = "",
    business: Codeish = "",
    cause: Codeish = "",
    tag: Annotated[str, Field(max_length=20)] = "",
    limit: Annotated[int, Field(ge=1, le=100)] = 20,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
) -> Any:
    """The library's published entries, newest first; ``business``/``cause`` match a code or its prefix."""
    versions = selectors.published(actor_of(request), selectors.Query(text=q, business=business, cause=cause, tag=tag))
    return {"count": versions.count(), "items": [_entry(v) for v in versions[offset : offset + limit]]}


@router.get("/library/entries/{entry_id}", response={200: EntryOut, **ERRORS})
def get_entry(request: HttpRequest, entry_id: Id) -> Any:
    return _entry(selectors.published_entry(actor_of(request), entry_id))


@router.post("/cases/{case_id}/typical", response={201: WorkingOut, **ERRORS})
def typical(request: HttpRequest, case_id: Id, payload: TypicalIn) -> Any:
    """Mark a closed case typical: its anonymised draft entry (written up and reviewed on the workbench)."""
    entry = mark_typical(case_id, actor=actor_of(request), reason=payload.reason)
    return Status(201, {"id": entry.pk, "state": entry.state, "title": entry.title})


@router.get("/training/staff/{staff_id}/record", response={200: RecordOut, **ERRORS})
def training_record(request: HttpRequest, staff_id: Id) -> Any:
    """One's own record, or one of a member of staff in the units where the caller holds training.read."""
    staff, rows = ts.record(actor_of(request), staff_id)
    return {"staff": staff.username, "items": [_row(row.enrolment) for row in rows]}


@router.post("/training/enrolments/{enrolment_id}/result", response={200: RecordRowOut, **ERRORS})
def result(request: HttpRequest, enrolment_id: Id, payload: ResultIn) -> Any:
    """Attendance and exam score, by the session's trainer or a manager of the course (never one's own)."""
    e = record_result(
        enrolment_id,
        actor=actor_of(request),
        attendance=payload.attendance,
        score=payload.score,
        reason=payload.reason,
    )
    return _row(e)
