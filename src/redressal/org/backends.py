"""Sign-in by password (Django's model backend) with this project's one addition: a temporary password
from an approved reset (org.password_resets) signs in only until it expires."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from redressal.core.clock import now


class StaffBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        expires = getattr(user, "temporary_password_expires_at", None)
        if getattr(user, "must_change_password", False) and expires is not None and now() >= expires:
            # Answered like a wrong password: the form says nothing about the account.
            return False
        return super().user_can_authenticate(user)
