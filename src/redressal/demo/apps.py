from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its ``seed-demo`` command only: the demo has no models."""

    name = "redressal.demo"
    label = "demo"
