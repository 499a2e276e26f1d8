"""The telephony webhook: signed, replay-proof, idempotent; the pop shows only what the agent may find."""

from __future__ import annotations

import json
import time

import pytest

from redressal.cti.models import AgentExtension, CallEvent, CallPop
from redressal.domain.cti import signature
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "s3cret-shared-with-the-cti"


@pytest.fixture
def cti_on(settings):
    settings.CTI_SECRET = SECRET


def post(client, payload: dict, *, secret: str = SECRET, ts: int | None = None, sig: str | None = None):
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()) if ts is None else ts)
    return client.post(
        "/cti/calls",
        data=body,
        content_type="application/json",
        HTTP_X_REDRESSAL_TIMESTAMP=stamp,
        HTTP_X_REDRESSAL_SIGNATURE=sig if sig is not None else signature(secret, stamp, body),
    )


def answered(call_id: str = "c1", caller: str = "13800138000", agent: str = "agent1") -> dict:
    return {
        "call_id": call_id,
        "event": "answered",
        "caller": caller,
        "agent": agent,
        "at": "2026-03-10T10:00:00+08:00",
    }


def customer(bank, unit, phone="13800138000", name="张三"):
    from redressal.customers.services import CustomerInput, create_customer

    return create_customer(CustomerInput(name=name, phone=phone), actor=None, home_unit=unit)


def test_unconfigured_webhook_is_off(client, settings):
    settings.CTI_SECRET = ""
    r = post(client, answered())
    assert r.status_code == 503 and r.json()["code"] == "cti_disabled"


def test_bad_and_stale_signatures_are_refused(client, bank, cti_on):
    r = post(client, answered(), secret="wrong")
    assert r.status_code == 401 and r.json()["field"] == "X-Redressal-Signature"
    r = post(client, answered(), ts=int(time.time()) - 301)
    assert r.status_code == 401 and r.json()["code"] == "signature.stale"
    r = post(client, answered(), sig="")
    assert r.status_code == 401
    assert CallEvent.objects.count() == 0 and CallPop.objects.count() == 0


def test_signed_event_pops_the_callers_record_once(client, bank, cti_on):
    c = customer(bank, bank.branch)
    r = post(client, answered())
    assert r.status_code == 200 and r.json()["status"] == "recorded"
    pop = CallPop.objects.get()
    assert pop.customer == c and pop.staff.username == "agent1"
    again = post(client, answered())
    assert again.json()["status"] == "duplicate" and CallPop.objects.count() == 1
    assert post(client, {**answered(), "event": "ended"}).status_code == 200
    pop.refresh_from_db()
    assert pop.ended_at is not None


def test_unknown_agent_and_bad_fields_are_named(client, bank, cti_on):
    r = post(client, answered(agent="nobody"))
    assert r.status_code == 422 and r.json()["field"] == "agent"
    r = post(client, {**answered(), "event": "picked"})
    assert r.status_code == 422 and r.json()["field"] == "event"
    AgentExtension.objects.create(extension="8001", staff=bank.people["agent"])
    assert post(client, answered(agent="8001")).status_code == 200


def test_a_customer_of_another_branch_answers_as_unknown(client, bank, cti_on):
    from redressal.org.services import create_unit

    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    customer(bank, sh)
    post(client, answered())
    assert CallPop.objects.get().customer is None


def login(client, username: str) -> None:
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302


def test_the_workbench_shows_the_pop(client, bank, cti_on):
    c = customer(bank, bank.branch)
    post(client, answered(call_id="k1"))
    login(client, "agent1")
    page = client.get("/register/")
    assert 'id="call-pop"' in page.content.decode()
    # a background poll: it must not keep an abandoned session alive (web.middleware, idle timeout)
    assert 'hx-get="/calls/pop/" hx-trigger="load, every 10s" hx-headers=\'{"X-Idle-Passive": "1"}\'' in (
        page.content.decode()
    )
    r = client.get("/calls/pop/")
    body = r.content.decode()
    assert r.status_code == 200 and c.name in body and "13800138000" not in body  # masked for an agent
    pop = CallPop.objects.get()
    # the link opens registration with the caller picked
    form = client.get(f"/register/?call={pop.pk}").content.decode()
    assert c.customer_no in form
    assert client.post(f"/calls/pop/{pop.pk}/dismiss/").status_code == 200
    assert client.get("/calls/pop/").status_code == 204


def test_an_unknown_caller_links_to_a_prefilled_hotline_registration(client, bank, cti_on):
    post(client, answered(call_id="u1", caller="13911112222"))
    login(client, "agent1")
    body = client.get("/calls/pop/").content.decode()
    assert 'data-testid="call-pop-register"' in body
    pop = CallPop.objects.get()
    form = client.get(f"/register/?call={pop.pk}").content.decode()
    assert 'value="13911112222"' in form
    # another agent cannot use the pop's id
    client.logout()
    login(client, "teller1")
    assert 'value="13911112222"' not in client.get(f"/register/?call={pop.pk}").content.decode()
