"""Verbs on the knowledge base (SPEC §11, decision 0025): write an entry or a new draft version,
submit it for review, approve (publish) or reject it, retire an entry.

``faq.edit`` writes; ``faq.publish`` approves, and never a version one wrote oneself (four eyes).
Publishing computes the version's retrieval vectors once and stores them; the entry's previous
published version in that language is retired (kept as history) and the generation number is bumped
so every process rebuilds its index. Each verb is one transaction and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Max

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.domain.codes import load_codes
from redressal.faq.models import FaqEntry, FaqGeneration, FaqVersion
from redressal.org.authz import Actor
from redressal.triage.ml import retrieval

EDIT = "faq.edit"
PUBLISH = "faq.publish"
MAX_QUESTION = 200
MAX_SIMILAR = 200  # characters of one similar phrasing
MAX_SIMILAR_COUNT = 30
MAX_ANSWER = 4000
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class EntryInput:
    question: str
    answer: str
    category: str
    similar: tuple[str, ...] = ()
    language: str = "zh-hans"
    audience: str = "public"
    valid_from: date | None = None
    valid_to: date | None = None


def clean(data: EntryInput) -> EntryInput:
    """Validates and normalises; raises ValidationFailed naming the field."""
    question = " ".join(data.question.split())
    answer = data.answer.strip()
    similar = tuple(dict.fromkeys(s.strip() for s in data.similar if s.strip() and s.strip() != question))
    if not question:
        raise ValidationFailed("required", "the standard question is missing", field="question")
    if len(question) > MAX_QUESTION:
        raise ValidationFailed("too_long", f"a question is at most {MAX_QUESTION} characters", field="question")
    if not answer:
        raise ValidationFailed("required", "the answer is missing", field="answer")
    if len(answer) > MAX_ANSWER:
        raise ValidationFailed("too_long", f"an answer is at most {MAX_ANSWER} characters", field="answer")
    if len(similar) > MAX_SIMILAR_COUNT or any(len(s) > MAX_SIMILAR for s in similar):
        raise ValidationFailed(
            "too_long", f"at most {MAX_SIMILAR_COUNT} similar questions of {MAX_SIMILAR} characters", field="similar"
        )
    if not load_codes().is_valid("B", data.category.strip()):
        raise ValidationFailed("faq.unknown_category", "not a JR/T 0169 business code", field="category")
    if data.language not in LANGUAGES:
        raise ValidationFailed("invalid", "language is zh-hans or en", field="language")
    if data.audience not in FaqEntry.Audience.values:
        raise ValidationFailed("invalid", "audience is public or internal", field="audience")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise ValidationFailed("invalid", "valid to is before valid from", field="valid_to")
    return EntryInput(
        question, answer, data.category.strip(), similar, data.language, data.audience, data.valid_from, data.valid_to
    )


def _audit(actor: Actor, verb: str, version: FaqVersion, **payload: object) -> None:
    record_audit(
        f"faq.{verb}",
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type="faq.faqversion",
        object_id=str(version.pk),
        payload={"entry": version.entry_id, "number": version.number, **payload},
    )


def bump_generation() -> None:
    FaqGeneration.objects.get_or_create(pk=1)
    FaqGeneration.objects.filter(pk=1).update(number=F("number") + 1)


def generation() -> int:
    row = FaqGeneration.objects.filter(pk=1).values_list("number", flat=True).first()
    return int(row or 0)


def create_entry(actor: Actor, data: EntryInput) -> FaqVersion:
    actor.require(EDIT)
    data = clean(data)
    at = now()
    with transaction.atomic():
        entry = FaqEntry.objects.create(
            category=data.category,
            audience=data.audience,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            owner_id=actor.id,
            created_at=at,
        )
        version = FaqVersion.objects.create(
            entry=entry,
            number=1,
            language=data.language,
            question=data.question,
            similar=list(data.similar),
            answer=data.answer,
            author_id=actor.id,
            created_at=at,
        )
        _audit(actor, "create", version)
    return version


def same_content(version: FaqVersion, data: EntryInput) -> bool:
    entry = version.entry
    return (
        version.question == data.question
        and list(version.similar) == list(data.similar)
        and version.answer == data.answer
        and entry.category == data.category
        and entry.audience == data.audience
        and entry.valid_from == data.valid_from
        and entry.valid_to == data.valid_to
    )


def revise(actor: Actor, entry_id: int, data: EntryInput) -> FaqVersion:
    """A new draft of the entry in ``data.language`` (an open draft or one in review of that language
    is updated in place, back to draft). The entry's category, audience and validity change with it."""
    actor.require(EDIT)
    data = clean(data)
    at = now()
    with transaction.atomic():
        entry = FaqEntry.objects.select_for_update().get(pk=entry_id)
        FaqEntry.objects.filter(pk=entry.pk).update(
            category=data.category, audience=data.audience, valid_from=data.valid_from, valid_to=data.valid_to
        )
        open_version = (
            FaqVersion.objects.filter(entry=entry, language=data.language, state__in=["draft", "in_review"])
            .order_by("-number")
            .first()
        )
        if open_version is not None:
            open_version.question, open_version.similar, open_version.answer = (
                data.question, list(data.similar), data.answer,
            )
            open_version.state, open_version.author_id, open_version.created_at = "draft", actor.id, at
            open_version.save()
            version = open_version
        else:
            number = (FaqVersion.objects.filter(entry=entry).aggregate(n=Max("number"))["n"] or 0) + 1
            version = FaqVersion.objects.create(
                entry=entry,
                number=number,
                language=data.language,
                question=data.question,
                similar=list(data.similar),
                answer=data.answer,
                author_id=actor.id,
                created_at=at,
            )
        _audit(actor, "revise", version)
    return version


