"""Customers (CRM-lite, SPEC §3). Personal data is encrypted at rest with a blind index (§13)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from redressal.core.fields import EncryptedTextField


class Customer(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人")
        CORPORATE = "corporate", _("对公")

    customer_no = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField(max_length=100)
    id_number = EncryptedTextField(blank=True, default="")
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedTextField(blank=True, default="")
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_tail = models.CharField(max_length=4, blank=True, db_index=True)
    card_number = EncryptedTextField(blank=True, default="")
    card_index = models.CharField(max_length=64, blank=True, db_index=True)
    card_tail = models.CharField(max_length=4, blank=True, db_index=True)
    address = EncryptedTextField(blank=True, default="")
    # Where email notices go (notify.delivery); decrypted only by the delivery service.
    email = EncryptedTextField(blank=True, default="")
    # core.crypto.address_index of the address: the mail channel finds the sender's record by it (mailin).
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    birth_date = EncryptedTextField(blank=True, default="")
    # Derived at write time from the birth date, so lists and triage never decrypt it.
    age_band = models.CharField(max_length=8, blank=True)
    vulnerable = models.JSONField(default=list, blank=True)
    products = models.JSONField(default=list, blank=True)
    contact_channel = models.CharField(max_length=16, blank=True)
    contact_time = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=16, default="zh-hans")
    created_at = models.DateTimeField(auto_now_add=True)
    # The branch the customer belongs to, set once at creation (customers.scope): who may find the
    # customer and see their personal data in clear. Registering a case never moves it.
    home_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("归属机构")
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_no})"

    @property
    def is_elderly(self) -> bool:
        return "elderly" in (self.vulnerable or [])
