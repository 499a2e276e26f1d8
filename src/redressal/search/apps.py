from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "redressal.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Inside ready(): the services import models, which the app registry loads only now.
        from redressal.cases import bus
        from redressal.search.services import after_command

        bus.on_saved(after_command)
