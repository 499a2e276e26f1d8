"""A person's own password change (current password, then the new one twice, checked by the
validators in ``AUTH_PASSWORD_VALIDATORS``). The view saves through ``org.password_resets``."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class OwnPasswordForm(PasswordChangeForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
        self.fields["new_password1"].help_text = ""  # the rules are listed once, above the form
