"""A staff member's notification centre (SPEC §10 in-app channel): list, unread count, mark read.

Every query is on the recipient's own rows through ``notif_inbox_idx`` (recipient, read_at), so the
header badge is one indexed COUNT however many notifications the bank has.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Q, QuerySet

from redressal.core.clock import now
from redressal.notify.models import StaffNotification

PAGE = 50


def unread_count(staff_id: int) -> int:
    return StaffNotification.objects.filter(recipient_id=staff_id, read_at__isnull=True).count()


def inbox(
    staff_id: int, *, unread_only: bool = False, before: tuple[datetime, int] | None = None, limit: int = PAGE
) -> list[StaffNotification]:
    """Newest first by the moment each is about (a deadline warning is dated at its moment, which may
    be earlier than rows written before it), keyset-paged on (created_at, id): ``before`` is the last
    row of the previous page (``cursor``)."""
    qs: QuerySet[StaffNotification] = StaffNotification.objects.filter(recipient_id=staff_id)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if before is not None:
        at, pk = before
        qs = qs.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    return list(qs.select_related("case").order_by("-created_at", "-pk")[:limit])


def cursor(n: StaffNotification) -> str:
    return f"{int(n.created_at.timestamp() * 1_000_000)}~{n.pk}"


def parse_cursor(text: str) -> tuple[datetime, int] | None:
    """The ``before`` of a link, or None when it is not one (a hand-edited URL shows the first page)."""
    micros, _sep, pk = text.partition("~")
    if not (micros.isdigit() and pk.isdigit()) or len(text) > 40:
        return None
    try:
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def mark_read(staff_id: int, notification_id: int) -> int:
    """Mark one of the staff member's own notifications read; another person's id changes nothing."""
    return StaffNotification.objects.filter(
        pk=notification_id, recipient_id=staff_id, read_at__isnull=True
    ).update(read_at=now())


def mark_all_read(staff_id: int) -> int:
    return StaffNotification.objects.filter(recipient_id=staff_id, read_at__isnull=True).update(read_at=now())
