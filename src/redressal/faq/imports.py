"""Import and export of the knowledge base as UTF-8 CSV (SPEC §11, issue 14): columns
``question,similar_questions,answer,category`` (similar questions separated by ``|``).

Idempotent on the question text in the file's language: a row whose question an entry already has
updates that entry (a new draft version) only when something changed, else it is "unchanged"; a new
question creates an entry. A bad row (missing answer, unknown category, too long …) is reported with
its line number and skipped; the others go on. ``replace`` retires the entries of that language the
file no longer names. With a publisher (a second person with ``faq.publish``) each new or changed
version is submitted and published at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from redressal.core.errors import PermissionDenied, ServiceError
from redressal.faq import services
from redressal.faq.models import FaqEntry, FaqVersion
from redressal.org.authz import Actor

COLUMNS = ("question", "similar_questions", "answer", "category")
MAX_ROWS = 5000


@dataclass
class RowResult:
    line: int
    question: str
    outcome: str  # created, updated, unchanged, published, error
    code: str = ""
    message: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    retired: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == "error"]


class BadFile(Exception):
    pass


def read_csv(data: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(f"the file is not UTF-8 (byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BadFile(f"missing column(s): {', '.join(missing)}; expected {','.join(COLUMNS)}")
    rows = [(reader.line_num, {k: (v or "") for k, v in row.items() if k}) for row in reader]
    if len(rows) > MAX_ROWS:
        raise BadFile(f"at most {MAX_ROWS} rows")
    return rows


def _current(question: str, language: str) -> FaqVersion | None:
    return (
        FaqVersion.objects.select_related("entry")
        .filter(language=language, question=question)
        .order_by("-created_at", "-number")
        .first()
    )


def _latest(entry_id: int, language: str) -> FaqVersion | None:
    return FaqVersion.objects.filter(entry_id=entry_id, language=language).order_by("-number").first()


def _publish(version: FaqVersion, author: Actor, publisher: Actor) -> None:
    if version.state in ("draft", "rejected"):
        services.submit(author, version.pk)
        version.state = "in_review"
    if version.state == "in_review":
        services.approve(publisher, version.pk)


def import_rows(
    actor: Actor,
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    language: str = "zh-hans",
    replace: bool = False,
    publisher: Actor | None = None,
) -> ImportReport:
    actor.require(services.EDIT)
    if publisher is not None:
        publisher.require(services.PUBLISH)
        if publisher.id == actor.id:
            raise PermissionDenied("faq.own_version", "the publisher must be a second person, not the author")
    report = ImportReport()
    seen: set[int] = set()
    for line, row in rows:
        question = " ".join(row.get("question", "").split())
        try:
            data = services.clean(
                services.EntryInput(
                    question=question,
                    answer=row.get("answer", ""),
                    category=row.get("category", ""),
                    similar=tuple(s for s in row.get("similar_questions", "").split("|")),
                    language=language,
                )
            )
            found = _current(data.question, language)
            if found is not None:
                seen.add(found.entry_id)
                latest = _latest(found.entry_id, language) or found
                latest.entry = found.entry
                if services.same_content(latest, data) and found.entry.retired_at is None:
                    outcome, version = "unchanged", latest
                else:
                    data = services.EntryInput(
                        data.question, data.answer, data.category, data.similar, language,
                        found.entry.audience, found.entry.valid_from, found.entry.valid_to,
                    )
                    version, outcome = services.revise(actor, found.entry_id, data), "updated"
            else:
                version, outcome = services.create_entry(actor, data), "created"
                seen.add(version.entry_id)
            if publisher is not None and version.state in ("draft", "rejected", "in_review"):
                _publish(version, actor, publisher)
                outcome = "published" if outcome == "unchanged" else outcome
            report.rows.append(RowResult(line, question, outcome))
        except ServiceError as exc:
            report.rows.append(RowResult(line, question, "error", exc.code, exc.message))
    if replace:
        stale = (
            FaqEntry.objects.filter(retired_at__isnull=True, versions__language=language)
            .exclude(pk__in=seen)
            .distinct()
        )
        approver = publisher or actor
        for entry in stale:
            services.retire(approver, entry.pk)
            report.retired += 1
    return report


def export_rows(language: str = "zh-hans") -> str:
    """The published entries of a language as CSV in the import's columns (re-importing it changes nothing)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    versions = (
        FaqVersion.objects.select_related("entry")
        .filter(language=language, state="published")
        .order_by("entry_id")
    )
    for v in versions:
        writer.writerow([v.question, "|".join(v.similar), v.answer, v.entry.category])
    return out.getvalue()
