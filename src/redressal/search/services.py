"""Keeping the search documents in step with the cases, and rebuilding them.

:func:`after_command` hears every command on a case once it is saved (``cases.bus``), inside its
transaction, so a note, a registration or a merge is findable as soon as it commits and never before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from redressal.cases.models import Case, CaseEvent, Note
from redressal.core.clock import now
from redressal.core.masking import mask_text
from redressal.core.text import CJK_CLASS, index_words, normalize
from redressal.search.models import SearchDoc

# Case columns copied onto the document for the search's scope and order (see SearchDoc).
PROJECTION = ("unit_id", "assignee_id", "closed_at", "decision_due_at", "priority", "received_at")

# Events that cannot change any indexed text: skipping them keeps the deadline sweep cheap.
NO_TEXT_EVENTS = frozenset({"deadline_breached"})

_ID_PARTS = re.compile(r"\w+")
CJK_RUN = re.compile(CJK_CLASS + "{2,}")


@dataclass(frozen=True)
class Parts:
    """What a document is built from: the case's own fields plus the texts that live in other rows."""

    description: str
    complainant_name: str
    customer_name: str
    product: str
    demand: Sequence[str]
    notes: Sequence[str]
    case_number: str
    regulator_case_number: str
    phone_tail: str
    merged_numbers: Sequence[str] = ()


def build_words(p: Parts) -> str:
    # ID, phone and card numbers typed into the text are stored masked (SPEC §13: personal data only
    # encrypted at rest); the customer's own phone stays findable by its last four digits (build_ids).
    text = mask_text(
        "\n".join([p.description, p.complainant_name, p.customer_name, p.product, " ".join(p.demand), *p.notes])
    )
    segmented = index_words(text)
    return " ".join(segmented + cjk_bigrams(normalize(text), exclude=set(segmented)))


def cjk_bigrams(text: str, exclude: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Every two-character pair of each run of Chinese characters, once, minus words already there.

    jieba's segmentation depends on context: 吞卡 alone is one word, but 机器吞卡后 yields 吞卡后 and
    提示并吞卡 yields 并吞 / 卡, so the word alone would miss both. The pairs make any two-character
    query (and, pair by pair, any longer one) independent of how the document happened to be cut.
    """
    out: dict[str, None] = {}
    for run in CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair not in exclude:
                out[pair] = None
    return list(out)


def build_ids(p: Parts) -> str:
    """Identifiers as whole tokens (prefix-searchable) plus their alphanumeric parts."""
    tokens: list[str] = []
    for ident in (p.case_number, p.regulator_case_number, *p.merged_numbers):
        folded = normalize(ident)
        if folded:
            tokens.extend(_ID_PARTS.findall(folded))
    if p.phone_tail:
        tokens.append(normalize(p.phone_tail))
    return " ".join(dict.fromkeys(tokens))


def _parts(case: Case, notes: Sequence[str], merged: Sequence[str]) -> Parts:
    customer = case.customer
    return Parts(
        description=case.description,
        complainant_name=case.complainant_name,
        customer_name=customer.name if customer else "",
        product=case.product,
        demand=[str(d) for d in case.demand or []],
        notes=notes,
        case_number=case.case_number,
        regulator_case_number=case.regulator_case_number,
        phone_tail=customer.phone_tail if customer else "",
        merged_numbers=merged,
    )


def _docs(cases: Iterable[Case], *, new: bool = False) -> list[SearchDoc]:
    """``new``: cases registered in this transaction, with no notes and nothing merged into them yet."""
    cases = list(cases)
    ids = [c.pk for c in cases]
    notes: dict[int, list[str]] = {}
    merged: dict[int, list[str]] = {}
    if not new:
        for case_id, text in Note.objects.filter(case_id__in=ids).order_by("pk").values_list("case_id", "text"):
            notes.setdefault(case_id, []).append(text)
        # From the target's own history (indexed by case): merged_into is NULL on nearly every row,
        # which makes SQLite's planner judge its index useless and scan the whole case table.
        received = CaseEvent.objects.filter(case_id__in=ids, type="merge_received").values_list("case_id", "payload")
        for target, payload in received:
            merged.setdefault(target, []).append(str(payload.get("from", "")))
    moment = now()
    out = []
    for c in cases:
        p = _parts(c, notes.get(c.pk, []), merged.get(c.pk, []))
        copied = {name: getattr(c, name) for name in PROJECTION}
        out.append(SearchDoc(case_id=c.pk, words=build_words(p), ids=build_ids(p), updated_at=moment, **copied))
    return out


def _save(docs: list[SearchDoc]) -> None:
    # One INSERT … ON CONFLICT DO UPDATE: on SQLite the FTS triggers follow either branch.
    SearchDoc.objects.bulk_create(
        docs, update_conflicts=True, unique_fields=["case"], update_fields=["words", "ids", "updated_at", *PROJECTION]
    )


def index_case(case: Case, *, new: bool = False) -> None:
    """(Re)build the document of one case; the caller holds the case's transaction."""
    # A merge target answers to the merged case's number too: its own ``merge_received`` event,
    # written after the merged case is saved, reindexes it.
    _save(_docs([case], new=new))


def after_command(case: Case, event_types: tuple[str, ...]) -> None:
    """``cases.bus``'s saved hook: a command that may have altered indexed text rewrites the document
    (whose copied queue-order and scope columns come along); any other refreshes those columns. One
    statement per command however many events it appended, so a registration writes its document once.
    """
    if any(t not in NO_TEXT_EVENTS for t in event_types):
        index_case(case, new="registered" in event_types)
    else:
        SearchDoc.objects.filter(pk=case.pk).update(**{name: getattr(case, name) for name in PROJECTION})


@dataclass(frozen=True)
class ReindexResult:
    total: int
    written: int
    seconds: float


def reindex(
    *,
    batch: int = 1000,
    start_after: int = 0,
    only_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ReindexResult:
    """Rebuild documents in case-id order, one transaction per batch.

    Idempotent (a document is a function of its case) and resumable (``start_after`` = the last case
    id done, which ``progress`` receives after each batch; ``only_missing`` skips cases that already
    have a document).
    """
    t0 = time.perf_counter()
    base = Case.objects.filter(pk__gt=start_after)
    if only_missing:
        base = base.filter(search_doc__isnull=True)
    total = base.count()
    written = 0
    last = start_after
    while True:
        chunk = list(base.filter(pk__gt=last).select_related("customer").order_by("pk")[:batch])
        if not chunk:
            break
        with transaction.atomic():
            _save(_docs(chunk))
        written += len(chunk)
        last = chunk[-1].pk
        if progress is not None:
            progress(len(chunk), last)
    # Stale documents cannot exist: the one-to-one cascades on case deletion.
    return ReindexResult(total=total, written=written, seconds=time.perf_counter() - t0)
