from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    name = "redressal.faq"
    label = "faq"
    verbose_name = _("知识库与智能问答")
    default_auto_field = "django.db.models.BigAutoField"
