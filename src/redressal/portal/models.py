"""Who is signed in to the customer portal (docs/decisions/0021): a phone proved by a one-time code
(or the bank's own customer login), and the session that proof opened.

Nothing here holds a secret in clear: the code and the token are stored as SHA-256 hashes, the phone as
its blind index (for look-up) and encrypted (to register a new customer with it)."""

from __future__ import annotations

from django.db import models

from redressal.core.fields import EncryptedTextField


class OtpChallenge(models.Model):
    """One code sent to one phone."""

    phone_index = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    ip = models.CharField(max_length=45, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["phone_index", "created_at"], name="otp_phone_idx"),
            models.Index(fields=["ip", "created_at"], name="otp_ip_idx"),
        ]


class OtpFailure(models.Model):
    """A failed try (a wrong, dead or missing code): counted per phone and per address for the captcha."""

    phone_index = models.CharField(max_length=64)
    ip = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["phone_index", "at"], name="otp_fail_phone_idx"),
            models.Index(fields=["ip", "at"], name="otp_fail_ip_idx"),
        ]


class CustomerSession(models.Model):
    """A signed-in customer: the bearer token of the public API, and behind the portal's signed cookie."""

    class Via(models.TextChoices):
        OTP = "otp", "otp"
        OIDC = "oidc", "oidc"

    token_hash = models.CharField(max_length=64, unique=True)
    phone_index = models.CharField(max_length=64, db_index=True)
    phone = EncryptedTextField()
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.OTP)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"customer session {self.pk}"
