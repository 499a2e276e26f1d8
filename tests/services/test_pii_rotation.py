from __future__ import annotations

import base64
import os

import pytest
from django.core.management import call_command
from django.db import connection

from redressal.core import crypto
from redressal.customers.models import Customer
from redressal.customers.services import CustomerInput, create_customer

pytestmark = pytest.mark.django_db


def raw_phone(pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM customers_customer WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_rotation_reseals_under_the_new_key(settings):
    old = settings.PII_KEYS
    c = create_customer(CustomerInput(name="赵六", phone="13700001234", id_number="110101198001011234"), actor=None)
    assert crypto.key_id_of(raw_phone(c.pk)) == crypto.active_key_id()
    settings.PII_KEYS = "k9:" + base64.b64encode(os.urandom(32)).decode() + "," + old
    call_command("pii_rotate", verbosity=0)
    assert crypto.key_id_of(raw_phone(c.pk)) == "k9"
    assert Customer.objects.get(pk=c.pk).phone == "13700001234"
    # The blind index is unchanged (find_customers is scoped to an actor; the index itself is what counts).
    assert Customer.objects.get(phone_index=crypto.blind_index("137 0000 1234")).pk == c.pk
