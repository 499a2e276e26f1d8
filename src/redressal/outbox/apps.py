from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "redressal.outbox"
    label = "outbox"
    verbose_name = _("客户消息发送")
    default_auto_field = "django.db.models.BigAutoField"
