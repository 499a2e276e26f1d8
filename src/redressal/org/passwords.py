"""Password rules that need our own wording (the rest are Django's validators, see settings)."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.utils.translation import gettext


class MinimumLengthValidator(DjangoMinimumLength):
    """Django's, with a message the Chinese UI can show: Django 5.2 reworded its message and its
    Simplified Chinese catalogue has not caught up, so the refusal appeared in English."""

    def get_error_message(self) -> str:
        return gettext("密码太短，至少需要 %(n)s 个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return gettext("密码至少需要 %(n)s 个字符。") % {"n": self.min_length}
