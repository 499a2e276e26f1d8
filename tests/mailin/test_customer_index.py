"""The customers' address index (decision 0019): exact, filled for records made before it existed."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from redressal.core import crypto
from redressal.customers.models import Customer
from redressal.customers.services import CustomerInput, create_customer

pytestmark = pytest.mark.django_db


def test_the_index_is_of_the_whole_address_case_folded():
    assert crypto.address_index("Zhang.San@QQ.com ") == crypto.address_index("zhang.san@qq.com")
    assert crypto.address_index("zhang.san@qq.com") != crypto.address_index("zhangsan@qq.com")
    assert crypto.address_index("a@b.cn") != crypto.blind_index("a@b.cn")


def test_a_new_customer_gets_the_index_and_the_migration_fills_old_rows():
    made = create_customer(CustomerInput(name="王秀英", email="Wang@Example.com"), actor=None)
    assert made.email_index == crypto.address_index("wang@example.com")
    bare = create_customer(CustomerInput(name="李四"), actor=None)
    assert bare.email_index == ""
    Customer.objects.update(email_index="")  # as before the migration
    migration = importlib.import_module("redressal.customers.migrations.0004_customer_email_index")
    migration.fill(apps, None)
    assert Customer.objects.get(pk=made.pk).email_index == crypto.address_index("wang@example.com")
    assert Customer.objects.get(pk=bare.pk).email_index == ""
