from importlib import import_module

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "redressal.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registration, as Django does signals: which service runs each command, once every app is loaded.
        import_module("redressal.cases.commands.table")
