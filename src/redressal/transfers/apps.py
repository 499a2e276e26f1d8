from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "redressal.transfers"
    label = "transfers"
    verbose_name = _("监管转办导入")
    default_auto_field = "django.db.models.BigAutoField"
