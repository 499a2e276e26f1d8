"""A staff member's notification centre (SPEC §10 in-app channel): list, unread count, mark read.

Every query is on the recipient's own rows through ``notif_inbox_idx`` (recipient, read_at), so the
header badge is one indexed COUNT however many notifications the bank has.
"""

from __future__ import annotations

from django.db.models import QuerySet

from redressal.core.clock import now
from redressal.notify.models import StaffNotification

PAGE = 50


def unread_count(staff_id: int) -> int:
    return StaffNotification.objects.filter(recipient_id=staff_id, read_at__isnull=True).count()


def inbox(
    staff_id: int, *, unread_only: bool = False, before: int | None = None, limit: int = PAGE
) -> list[StaffNotification]:
    """Newest first, keyset-paged by id (``before`` = the last id of the previous page)."""
    qs: QuerySet[StaffNotification] = StaffNotification.objects.filter(recipient_id=staff_id)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.select_related("case").order_by("-pk")[:limit])


def mark_read(staff_id: int, notification_id: int) -> int:
    """Mark one of the staff member's own notifications read; another person's id changes nothing."""
    return StaffNotification.objects.filter(
        pk=notification_id, recipient_id=staff_id, read_at__isnull=True
    ).update(read_at=now())


def mark_all_read(staff_id: int) -> int:
    return StaffNotification.objects.filter(recipient_id=staff_id, read_at__isnull=True).update(read_at=now())