def _version(version_id: int) -> FaqVersion:
    version = FaqVersion.objects.select_for_update().select_related("entry").filter(pk=version_id).first()
    if version is None:

        raise NotFound("not_found", "no such FAQ version")
    return version


def submit(actor: Actor, version_id: int) -> FaqVersion:
    actor.require(EDIT)
    with transaction.atomic():
        version = _version(version_id)
        if version.state not in ("draft", "rejected"):
            raise Conflict("faq.not_draft", "only a draft is submitted for review")
        version.state = FaqVersion.State.IN_REVIEW
        version.save(update_fields=["state"])
        _audit(actor, "submit", version)
    return version


def compute_vectors(version: FaqVersion) -> bytes:

    doc = retrieval.Document(str(version.entry_id), version.question, tuple(version.similar))
    return retrieval.vectors_bytes(retrieval.document_vectors(doc))


def approve(actor: Actor, version_id: int, note: str = "") -> FaqVersion:
    """Publish a version in review: a second person with ``faq.publish``, not its author."""
    actor.require(PUBLISH)
    with transaction.atomic():
        version = _version(version_id)
        if version.author_id == actor.id:
            raise PermissionDenied("faq.own_version", "the author of a version cannot publish it")
        if version.state != FaqVersion.State.IN_REVIEW:
            raise Conflict("faq.not_in_review", "only a version in review is published")
        vectors = compute_vectors(version)
        at = now()
        FaqVersion.objects.filter(entry=version.entry, language=version.language, state="published").update(
            state=FaqVersion.State.RETIRED
        )
        version.state = FaqVersion.State.PUBLISHED
        version.reviewer_id = actor.id
        version.reviewed_at = at
        version.review_note = note[:300]
        version.vectors = vectors
        version.save(update_fields=["state", "reviewer", "reviewed_at", "review_note", "vectors"])
        FaqEntry.objects.filter(pk=version.entry_id).update(retired_at=None)
        bump_generation()
        _audit(actor, "publish", version)
    return version


def reject(actor: Actor, version_id: int, note: str) -> FaqVersion:
    actor.require(PUBLISH)
    if not note.strip():
        raise ValidationFailed("required", "say why it is sent back", field="note")
    with transaction.atomic():
        version = _version(version_id)
        if version.author_id == actor.id:
            raise PermissionDenied("faq.own_version", "the author of a version cannot review it")
        if version.state != FaqVersion.State.IN_REVIEW:
            raise Conflict("faq.not_in_review", "only a version in review is sent back")
        version.state = FaqVersion.State.REJECTED
        version.reviewer_id, version.reviewed_at, version.review_note = actor.id, now(), note.strip()[:300]
        version.save(update_fields=["state", "reviewer", "reviewed_at", "review_note"])
        _audit(actor, "reject", version, note=version.review_note)
    return version


def retire(actor: Actor, entry_id: int) -> FaqEntry:
    """Takes an entry out of the assistant: its published versions are retired (history kept)."""
    actor.require(PUBLISH)
    at = now()
    with transaction.atomic():
        entry = FaqEntry.objects.select_for_update().get(pk=entry_id)
        if entry.retired_at is not None:
            raise Conflict("faq.retired", "the entry is retired")
        FaqVersion.objects.filter(entry=entry, state="published").update(state=FaqVersion.State.RETIRED)
        FaqEntry.objects.filter(pk=entry.pk).update(retired_at=at)
        bump_generation()
        record_audit(
            "faq.retire", actor_id=actor.id, actor_role=actor.primary_role,
            object_type="faq.faqentry", object_id=str(entry.pk),
        )
    entry.refresh_from_db()
    return entry
