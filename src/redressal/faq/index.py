"""The assistant's retrieval indexes: one per language and audience (public; public + internal for
staff), built on first use from the vectors stored at publication (never re-embedding an entry) and
rebuilt when the knowledge base's generation number moved (a version published or retired) or the
day changed (validity dates). One cheap read of the generation per question."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from redressal.core.clock import now
from redressal.faq.models import FaqVersion
from redressal.faq.services import generation
from redressal.triage.ml import retrieval


@dataclass(frozen=True)
class Published:
    entry_id: int
    version_id: int
    question: str
    answer: str
    category: str


@dataclass
class Built:
    key: tuple[int, date]
    index: retrieval.RetrievalIndex
    entries: dict[str, Published]


_lock = threading.Lock()
_built: dict[tuple[str, bool], Built] = {}


def _today() -> date:
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo("Asia/Shanghai")).date()


def published_versions(language: str, internal: bool, today: date) -> list[FaqVersion]:
    qs = (
        FaqVersion.objects.select_related("entry")
        .filter(language=language, state="published", entry__retired_at__isnull=True)
        .filter(Q(entry__valid_from__isnull=True) | Q(entry__valid_from__lte=today))
        .filter(Q(entry__valid_to__isnull=True) | Q(entry__valid_to__gte=today))
        .order_by("entry_id")
    )
    if not internal:
        qs = qs.filter(entry__audience="public")
    return list(qs)


def build(language: str, internal: bool, today: date) -> tuple[retrieval.RetrievalIndex, dict[str, Published]]:
    index = retrieval.RetrievalIndex()
    docs, entries = [], {}
    for v in published_versions(language, internal, today):
        vectors = retrieval.from_vectors_bytes(bytes(v.vectors)) if v.vectors else None
        docs.append(retrieval.Document(str(v.entry_id), v.question, tuple(v.similar), vectors))
        entries[str(v.entry_id)] = Published(v.entry_id, v.pk, v.question, v.answer, v.entry.category)
    if docs:
        index.add(docs)
    return index, entries


def index_for(language: str, internal: bool = False) -> tuple[retrieval.RetrievalIndex, dict[str, Published]]:
    key = (generation(), _today())
    found = _built.get((language, internal))
    if found is not None and found.key == key:
        return found.index, found.entries
    with _lock:
        found = _built.get((language, internal))
        if found is None or found.key != key:
            index, entries = build(language, internal, key[1])
            found = Built(key, index, entries)
            _built[(language, internal)] = found
    return found.index, found.entries


def clear() -> None:
    with _lock:
        _built.clear()
