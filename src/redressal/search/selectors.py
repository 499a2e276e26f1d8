"""Turning a search box's text into a filter on cases.

The query goes through the same normalisation and dictionary as the documents (``core.text``):
``words`` segments it, each word must match (AND). Chinese words match whole index words (the
document's ``index_words`` also holds the parts of long words, so 理财 finds 理财产品); Latin words and
digits match as prefixes (``transfer`` finds ``transferred``, ``TS20261123`` a case number, ``5678``
a phone tail). Scope and order are applied on the document's copies of the case columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from redressal.cases.models import Case
from redressal.cases.ordering import QUEUE_ORDER, list_order, queue_order
from redressal.cases.selectors import visible_cases
from redressal.core.errors import ValidationFailed
from redressal.core.text import CJK, words
from redressal.org.authz import Actor
from redressal.org.selectors import scope_unit_ids

MAX_QUERY_CHARS = 200
MAX_TERMS = 12

_RUN = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool

    @property
    def pairs(self) -> list[str]:
        """A Chinese word of three or more characters also matches as all its character pairs
        (the document indexes every pair, see ``search.services.cjk_bigrams``)."""
        if self.prefix or len(self.text) < 3:
            return []
        return list(dict.fromkeys(self.text[i : i + 2] for i in range(len(self.text) - 1)))


def terms(q: str) -> list[Term]:
    """The AND-ed terms of a query; ``[]`` when nothing searchable is left (only punctuation)."""
    if "\x00" in q:
        raise ValidationFailed("invalid_query", "the search text contains a NUL character", field="q")
    if len(q) > MAX_QUERY_CHARS:
        raise ValidationFailed("too_long", f"the search text exceeds {MAX_QUERY_CHARS} characters", field="q")
    out: dict[str, Term] = {}
    for word in words(q):
        # Only word characters reach the index's query language: no quoting or operator injection.
        for run in _RUN.findall(word):
            out.setdefault(run, Term(run, prefix=not CJK.search(run)))
    return list(out.values())[:MAX_TERMS]


def _fts5_term(t: Term) -> str:
    term = f'"{t.text}"' + ("*" if t.prefix else "")
    if t.pairs:
        pairs = " AND ".join(f'"{p}"' for p in t.pairs)
        term = f"({term} OR ({pairs}))"
    return term


def _fts5_query(ts: list[Term]) -> str:
    return " AND ".join(_fts5_term(t) for t in ts)


def _ts_term(t: Term) -> str:
    # A quoted lexeme goes through the 'simple' parser exactly as the document did.
    term = f"'{t.text}'" + (":*" if t.prefix else "")
    if t.pairs:
        pairs = " & ".join(f"'{p}'" for p in t.pairs)
        term = f"({term} | ({pairs}))"
    return term


def _tsquery(ts: list[Term]) -> str:
    return " & ".join(_ts_term(t) for t in ts)


# A multi-word query matching at least this share of all documents is "dense": its first page lies
# within about PAGE / DENSE_SHARE = 12,500 rows of the queue order (25 rows × 500).
DENSE_SHARE = 1 / 500
DENSE_MIN = 500


def _pg_condition(ts: list[Term], *, counting: bool) -> RawSQL:
    """The PostgreSQL condition for ``ts``, written so that the planner picks the cheap plan.

    PostgreSQL estimates a conjunction of words as if the words were independent. They are not:
    手机 银行 转账 失败 occur together, so it expects 461 of 1 M documents where 14,538 match, takes
    every match from the GIN index, fetches each case and sorts them (190 ms warm, 3 s cold). When a
    bounded count of the GIN matches shows the query is dense, the condition is
    wrapped in ``COALESCE``, which the planner cannot estimate (it assumes half the rows) nor answer
    from the GIN index: it then walks the queue-order index and stops after a page (4.5 ms). When the
    query is sparse, the GIN matches (fewer than the probe's limit) are taken first, as for identifiers:
    the independence assumption also errs the other way (年费 吞卡 occur together nowhere, yet the
    planner expected 2,700 matches and walked the whole queue index: 3.3 s). A count wants the GIN plan
    whatever the density (it has no order to walk), so ``counting`` keeps the plain condition. One word
    alone is estimated from the column statistics and needs no probe."""
    tsquery = _tsquery(ts)
    gin_first = (
        "\"search_searchdoc\".\"case_id\" = ANY(ARRAY("
        "SELECT case_id FROM search_searchdoc WHERE tsv @@ to_tsquery('simple', %s)))"
    )
    plain = "\"search_searchdoc\".\"tsv\" @@ to_tsquery('simple', %s)"
    if all(_DIGIT.search(t.text) and not CJK.search(t.text) for t in ts):
        # Identifiers (case numbers, phone tails) match few documents, but PostgreSQL cannot estimate
        # a prefix term and may walk the whole queue index for one case (6 s at 1 M): take the GIN
        # index's matches first (an InitPlan) and order only those.
        sql = gin_first
    elif len(ts) == 1 or counting:
        sql = plain
    elif _dense(tsquery):
        sql = "COALESCE(\"search_searchdoc\".\"tsv\" @@ to_tsquery('simple', %s), false)"
    else:
        sql = gin_first
    return RawSQL(sql, (tsquery,), output_field=BooleanField())  # noqa: S611 -- constant SQL, bound value


def _dense(tsquery: str) -> bool:
    """Whether at least DENSE_SHARE of all documents match: a count of the GIN matches that stops at
    that many (18–45 ms at 1 M). The scope is left out on purpose: counting only in-scope matches
    visits every out-of-scope match on the heap first (111 ms for a branch at 1 M); the planner
    estimates the scope from the column statistics and weighs it itself."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'search_searchdoc'")
        row = cursor.fetchone()
        enough = max(DENSE_MIN, int((row[0] if row else 0) * DENSE_SHARE))
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_searchdoc WHERE tsv @@ to_tsquery('simple', %s) LIMIT %s) AS m",
            (tsquery, enough),
        )
        found = cursor.fetchone()
    return bool(found and found[0] >= enough)


