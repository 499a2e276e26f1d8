"""Search through the API and the web list: the same selector, clean errors for bad input."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.customers.services import CustomerInput
from tests.conftest import PASSWORD, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(bank, client, settings):
    settings.API_TOKEN_TTL_SECONDS = 400 * 86400  # tests travel in time; real tokens last a working day
    r = client.post(
        "/api/v1/auth/token", {"username": "handler1", "password": PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    return lambda **params: client.get("/api/v1/cases", params, headers=headers)


@pytest.fixture
def fee_case(bank):
    with time_machine.travel(local(2024, 9, 20, 10, 0), tick=False):
        data = svc.RegisterInput(
            request_type="complaint",
            channel="hotline",
            description="信用卡年费被重复收取两次，要求退还。",
            customer=CustomerInput(name="王秀英", phone="13812345678"),
        )
        return svc.register_case(data, actor=bank.actor("agent"))


def test_api_search_finds_by_word_and_phone_tail(api, fee_case):
    for q in ("年费", "年費", "5678", fee_case.case_number):
        r = api(q=q)
        assert r.status_code == 200, r.content
        assert [c["case_number"] for c in r.json()["items"]] == [fee_case.case_number]
    assert api(q="吞卡").json() == {"count": 0, "count_capped": False, "items": []}


@pytest.mark.parametrize("q", ["年费\x00", "年" * 101, "\x00"])
def test_api_bad_query_is_a_clean_4xx(api, fee_case, q):
    r = api(q=q)
    assert 400 <= r.status_code < 500, r.content
    assert "q" in str(r.json()["error"])


def test_web_list_search_box(bank, client, fee_case):
    r = client.post("/login/", {"username": "handler1", "password": PASSWORD})
    assert r.status_code == 302
    r = client.get("/", {"q": "年費"})
    assert r.status_code == 200
    assert fee_case.case_number in r.content.decode()
    r = client.get("/", {"q": "吞卡"})
    assert fee_case.case_number not in r.content.decode()
    r = client.get("/", {"q": "年费\x00" + "年" * 300})
    assert r.status_code == 422  # refused with the field named, never a 500
    assert 'id="err-q"' in r.content.decode()
