from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "redressal.core"
    label = "core"

    def ready(self) -> None:
        # Each app's periodic jobs register themselves in redressal.core.scheduler (ARCHITECTURE §2:
        # the core imports no app above it). Here, not at import: the jobs import the apps' models.
        autodiscover_modules("jobs")
