"""Reading the library: the published entries (all staff with ``library.read``), and the working
copies (their writers and publishers, in scope). A published entry is read from its current version,
which holds no personal data by construction; its source case is never part of what readers get."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from redressal.core.errors import NotFound, PermissionDenied
from redressal.library.models import EntryVersion, LibraryEntry
from redressal.library.services.entries import PUBLISH, WRITE
from redressal.org.authz import Actor
from redressal.org.selectors import scope_unit_ids

READ = "library.read"
SEARCHED = ("title", "summary", "facts", "handling", "outcome", "lessons")


@dataclass(frozen=True)
class Query:
    text: str = ""
    business: str = ""  # a code or its prefix: "B03" finds B0301 and B0302
    cause: str = ""
    tag: str = ""


def _require_read(actor: Actor) -> None:
    if not actor.has(READ):
        raise PermissionDenied("permission_denied", f"missing permission '{READ}'")


def published(actor: Actor, query: Query | None = None) -> QuerySet[EntryVersion]:
    """The current versions of the entries in the library, newest first, filtered by ``query``."""
    _require_read(actor)
    q = query or Query()
    versions = EntryVersion.objects.filter(
        entry__current_version=F("pk"), entry__withdrawn_at__isnull=True
    ).select_related("entry")
    if q.business.strip():
        versions = versions.filter(business_code__startswith=q.business.strip().upper())
    if q.cause.strip():
        versions = versions.filter(cause_code__startswith=q.cause.strip().upper())
    if q.tag.strip():
        versions = versions.filter(tags_text__icontains="|" + q.tag.strip() + "|")
    for word in q.text.split()[:8]:
        match = Q()
        for name in SEARCHED:
            match |= Q(**{f"{name}__icontains": word})
        match |= Q(tags_text__icontains=word)
        versions = versions.filter(match)
    return versions.order_by("-published_at", "-pk")


def published_entry(actor: Actor, entry_id: int) -> EntryVersion:
    _require_read(actor)
    version = (
        EntryVersion.objects.filter(entry_id=entry_id, entry__current_version=F("pk"), entry__withdrawn_at__isnull=True)
        .select_related("entry")
        .first()
    )
    if version is None:
        raise NotFound("not_found", "no such library entry")
    return version


def all_tags(actor: Actor) -> list[str]:
    seen: dict[str, None] = {}
    for tags in published(actor).values_list("tags", flat=True):
        for tag in tags or []:
            seen.setdefault(str(tag), None)
    return sorted(seen)


def may_work_on(actor: Actor, entry: LibraryEntry) -> bool:
    return actor.has(WRITE, entry.unit) or actor.has(PUBLISH, entry.unit)


def working_entries(actor: Actor) -> QuerySet[LibraryEntry]:
    """The entries whose working copies the actor may write or review: drafts and those in review first."""
    units = set(scope_unit_ids(actor, WRITE)) | set(scope_unit_ids(actor, PUBLISH))
    if not units:
        raise PermissionDenied("permission_denied", f"missing permission '{WRITE}'")
    return (
        LibraryEntry.objects.filter(unit_id__in=units)
        .select_related("created_by", "current_version")
        .order_by("state", "-created_at", "-pk")
    )


def working_entry(actor: Actor, entry_id: int) -> LibraryEntry:
    entry = LibraryEntry.objects.select_related("unit", "created_by", "current_version").filter(pk=entry_id).first()
    if entry is None or not may_work_on(actor, entry):
        raise NotFound("not_found", "no such library entry")
    return entry


def history(entry: LibraryEntry) -> QuerySet[EntryVersion]:
    return entry.versions.select_related("published_by").order_by("-number")
