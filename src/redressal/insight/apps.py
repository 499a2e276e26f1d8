from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "redressal.insight"
    label = "insight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from redressal.insight import regions
        from redressal.org.models import OrgUnit

        # A unit's region over time, for the report's "by region" as of a period's end (decision 0015).
        post_save.connect(regions.record, sender=OrgUnit, dispatch_uid="insight.unit_region")
