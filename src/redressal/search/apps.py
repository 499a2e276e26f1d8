from django.apps import AppConfig
from django.db.models.signals import post_save


class SearchConfig(AppConfig):
    name = "redressal.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from redressal.cases.models import Case
        from redressal.search.services import sync_projection

        post_save.connect(sync_projection, sender=Case, dispatch_uid="search.sync_projection")
