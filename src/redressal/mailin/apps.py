from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailinConfig(AppConfig):
    name = "redressal.mailin"
    label = "mailin"
    verbose_name = _("电子邮件收件")
    default_auto_field = "django.db.models.BigAutoField"
