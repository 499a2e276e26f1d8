from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "redressal.conversations"
    label = "conversations"
    verbose_name = _("客户会话")
    default_auto_field = "django.db.models.BigAutoField"
