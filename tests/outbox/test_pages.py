"""The staff side of the outbox: the sent/dead-letter page, scoped and masked; the audited retry and
its refusals; what the case and registration pages say about delivery."""

from __future__ import annotations

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.core.errors import Conflict, NotFound, PermissionDenied
from redressal.notify.delivery import drain
from redressal.notify.models import CustomerMessage
from redressal.notify.services import message_customer
from redressal.org.services import create_staff, create_unit
from redressal.outbox.contacts import contacts_for
from redressal.outbox.services import retry_dead_letter
from tests.conftest import PASSWORD, local
from tests.outbox.test_delivery import ack, register

pytestmark = pytest.mark.django_db


def login(client, username: str) -> None:
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:500]


@pytest.fixture
def other_branch(bank):
    shanghai = create_unit("SH", "上海分行", "branch", bank.ho)
    return create_staff("supervisor_sh", PASSWORD, shanghai, ["supervisor"])


def dead_letter(bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank, phone="")  # nowhere to send it: a dead letter at once
        drain(contacts_for)
    message = ack(case)
    assert message.state == "dead"
    return case, message


def test_supervisor_retries_a_dead_letter_and_it_is_audited(bank):
    _case, message = dead_letter(bank)
    retried = retry_dead_letter(bank.actor("sup"), message.pk, reason="客户已补充手机号")
    assert retried.state == "pending" and retried.attempts == 0
    event = AuditEvent.objects.get(type="outbox.retry")
    assert event.object_id == str(message.pk) and event.reason == "客户已补充手机号"
    assert event.actor_id == bank.people["sup"].pk
    with pytest.raises(Conflict):  # no longer a dead letter: pressing again does nothing
        retry_dead_letter(bank.actor("sup"), message.pk)


def test_a_handler_may_not_retry_a_dead_letter(bank):
    _case, message = dead_letter(bank)
    with pytest.raises(PermissionDenied):
        retry_dead_letter(bank.actor("handler"), message.pk)
    message.refresh_from_db()
    assert message.state == "dead" and not AuditEvent.objects.filter(type="outbox.retry").exists()


def test_a_supervisor_of_another_branch_neither_sees_nor_retries(bank, client, other_branch):
    case, message = dead_letter(bank)
    from redressal.org.authz import actor_for

    with pytest.raises(NotFound):
        retry_dead_letter(actor_for(other_branch), message.pk)
    login(client, "supervisor_sh")
    body = client.get("/outbox/?state=dead").content.decode()
    assert case.case_number not in body
    r = client.post(f"/outbox/{message.pk}/retry/", {"reason": "x"})
    assert r.status_code == 404
    message.refresh_from_db()
    assert message.state == "dead"


def test_dead_letter_page_lists_it_with_a_retry_button_for_the_supervisor_only(bank, client):
    case, message = dead_letter(bank)
    login(client, "supervisor1")
    body = client.get("/outbox/?state=dead").content.decode()
    assert case.case_number in body and 'data-testid="outbox-retry"' in body and "发送失败" in body
    r = client.post(f"/outbox/{message.pk}/retry/", {"reason": "已核实号码"})
    assert r.status_code == 302
    assert CustomerMessage.objects.get(pk=message.pk).state == "pending"
    client.logout()
    login(client, "handler1")
    assert 'data-testid="outbox-retry"' not in client.get("/outbox/?state=waiting").content.decode()


def test_sent_page_masks_numbers_for_roles_without_pii_view(bank, client, monkeypatch):
    for name in ("REDRESSAL_SMTP_URL", "REDRESSAL_SMS_GATEWAY_URL"):
        monkeypatch.delenv(name, raising=False)
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank)
        message_customer(case, "decline_notice", "如有疑问请致电客户经理 13912345678")
        drain(contacts_for)
    login(client, "handler1")
    body = client.get("/outbox/").content.decode()
    assert case.case_number in body and "13912345678" not in body and "139****5678" in body
    assert "138****5678" in body and "13812345678" not in body  # the address, masked
    assert "演示模式" in body  # went to the local sink, and says so
    client.logout()
    login(client, "branchhead1")
    assert "13912345678" in client.get("/outbox/").content.decode()


def test_case_and_registration_pages_say_what_was_delivered(bank, client, monkeypatch):
    for name in ("REDRESSAL_SMTP_URL", "REDRESSAL_SMS_GATEWAY_URL"):
        monkeypatch.delenv(name, raising=False)
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank)
        login(client, "agent1")
        before = client.get(f"/register/done/{case.pk}/").content.decode()
        drain(contacts_for)
        after = client.get(f"/register/done/{case.pk}/").content.decode()
        login(client, "handler1")
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已发送的回执" not in before and 'data-state="pending"' in before
    assert "已于 2024-09-20 10:00 通过短信发送至 138****5678" in after
    section = page.split('data-testid="customer-messages"', 1)[1].split("</section>", 1)[0]
    assert "受理回执" in section and "已于 2024-09-20 10:00 通过短信发送至 138****5678" in section


def test_staff_without_case_reading_see_no_outbox(bank, client):
    dead_letter(bank)
    create_staff("collab_outbox", PASSWORD, bank.tech, ["collaborator"])
    login(client, "collab_outbox")
    assert client.get("/outbox/").status_code == 403
