from django.db import models


class ScheduledSlot(models.Model):
    """One row per (job, time bucket): the scheduler's idempotency key."""

    job = models.CharField(max_length=40)
    bucket = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "bucket"], name="uniq_scheduled_slot")]
