"""What the knowledge-base pages read: entries and their history, the review queue, and the open
questions (unanswered or unhelpful) grouped by similarity."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet

from redressal.faq.models import FaqEntry, FaqVersion, OpenQuestion
from redressal.org.authz import Actor

GROUP_COSINE = 0.9  # e5 cosines of paraphrases sit above ~0.9, unrelated questions around 0.75–0.85


def can_see(actor: Actor) -> bool:
    return actor.has("faq.edit") or actor.has("faq.publish")


def entries(language: str = "", state: str = "", category: str = "", audience: str = "") -> QuerySet[FaqEntry]:
    qs = FaqEntry.objects.select_related("owner").prefetch_related("versions").order_by("-pk")
    if language:
        qs = qs.filter(versions__language=language)
    if state:
        qs = qs.filter(versions__state=state)
    if category:
        qs = qs.filter(category__startswith=category)
    if audience:
        qs = qs.filter(audience=audience)
    return qs.distinct()


def review_queue() -> QuerySet[FaqVersion]:
    return FaqVersion.objects.filter(state="in_review").select_related("entry", "author").order_by("created_at")


def history(entry_id: int) -> list[FaqVersion]:
    return list(FaqVersion.objects.filter(entry_id=entry_id).select_related("author", "reviewer").order_by("-number"))


@dataclass
class Group:
    texts: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    ids: list[int] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.ids)


def open_question_groups(limit: int = 500, threshold: float = GROUP_COSINE) -> list[Group]:
    """Greedy single pass: each question joins the first group whose first question is at least
    ``threshold`` similar (cosine of the stored e5 vectors), else starts one. Largest groups first."""
    questions = list(OpenQuestion.objects.filter(resolved_at__isnull=True).order_by("-at")[:limit])
    heads: list[np.ndarray] = []
    groups: list[Group] = []
    for q in questions:
        vec = np.frombuffer(bytes(q.vector), dtype=np.float16).astype(np.float32) if q.vector else None
        target = None
        if vec is not None and heads:
            sims = np.stack(heads) @ vec
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                target = groups[best]
        if target is None:
            target = Group()
            groups.append(target)
            heads.append(vec if vec is not None else np.zeros(384, dtype=np.float32))
        if q.text not in target.texts:
            target.texts.append(q.text)
        target.kinds.add(q.kind)
        target.ids.append(q.pk)
    return sorted(groups, key=lambda g: -g.size)
