from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "redressal.core"
    label = "core"
