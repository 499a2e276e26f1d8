"""Ending a mass incident with its root cause (SPEC §6, §12 溯源整改): who may, what is required, what
is recorded, and that the baseline reads as words, not as the detector's number."""

from __future__ import annotations

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.cases.models import Case
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.org.authz import actor_for
from redressal.org.services import create_staff, create_unit
from redressal.triage.models import MassIncident
from redressal.triage.services.incidents import record_incident_root_cause
from tests.conftest import PASSWORD, local
from tests.web.test_mass_incidents import login, spike

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(local(2024, 9, 10, 10, 0), tick=False):
        yield


def post(client, incident: MassIncident, close: bool, root_cause: str = "核心系统升级导致跨行转账超时", code: str = ""):
    data = {"cause-root_cause": root_cause, "cause-cause_code": code, "close" if close else "save": "1"}
    return client.post(f"/incidents/{incident.pk}/root-cause/", data)


def test_supervisor_records_the_cause_then_ends_the_incident(client, bank, frozen):
    spike(bank)
    incident = MassIncident.objects.get()
    login(client, "supervisor1")
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="incident-root-cause-form"' in page
    assert "基线预期" not in page and "平时同一时段" in page

    r = post(client, incident, close=False)
    assert r.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "open" and incident.root_cause == "核心系统升级导致跨行转账超时"

    r = post(client, incident, close=True, code="C99")
    assert r.status_code == 302, r.content[:500]
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_by.username == "supervisor1"
    assert incident.closed_at is not None and incident.cause_code == "C99"
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "已结束" in page and 'data-testid="incident-closed"' in page
    assert 'data-testid="incident-root-cause-form"' not in page  # nothing left to do
    events = list(AuditEvent.objects.filter(object_type="mass_incident", object_id=str(incident.pk)).order_by("seq"))
    assert [e.type for e in events] == ["mass_incident.root_cause", "mass_incident.closed"]
    assert events[1].payload["changes"]["status"] == {"before": "open", "after": "closed"}
    assert events[1].actor_id == bank.people["sup"].pk


def test_ending_needs_a_root_cause_and_a_real_code(bank, frozen):
    spike(bank)
    incident = MassIncident.objects.get()
    sup = bank.actor("sup")
    with pytest.raises(ValidationFailed) as e:
        record_incident_root_cause(incident.pk, actor=sup, root_cause="  ", close=True)
    assert e.value.field == "root_cause"
    with pytest.raises(ValidationFailed) as e:
        record_incident_root_cause(incident.pk, actor=sup, root_cause="系统故障", cause_code="B01", close=True)
    assert e.value.field == "cause_code"
    with pytest.raises(ValidationFailed) as e:
        record_incident_root_cause(incident.pk, actor=sup, root_cause="长" * 2001)
    assert e.value.field == "root_cause"
    incident.refresh_from_db()
    assert incident.status == "open" and incident.root_cause == ""
    assert not AuditEvent.objects.filter(object_type="mass_incident").exists()


def test_closed_incident_cannot_be_closed_again_and_a_new_spike_opens_a_new_one(bank, frozen):
    spike(bank)
    incident = MassIncident.objects.get()
    record_incident_root_cause(incident.pk, actor=bank.actor("sup"), root_cause="系统故障", close=True)
    with pytest.raises(Conflict):
        record_incident_root_cause(incident.pk, actor=bank.actor("head"), root_cause="改", close=True)


def test_who_may_not_end_it(client, bank, frozen):
    spike(bank)
    incident = MassIncident.objects.get()
    # A handler sees no incidents at all; the answer is the same as for an incident that does not exist.
    for missing in (incident.pk, incident.pk + 100):
        with pytest.raises(NotFound):
            record_incident_root_cause(missing, actor=bank.actor("handler"), root_cause="x", close=True)
    # A supervisor of another branch: the incident is not in her scope.
    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    other = actor_for(create_staff("shsup", PASSWORD, sh, ["supervisor"]))
    with pytest.raises(NotFound):
        record_incident_root_cause(incident.pk, actor=other, root_cause="x", close=True)
    login(client, "handler1")
    assert post(client, incident, close=True).status_code == 403
    login(client, "shsup")
    assert post(client, incident, close=True).status_code in (403, 404)
    incident.refresh_from_db()
    assert incident.status == "open"


def test_a_reader_without_the_incident_unit_may_look_but_not_close(bank, frozen):
    spike(bank)
    incident = MassIncident.objects.get()
    # An outlet supervisor sees the incident only through her outlet's cases, not its branch unit.
    MassIncident.objects.filter(pk=incident.pk).update(unit=bank.branch)
    outlet_sup = actor_for(create_staff("outletsup", PASSWORD, bank.outlet, ["supervisor"]))
    Case.objects.filter(pk=incident.links.first().case_id).update(unit=bank.outlet)
    with pytest.raises(PermissionDenied):
        record_incident_root_cause(incident.pk, actor=outlet_sup, root_cause="x", close=True)
