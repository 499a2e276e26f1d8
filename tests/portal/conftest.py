"""The portal's tests: a customer known to the bank, a signed-in API client, the local SMS gateway."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from tests.outbox.conftest import Gateway, free_port, sms_gateway  # noqa: F401 (fixtures reused)

PHONE = "13800138000"
OTHER_PHONE = "13900139000"


@dataclass
class Customer:
    client: Client
    token: str
    phone: str

    def _h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1/public{path}", params, headers=self._h())

    def post(self, path: str, body: dict | None = None):
        return self.client.post(f"/api/v1/public{path}", body or {}, content_type="application/json", headers=self._h())

    def multipart(self, path: str, data: dict):
        return self.client.post(f"/api/v1/public{path}", data, headers=self._h())

    def delete(self, path: str):
        return self.client.delete(f"/api/v1/public{path}", headers=self._h())


def sign_in(phone: str, ip: str = "10.0.0.1") -> Customer:
    """Demo mode (the test default): the code comes back in the answer; nothing is sent."""
    client = Client(REMOTE_ADDR=ip)
    r = client.post("/api/v1/public/otp", {"phone": phone}, content_type="application/json")
    assert r.status_code == 200, r.content
    code = r.json()["demo_code"]
    r = client.post("/api/v1/public/session", {"phone": phone, "code": code}, content_type="application/json")
    assert r.status_code == 201, r.content
    return Customer(client, r.json()["token"], phone)


@pytest.fixture
def known(bank):
    """The bank's customer with PHONE, at the Beijing branch (where handler1 works)."""
    from redressal.customers.services import CustomerInput, create_customer

    return create_customer(CustomerInput(name="王芳", phone=PHONE), actor=None, home_unit=bank.branch)


@pytest.fixture
def me(known) -> Customer:
    return sign_in(PHONE)


@pytest.fixture
def stranger(bank) -> Customer:
    return sign_in(OTHER_PHONE, ip="10.0.0.2")
