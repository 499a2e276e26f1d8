"""The mailbox page (/mail/): who may see and handle quarantined mail, and how it reads."""

from __future__ import annotations

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.core.errors import Conflict, NotFound
from redressal.mailin.models import InboundMail
from redressal.mailin.services import Fetched, dismiss_mail, ingest
from tests.conftest import local
from tests.mailin.helpers import BROKEN
from tests.outbox.test_pages import login

pytestmark = pytest.mark.django_db

NOW = local(2024, 9, 20, 10)


def quarantined() -> InboundMail:
    with time_machine.travel(NOW, tick=False):
        row = ingest(Fetched(BROKEN, mailbox="INBOX", uid=1))
    assert row.outcome == "quarantined"
    return row


def test_the_head_office_supervisor_sees_the_quarantine_and_dismisses_with_audit(bank, client):
    row = quarantined()
    login(client, "hosupervisor")
    page = client.get("/mail/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="mail-row"' in body and "邮件的 MIME 结构损坏" in body
    assert 'href="/mail/"' in client.get("/").content.decode()  # in the navigation
    assert "s***@example.com" in body and "someone@example.com" not in body  # masked without pii.view
    r = client.post(f"/mail/{row.pk}/dismiss/", {"reason": "垃圾邮件"})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.outcome == "dismissed" and row.handled_by == bank.people["hosup"]
    assert AuditEvent.objects.get(type="mailin.dismiss").reason == "垃圾邮件"
    with pytest.raises(Conflict):
        dismiss_mail(bank.actor("hosup"), row.pk)


@pytest.mark.parametrize("username", ["supervisor1", "handler1", "auditor1"])
def test_others_are_refused_and_see_no_entry(bank, client, username):
    row = quarantined()
    login(client, username)
    assert client.get("/mail/").status_code == 403
    assert client.post(f"/mail/{row.pk}/dismiss/").status_code == 404
    assert client.post(f"/mail/{row.pk}/retry/").status_code == 404
    assert 'href="/mail/"' not in client.get("/").content.decode()
    row.refresh_from_db()
    assert row.outcome == "quarantined"
    with pytest.raises(NotFound):
        dismiss_mail(bank.actor("sup"), row.pk)


def test_the_alert_reads_in_the_notification_centre(bank, client):
    quarantined()
    login(client, "hosupervisor")
    body = client.get("/notifications/").content.decode()
    assert "一封来信已隔离，待处理：邮件的 MIME 结构损坏" in body


def test_retry_of_a_still_broken_mail_quarantines_it_again_and_alerts_again(bank, client):
    row = quarantined()
    login(client, "admin")
    with time_machine.travel(NOW, tick=False):
        assert client.post(f"/mail/{row.pk}/retry/").status_code == 302
    row.refresh_from_db()
    assert row.outcome == "quarantined" and row.attempts == 2
    assert AuditEvent.objects.filter(type="mailin.retry").count() == 1