# The case list's queue order on the document's copies (served by search_doc_queue_idx).
DOC_QUEUE_ORDER = queue_order("search_doc__")


def search_cases(actor: Actor, q: str, *, counting: bool = False) -> QuerySet[Case]:
    """The cases ``actor`` may read whose document matches ``q``, in queue order.

    ``counting``: the queryset will only be counted (``core.querysets.capped_count``); on PostgreSQL
    that wants another plan than a page does (see ``_pg_condition``).

    The scope is the one of ``cases.selectors.visible_cases`` (assigned to the actor, or in a unit
    under one of the actor's ``case.read`` paths), applied to the document's copies so that the
    database never needs the case table to choose the page.
    """
    ts_ids = terms(q)
    if not ts_ids:
        return Case.objects.none()
    units = scope_unit_ids(actor, "case.read")
    if connection.vendor != "postgresql":
        # SQLite has no queue-order index on the document: the FTS5 matches (a set of rowids) filter
        # the case table directly, scoped and ordered as the plain list is (measured faster at 100 k).
        scope = Q(assignee_id=actor.id) | Q(unit_id__in=units)
        fts = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", (_fts5_query(ts_ids),))
        return Case.objects.filter(scope).filter(pk__in=fts).order_by(*QUEUE_ORDER)
    condition = _pg_condition(ts_ids, counting=counting)
    scope = Q(search_doc__assignee_id=actor.id) | Q(search_doc__unit_id__in=units)
    return Case.objects.filter(scope).filter(condition).order_by(*DOC_QUEUE_ORDER)



RELEVANCE_LIMIT = 500  # a ranked search is read from the top: ten pages of fifty, never the whole set


def search_ranked(actor: Actor, q: str) -> QuerySet[Case]:
    """The cases ``actor`` may read whose document matches ``q``, best match first (newest on ties),
    annotated with ``relevance`` (higher is better).

    The engines' own ranking of the same match: FTS5's BM25 on SQLite (negated: it counts lower as
    better) and ``ts_rank`` on PostgreSQL. The caller reads at most ``RELEVANCE_LIMIT`` rows: a ranked
    list has no index order to page by, so its cost is that of every match, which a person searching
    for a case narrows with more words rather than pages through.
    """
    ts_ids = terms(q)
    if not ts_ids:
        return Case.objects.none()
    units = scope_unit_ids(actor, "case.read")
    if connection.vendor != "postgresql":
        query = _fts5_query(ts_ids)
        scope = Q(assignee_id=actor.id) | Q(unit_id__in=units)
        fts = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", (query,))
        rank = RawSQL(
            'SELECT -bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s AND rowid = "cases_case"."id"',
            (query,),
            output_field=FloatField(),
        )
        qs = Case.objects.filter(scope).filter(pk__in=fts).annotate(relevance=rank)
    else:
        tsquery = _tsquery(ts_ids)
        scope = Q(search_doc__assignee_id=actor.id) | Q(search_doc__unit_id__in=units)
        condition = _pg_condition(ts_ids, counting=True)  # every match is ranked: the GIN plan
        rank = RawSQL(
            "ts_rank(\"search_searchdoc\".\"tsv\", to_tsquery('simple', %s))", (tsquery,), output_field=FloatField()
        )
        qs = Case.objects.filter(scope).filter(condition).annotate(relevance=rank)
    return qs.order_by("-relevance", "-received_at", "-pk")


def case_list(
    actor: Actor,
    *,
    status: str = "",
    assignee: str = "",
    unit: str = "",
    priority: str = "",
    overdue: bool | None = None,
    q: str = "",
    received_from: datetime | None = None,
    received_to: datetime | None = None,
    now: datetime,
    counting: bool = False,
    ranked: bool = False,
) -> QuerySet[Case]:
    """The cases ``actor`` may read, filtered, in queue order; ``counting``: the result will only be
    counted (a search plans a count differently from a page on PostgreSQL); ``ranked``: a search's
    matches best first instead (``search_ranked``). Here, not in ``redressal.cases``: the cases sit below
    the search (ARCHITECTURE §2); without ``q`` it is the plain scoped list."""
    searching = bool(q.strip())
    # A search applies the same scope and order on the case's search document.
    if searching and ranked and not counting:
        qs = search_ranked(actor, q)
    else:
        qs = search_cases(actor, q, counting=counting) if searching else visible_cases(actor)
    qs = qs.select_related("unit", "assignee")
    if status:
        qs = qs.filter(status=status)
    if assignee:
        qs = qs.filter(assignee__username=assignee)
    if unit:
        qs = qs.filter(unit__code=unit)
    if priority:
        qs = qs.filter(priority=priority)
    if overdue is True:
        qs = qs.filter(decision_due_at__lt=now, decided_at__isnull=True, closed_at__isnull=True)
    elif overdue is False:
        qs = qs.exclude(decision_due_at__lt=now, decided_at__isnull=True, closed_at__isnull=True)
    if received_from:
        qs = qs.filter(received_at__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__lte=received_to)
    if searching:
        return qs
    return qs.order_by(*list_order(now))
