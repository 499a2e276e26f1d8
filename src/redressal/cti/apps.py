from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CtiConfig(AppConfig):
    name = "redressal.cti"
    label = "cti"
    verbose_name = _("电话系统接入")
    default_auto_field = "django.db.models.BigAutoField"
