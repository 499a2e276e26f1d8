"""Typical-case library entries (案例库, SPEC §12): marked typical from a closed case, written up,
reviewed and published by a second person, withdrawn.

Every text that reaches an entry passes the anonymiser (``domain.anonymise``): the draft written from
the case is scrubbed and its dates shifted; each edit is scrubbed again, so nothing the author types
back (a name, a phone number) survives a save; and publishing checks once more that nothing is left.
Who may: ``library.write`` over the case's unit to write, ``library.publish`` over it to publish or
withdraw — and nobody publishes a text they wrote (four eyes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from redressal.cases.selectors import readable_case
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.domain.anonymise import anonymise, date_offset, leftovers, scrub
from redressal.domain.codes import load_codes
from redressal.domain.lifecycle import State
from redressal.library.models import EntryVersion, LibraryEntry
from redressal.library.services._audit import audit
from redressal.library.sources import draft_of, known_of
from redressal.org.authz import Actor

WRITE = "library.write"
PUBLISH = "library.publish"
OBJECT = "library.entry"
MAX_TAGS = 10
MAX_TAG_LENGTH = 20
MAX_TEXT = 20000


@dataclass(frozen=True)
class EntryInput:
    """An edit of the working copy: the fields a writer sets."""

    title: str
    summary: str = ""
    facts: str = ""
    handling: str = ""
    outcome: str = ""
    lessons: str = ""
    business_code: str = ""
    cause_code: str = ""
    tags: list[str] = field(default_factory=list)


def tags_text(tags: list[str]) -> str:
    return "|" + "|".join(tags) + "|" if tags else ""


def _locked(entry_id: int) -> LibraryEntry:
    try:
        return LibraryEntry.objects.select_for_update().select_related("unit", "source_case").get(pk=entry_id)
    except LibraryEntry.DoesNotExist:
        raise NotFound("not_found", "no such library entry") from None


def _require(actor: Actor, perm: str, entry: LibraryEntry) -> None:
    if not actor.has(perm, entry.unit):
        # One who may not work on entries at all, or not on this unit's: the same refusal.
        raise PermissionDenied("permission_denied", f"missing permission '{perm}' for {entry.unit.code}")


def mark_typical(case_id: int, *, actor: Actor, reason: str = "", rng: random.Random | None = None) -> LibraryEntry:
    """Mark a closed case typical: its draft entry is written from the case, already anonymised."""
    case = readable_case(actor, case_id)  # one who may not read the case learns nothing more of it
    actor.require(WRITE, case.unit)
    if case.status != State.CLOSED:
        raise ValidationFailed("library.case_not_closed", "only a closed case can be marked typical", field="case")
    offset = date_offset(rng or random.SystemRandom())
    draft, known = draft_of(case), known_of(case)
    counts: dict[str, int] = {}
    texts: dict[str, str] = {}
    for name in ("title", "summary", "facts", "handling", "outcome"):
        result = anonymise(getattr(draft, name), known, offset, draft.reference)
        texts[name] = result.text
        for kind, n in result.counts.items():
            counts[kind] = counts.get(kind, 0) + n
    tags = [scrub(t, known).text for t in draft.tags]
    try:
        with transaction.atomic():
            entry = LibraryEntry.objects.create(
                source_case=case,
                unit=case.unit,
                date_offset_days=offset,
                created_by=actor.staff,
                created_at=now(),
                editor_ids=[actor.id],
                business_code=draft.business_code,
                cause_code=draft.cause_code,
                tags=tags,
                tags_text=tags_text(tags),
                anonymised=counts,
                **{k: v[:120] if k == "title" else v for k, v in texts.items()},
            )
            audit(
                "library.entry_created",
                actor,
                OBJECT,
                entry.pk,
                reason=reason.strip(),
                case=case.case_number,
                anonymised=counts,
            )
    except IntegrityError:
        raise Conflict("library.already_typical", "this case is already in the library") from None
    return entry


def _clean(data: EntryInput) -> EntryInput:
    title = data.title.strip()
    if not title:
        raise ValidationFailed("required", "a title is required", field="title")
    if len(title) > 120:
        raise ValidationFailed("too_long", "the title is at most 120 characters", field="title")
    for name in ("summary", "facts", "handling", "outcome", "lessons"):
        if len(getattr(data, name)) > MAX_TEXT:
            raise ValidationFailed("too_long", f"{name} is too long", field=name)
    codes = load_codes()
    for name, axis in (("business_code", "B"), ("cause_code", "C")):
        code = getattr(data, name).strip()
        if code and not codes.is_valid(axis, code):
            raise ValidationFailed("invalid_choice", f"unknown {axis} code '{code}'", field=name)
    tags = []
    for tag in data.tags:
        tag = tag.strip().replace("|", "")
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationFailed("too_long", f"a tag is at most {MAX_TAG_LENGTH} characters", field="tags")
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationFailed("too_many", f"at most {MAX_TAGS} tags", field="tags")
    return EntryInput(
        title=title,
        summary=data.summary.strip(),
        facts=data.facts.strip(),
        handling=data.handling.strip(),
        outcome=data.outcome.strip(),
        lessons=data.lessons.strip(),
        business_code=data.business_code.strip(),
        cause_code=data.cause_code.strip(),
        tags=tags,
    )


def edit_entry(entry_id: int, *, actor: Actor, data: EntryInput) -> LibraryEntry:
    """Save the working copy (scrubbed again: a name or number typed back in is replaced). Editing a
    published or withdrawn entry starts its next version; the published one stays in the library
    until the new one is published."""
    clean = _clean(data)
    with transaction.atomic():
        entry = _locked(entry_id)
        _require(actor, WRITE, entry)
        if entry.state == LibraryEntry.State.IN_REVIEW:
            raise Conflict("library.in_review", "the entry is being reviewed; ask the reviewer to return it")
        known = known_of(entry.source_case)
        changed: list[str] = []
        replaced: dict[str, int] = {}
        for name in ("title", "summary", "facts", "handling", "outcome", "lessons"):
            result = scrub(getattr(clean, name), known)
            for kind, n in result.counts.items():
                replaced[kind] = replaced.get(kind, 0) + n
            if getattr(entry, name) != result.text:
                changed.append(name)
                setattr(entry, name, result.text)
        tags = [scrub(t, known).text for t in clean.tags]
        for name, value in (("business_code", clean.business_code), ("cause_code", clean.cause_code), ("tags", tags)):
            if getattr(entry, name) != value:
                changed.append(name)
                setattr(entry, name, value)
        entry.tags_text = tags_text(tags)
        entry.state = LibraryEntry.State.DRAFT
        if actor.id not in entry.editor_ids:
            entry.editor_ids = [*entry.editor_ids, actor.id]
        entry.save()
        audit("library.entry_edited", actor, OBJECT, entry.pk, changed=changed, anonymised=replaced)
    return entry


def submit_entry(entry_id: int, *, actor: Actor) -> LibraryEntry:
    """Hand the draft to a second person for review."""
    with transaction.atomic():
        entry = _locked(entry_id)
        _require(actor, WRITE, entry)
        if entry.state != LibraryEntry.State.DRAFT:
            raise Conflict("library.not_draft", "only a draft can be sent for review")
        if not entry.lessons.strip():
            raise ValidationFailed("required", "write the lessons learnt before review", field="lessons")
        entry.state = LibraryEntry.State.IN_REVIEW
        entry.submitted_by, entry.submitted_at = actor.staff, now()
        if actor.id not in entry.editor_ids:
            entry.editor_ids = [*entry.editor_ids, actor.id]
        entry.save()
        audit("library.entry_submitted", actor, OBJECT, entry.pk)
    return entry


def _reviewer(actor: Actor, entry: LibraryEntry) -> None:
    _require(actor, PUBLISH, entry)
    if entry.state != LibraryEntry.State.IN_REVIEW:
        raise Conflict("library.not_in_review", "the entry is not waiting for review")
    if actor.id in entry.editor_ids or entry.created_by_id == actor.id:
        raise PermissionDenied("library.four_eyes", "an entry is reviewed by someone who did not write it")


def return_entry(entry_id: int, *, actor: Actor, reason: str) -> LibraryEntry:
    """The reviewer sends the draft back to its writers, saying why."""
    if not reason.strip():
        raise ValidationFailed("required", "say what is to be changed", field="reason")
    with transaction.atomic():
        entry = _locked(entry_id)
        _reviewer(actor, entry)
        entry.state = LibraryEntry.State.DRAFT
        entry.save(update_fields=["state"])
        audit("library.entry_returned", actor, OBJECT, entry.pk, reason=reason.strip())
    return entry


def publish_entry(entry_id: int, *, actor: Actor, note: str = "") -> EntryVersion:
    """Publish the reviewed text as the entry's next version (the earlier ones stay in its history)."""
    with transaction.atomic():
        entry = _locked(entry_id)
        _reviewer(actor, entry)
        left = leftovers(entry.texts(), known_of(entry.source_case))
        if left:
            raise ValidationFailed(
                "library.personal_data", f"personal data is left: {', '.join(sorted(left))}", field="facts"
            )
        number = (entry.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = EntryVersion.objects.create(
            entry=entry,
            number=number,
            published_by=actor.staff,
            published_at=now(),
            author_ids=list(entry.editor_ids),
            note=note.strip(),
            **{name: getattr(entry, name) for name in (*LibraryEntry.TEXT_FIELDS, "business_code", "cause_code")},
            tags=list(entry.tags),
            tags_text=entry.tags_text,
        )
        entry.current_version = version
        entry.state = LibraryEntry.State.PUBLISHED
        entry.editor_ids = []
        entry.withdrawn_at, entry.withdraw_reason = None, ""
        entry.save()
        audit("library.entry_published", actor, OBJECT, entry.pk, reason=version.note, version=number)
    return version


def withdraw_entry(entry_id: int, *, actor: Actor, reason: str) -> LibraryEntry:
    """Take a published entry out of the library (its versions stay, for the record)."""
    if not reason.strip():
        raise ValidationFailed("required", "say why the entry is withdrawn", field="reason")
    with transaction.atomic():
        entry = _locked(entry_id)
        _require(actor, PUBLISH, entry)
        if entry.current_version_id is None or entry.withdrawn_at is not None:
            raise Conflict("library.not_published", "the entry is not in the library")
        entry.state = LibraryEntry.State.WITHDRAWN
        entry.withdrawn_at, entry.withdraw_reason = now(), reason.strip()
        entry.save()
        audit("library.entry_withdrawn", actor, OBJECT, entry.pk, reason=entry.withdraw_reason)
    return entry
