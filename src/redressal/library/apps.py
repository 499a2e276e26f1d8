from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The typical-case library (案例库) and training and assessment (培训考核), SPEC §12, issue 15."""

    name = "redressal.library"
    label = "library"
    verbose_name = _("案例库与培训")
    default_auto_field = "django.db.models.BigAutoField"
