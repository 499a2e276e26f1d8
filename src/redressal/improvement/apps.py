from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "redressal.improvement"
    label = "improvement"
    verbose_name = _("溯源整改与问责")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from redressal.core import training_causes
        from redressal.improvement.services.training import KIND, MeasureCause

        training_causes.register(KIND, MeasureCause())
