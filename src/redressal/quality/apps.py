from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "redressal.quality"
    label = "quality"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from redressal.core import training_causes
        from redressal.quality.services.training import KIND, InspectionCause

        training_causes.register(KIND, InspectionCause())
