"""Mass-incident pages (SPEC §6): who sees them, the incident with its cases, and the bulk response
answering the answerable cases and reporting the rest with the reason."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent
from redressal.triage.models import MassIncident
from redressal.web.templatetags.redressal import due_local
from tests.catalogue import pending_translations, ui_msgids
from tests.conftest import PASSWORD, local
from tests.flows import accept, confirm_codes
from tests.pagetext import page_text, raw_codes, untranslated
from tests.triage.conftest import customer, register
from tests.triage.test_mass_incident import TEXTS

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def frozen():
    with time_machine.travel(local(2024, 9, 10, 10, 0), tick=False):
        yield


def login(client, username: str) -> None:
    client.logout()
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:300]


def spike(bank, n: int = 8) -> list[Case]:
    return [
        register(bank, TEXTS[i], customer=customer(i + 1), product="手机银行转账", channel="mobile_banking")
        for i in range(n)
    ]


def ready(bank, cases: list[Case]) -> None:
    handler = bank.actor("handler")
    for c in cases:
        accept(c.pk, handler)
        svc.start_investigation(c.pk, actor=handler)
        confirm_codes(c.pk, handler)


def form(**over) -> dict[str, object]:
    data = {
        "bulk-outcome": "upheld",
        "bulk-reasons": "系统升级导致转账失败",
        "bulk-basis": "电子银行服务协议第8条",
        "bulk-remedy": "退还手续费",
        "bulk-notice_channel": "sms",
        "bulk-notice_content": "尊敬的客户：处理结果：【处理结果】……可申请核查、调解、仲裁或诉讼。",
        "bulk-routes": ["review", "mediation", "arbitration", "litigation"],
        "bulk-confirm": "on",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_list_and_page_for_those_who_may_see_them(client, bank, frozen):
    cases = spike(bank)
    incident = MassIncident.objects.get()
    for username in ("supervisor1", "branchhead1", "compliance1", "senior1"):
        login(client, username)
        body = client.get("/incidents/").content.decode()
        assert f'href="/incidents/{incident.pk}/"' in body, username
        assert 'href="/incidents/"' in body  # the nav entry
        r = client.get(f"/incidents/{incident.pk}/")
        assert r.status_code == 200, username
        page = r.content.decode()
        assert "手机银行转账" in page or "手机银行" in page
        assert f'data-testid="case-count">{len(cases)}<' in page
        assert f'data-testid="customer-count">{len(cases)}<' in page
        table = page.split('data-testid="incident-cases"', 1)[1].split("</table>", 1)[0]
        for c in cases:
            assert f'<a href="/cases/{c.pk}/">{c.case_number}</a>' in table
        assert table.count("已登记") == len(cases)
        assert due_local(cases[0].decision_due_at) in table  # "2024-09-25 24:00"
        can_answer = username in ("supervisor1", "branchhead1")
        assert ('data-testid="bulk-form"' in page) is can_answer, username
        if can_answer:  # the notice comes pre-filled with every challenge route
            assert "30日内向我行上级机构书面申请核查" in page and "提起诉讼" in page


def test_others_get_403(client, bank, frozen):
    spike(bank)
    incident = MassIncident.objects.get()
    for username in ("handler1", "agent1", "auditor1", "qa1", "collab1", "admin"):
        login(client, username)
        assert client.get("/incidents/").status_code == 403, username
        assert client.get(f"/incidents/{incident.pk}/").status_code == 403, username
        before = CaseEvent.objects.count()
        r = client.post(f"/incidents/{incident.pk}/bulk-respond/", form())
        assert r.status_code == 403, username
        assert CaseEvent.objects.count() == before
        assert 'href="/incidents/"' not in client.get("/tasks/").content.decode()


def test_bulk_respond_answers_the_answerable_and_reports_the_rest(client, bank, frozen):
    cases = spike(bank)
    incident = MassIncident.objects.get()
    ready(bank, cases[:5])
    login(client, "supervisor1")
    r = client.post(f"/incidents/{incident.pk}/bulk-respond/", form(), **HTMX)
    assert r.status_code == 200, r.content.decode()[:800]
    body = r.content.decode()
    results = body.split('data-testid="bulk-results"', 1)[1].split("</table>", 1)[0]
    for c in cases[:5]:
        assert f'data-case="{c.case_number}" data-result="answered"' in results
        assert Case.objects.get(pk=c.pk).status == "responded"
    for c in cases[5:]:
        assert f'data-case="{c.case_number}" data-result="refused"' in results
        assert Case.objects.get(pk=c.pk).status == "registered"
    assert results.count("当前状态不能答复") == 3
    assert "已答复 5 件，未能答复 3 件" in body
    # Each answered case has its own decision, with the placeholders filled from the fields.
    decision = Case.objects.get(pk=cases[0].pk).decisions.get()
    assert decision.outcome == "upheld" and decision.reasons == "系统升级导致转账失败"
    assert "处理结果：投诉成立" in decision.notice_content and "【" not in decision.notice_content
    assert CaseEvent.objects.filter(type="responded", case__in=cases).count() == 5
    # The refreshed table shows the new states; the form stays for the three still open.
    table = body.split('data-testid="incident-cases"', 1)[1].split("</table>", 1)[0]
    assert table.count("已答复") == 5 and 'data-testid="bulk-form"' in body


@pytest.mark.parametrize(
    ("over", "field", "label"),
    [
        ({"bulk-reasons": ""}, "reasons", "理由"),
        ({"bulk-remedy": ""}, "remedy", "补救措施"),
        ({"bulk-routes": ["review"]}, "routes", "已告知的救济途径"),
        ({"bulk-confirm": None}, "confirm", "确认向本事件所有未结工单发送同一处理决定"),
        ({"bulk-outcome": "revised"}, "outcome", "处理结果"),
    ],
)
def test_validation_names_the_field_and_writes_nothing(client, bank, frozen, over, field, label):
    cases = spike(bank)
    ready(bank, cases[:2])
    incident = MassIncident.objects.get()
    login(client, "supervisor1")
    before = CaseEvent.objects.count()
    r = client.post(f"/incidents/{incident.pk}/bulk-respond/", form(**over), **HTMX)
    assert r.status_code == 422
    assert f'id="err-bulk-{field}"' in r.content.decode()
    errors = r.content.decode().split(f'id="err-bulk-{field}"', 1)[1].split("</ul>", 1)[0]
    assert f"{label}：" in errors
    assert CaseEvent.objects.count() == before


def test_compliance_sees_but_may_not_answer(client, bank, frozen):
    cases = spike(bank)
    ready(bank, cases[:2])
    incident = MassIncident.objects.get()
    login(client, "compliance1")
    before = CaseEvent.objects.count()
    r = client.post(f"/incidents/{incident.pk}/bulk-respond/", form(), **HTMX)
    assert r.status_code == 403 and 'data-testid="bulk-refused"' in r.content.decode()
    assert CaseEvent.objects.count() == before


def test_unknown_incident_is_404(client, bank, frozen):
    login(client, "supervisor1")
    assert client.get("/incidents/999/").status_code == 404


def test_case_page_links_its_incident_for_supervisors_only(client, bank, frozen):
    cases = spike(bank)
    incident = MassIncident.objects.get()
    login(client, "supervisor1")
    body = client.get(f"/cases/{cases[0].pk}/").content.decode()
    assert f'href="/incidents/{incident.pk}/" data-testid="incident-link">MI-{incident.pk}</a>' in body
    evidence = f'data-flag="mass_incident">群体性事件：<span class="evidence" data-content>MI-{incident.pk}、'
    assert evidence in body  # the flag with its evidence
    login(client, "handler1")
    body = client.get(f"/cases/{cases[0].pk}/").content.decode()
    assert f"MI-{incident.pk}" in body and f'href="/incidents/{incident.pk}/"' not in body


def test_english(client, bank, frozen):
    cases = spike(bank)
    ready(bank, cases[:5])
    incident = MassIncident.objects.get()
    login(client, "supervisor1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    msgids = ui_msgids()
    with pending_translations():
        pages = [
            client.get("/incidents/").content.decode(),
            client.get(f"/incidents/{incident.pk}/").content.decode(),
            client.post(f"/incidents/{incident.pk}/bulk-respond/", form(), **HTMX).content.decode(),
        ]
    assert "Mass incident" in pages[0] and "Customers" in pages[0]
    assert "Linked cases" in pages[1] and "Answer all cases" in pages[1]
    assert "Answered: 5; not answered: 3" in pages[2]
    assert "Cannot be answered in its current state" in pages[2]
    for html in pages:
        pieces = page_text(html)
        assert raw_codes(pieces) == []
        assert untranslated(pieces, msgids, frozenset({"北京分行", "手机银行转账"})) == []


def test_a_case_without_confirmed_codes_is_reported_in_words(client, bank, frozen):
    cases = spike(bank)
    incident = MassIncident.objects.get()
    handler = bank.actor("handler")
    for c in cases[:2]:
        accept(c.pk, handler)
        svc.start_investigation(c.pk, actor=handler)
    confirm_codes(cases[0].pk, handler)  # only the first has its B/C codes confirmed
    login(client, "supervisor1")
    body = client.post(f"/incidents/{incident.pk}/bulk-respond/", form(), **HTMX).content.decode()
    results = body.split('data-testid="bulk-results"', 1)[1].split("</table>", 1)[0]
    assert f'data-case="{cases[0].case_number}" data-result="answered"' in results
    refused = results.split(f'data-case="{cases[1].case_number}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-result="refused"' in refused and "业务类别（B）和投诉原因（C）尚未确认" in refused
    assert Case.objects.get(pk=cases[1].pk).status == "investigating"
