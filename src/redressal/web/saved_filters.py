"""Saved list filters (per staff member): save the current filter under a name, list, delete."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from redressal.core.clock import now
from redressal.core.errors import NotFound, ValidationFailed
from redressal.org.authz import Actor
from redressal.web.models import SavedFilter

MAX_PER_VIEW = 50


def saved_filters(actor: Actor, view: str) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(owner_id=actor.id, view=view).order_by("name")[:MAX_PER_VIEW])


def save_filter(actor: Actor, view: str, name: str, query: str) -> SavedFilter:
    """Save (or overwrite) the filter ``name``; the query string is what the list page was given."""
    name = name.strip()
    if not name:
        raise ValidationFailed("required", _("请为筛选条件命名"), field="name")
    if len(name) > 60:
        raise ValidationFailed("too_long", _("名称最多 60 个字"), field="name")
    if view not in SavedFilter.View.values:
        raise ValidationFailed("invalid_choice", "unknown list", field="view")
    if len(query) > 1000 or "\x00" in query:
        raise ValidationFailed("too_long", _("筛选条件过长"), field="query")
    with transaction.atomic():
        existing = SavedFilter.objects.filter(owner_id=actor.id, view=view, name=name).first()
        if existing is not None:
            existing.query = query
            existing.save(update_fields=["query"])
            return existing
        if SavedFilter.objects.filter(owner_id=actor.id, view=view).count() >= MAX_PER_VIEW:
            raise ValidationFailed("too_many", _("最多保存 50 个筛选条件"), field="name")
        try:
            with transaction.atomic():
                return SavedFilter.objects.create(
                    owner_id=actor.id, view=view, name=name, query=query, created_at=now()
                )
        except IntegrityError:  # the same name saved at the same moment in another tab
            raise ValidationFailed("duplicate", _("已有同名的筛选条件"), field="name") from None


def delete_filter(actor: Actor, filter_id: int) -> None:
    deleted, _count = SavedFilter.objects.filter(pk=filter_id, owner_id=actor.id).delete()
    if not deleted:
        raise NotFound("not_found", _("没有这个筛选条件"), field="filter_id")
