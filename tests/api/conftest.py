from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD


class Api:
    def __init__(self, client: Client, token: str) -> None:
        self.client, self.token = client, token

    def _h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self._h())

    def post(self, path: str, body: dict | None = None):
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json", headers=self._h())


@pytest.fixture
def api_as(bank, client, settings):
    settings.API_TOKEN_TTL_SECONDS = 400 * 86400  # tests travel in time; real tokens last a working day
    def login(username: str) -> Api:
        r = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json")
        assert r.status_code == 200, r.content
        return Api(client, r.json()["access_token"])

    return login
