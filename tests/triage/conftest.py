"""Helpers for the triage tests: a frozen clock inside the synced calendar, and registration."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.customers.services import CustomerInput
from tests.api.conftest import api_as  # noqa: F401  (the fixture, for the API tests here)
from tests.conftest import local

NOW = local(2024, 9, 10, 10, 0)  # a Tuesday


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def customer(i: int = 1, **kw) -> CustomerInput:
    defaults = {"name": f"客户{i}", "phone": f"1381234{i:04d}", "id_number": f"1101011980010{i:04d}"[:17] + "X"}
    return CustomerInput(**{**defaults, **kw})


def register(bank, description: str, *, actor: str = "agent", **kw):
    if "customer" not in kw and "customer_id" not in kw and "complainant_name" not in kw:
        kw["customer"] = customer()
    data = svc.RegisterInput(
        request_type=kw.pop("request_type", "complaint"),
        channel=kw.pop("channel", "hotline"),
        description=description,
        unit_code=kw.pop("unit_code", "BJ"),
        **kw,
    )
    return svc.register_case(data, actor=bank.actor(actor))


def register_forwarded(bank, number: str, **kw):
    """A 12378 transfer about a card's annual fee, received through the regulator channel."""
    kw.setdefault("channel", "regulator")
    return register(
        bank, "客户反映信用卡年费重复收取", source="regulator_forwarded", regulator="12378",
        regulator_case_number=number, **kw,
    )


ELDERLY_BIRTH = date(1950, 3, 1)
