from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CasesConfig(AppConfig):
    name = "redressal.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The apps that hear case events subscribe in their own ``subscriptions`` module (cases.bus):
        # cases imports none of them (ARCHITECTURE §2). Here, not at import: they import models.
        autodiscover_modules("subscriptions")
        # Registration, as Django does signals: which service runs each command, once every app is loaded.
        import_module("redressal.cases.commands.table")
