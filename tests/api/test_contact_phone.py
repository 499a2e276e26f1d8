"""Calling the complainant (domain.contact): the case's assignee and team see the phone in clear with a
reason, audited on the case, shown as a ``tel:`` link; everyone else is refused."""

from __future__ import annotations

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.customers.services import CustomerInput
from redressal.org.services import create_staff
from tests.conftest import PASSWORD, local
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

PHONE = "13912347654"
REASON = "回电告知处理进展"


@pytest.fixture
def case(bank):
    with time_machine.travel(local(2024, 9, 10, 10, 0), tick=False):
        return svc.register_case(
            svc.RegisterInput(
                request_type="complaint", channel="hotline", description="信用卡年费被重复收取两次，要求退还。",
                customer=CustomerInput(name="王秀英", phone=PHONE, id_number="110101198001011234"),
            ),
            actor=bank.actor("agent"),
        )


def reveals() -> int:
    return AuditEvent.objects.filter(type="pii.reveal").count()


def test_the_team_sees_the_phone_with_a_reason_and_it_is_audited_on_the_case(bank, case, api_as):
    # handler2: a handler of the case's unit, whether or not the case is theirs; the unit's supervisor.
    for username in ("handler2", "supervisor1"):
        r = api_as(username).post(f"/cases/{case.pk}/reveal_contact", {"reason": REASON})
        assert r.status_code == 200, r.content
        assert r.json() == {"field": "phone", "value": PHONE}
    entry = AuditEvent.objects.filter(type="pii.reveal").order_by("-seq").first()
    assert (entry.object_type, entry.object_id, entry.reason) == ("case", case.case_number, REASON)
    assert entry.actor.username == "supervisor1" and entry.payload["field"] == "phone"
    assert PHONE not in str(entry.payload)

    before = reveals()
    r = api_as("handler2").post(f"/cases/{case.pk}/reveal_contact", {"reason": "  "})
    assert r.status_code == 422 and r.json()["error"]["field"] == "reason"
    assert reveals() == before


def test_the_assignee_from_another_unit_may_call(bank, case, api_as):
    # A head-office handler may handle any unit's case but is on no branch's team: the assignment is.
    create_staff("hohandler", PASSWORD, bank.ho, ["handler"])
    before = api_as("hohandler").post(f"/cases/{case.pk}/reveal_contact", {"reason": REASON})
    assert before.status_code == 403
    svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="hohandler", reason="熟悉该客户")
    r = api_as("hohandler").post(f"/cases/{case.pk}/reveal_contact", {"reason": REASON})
    assert r.status_code == 200 and r.json()["value"] == PHONE


def test_everyone_else_is_refused(bank, case, api_as):
    # Head-office supervisor: reads the case (grant over the whole bank) but is not the case's team;
    # agent and teller: register cases, handle none; auditor: reads only; collaborator: cannot read.
    create_staff("outlethandler", PASSWORD, bank.outlet, ["handler"])
    before = reveals()
    for username in ("hosupervisor", "agent1", "teller1", "auditor1", "collab1", "outlethandler"):
        r = api_as(username).post(f"/cases/{case.pk}/reveal_contact", {"reason": REASON})
        assert r.status_code == 403, (username, r.content)
        assert PHONE not in r.content.decode()
    assert reveals() == before


def test_case_page_offers_the_team_a_tel_link(client, bank, case):
    login(client, "handler2")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="contact-reveal"' in body and PHONE not in body
    r = client.post(f"/cases/{case.pk}/contact/", {"reason": REASON}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert f'href="tel:{PHONE}"' in r.content.decode()
    r = client.post(f"/cases/{case.pk}/contact/", {"reason": ""})
    assert r.status_code == 422 and PHONE not in r.content.decode()
    client.logout()

    login(client, "hosupervisor")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="contact-reveal"' not in body
    r = client.post(f"/cases/{case.pk}/contact/", {"reason": REASON})
    assert r.status_code == 403 and PHONE not in r.content.decode()
