"""The case page: header, PII masked with an audited reveal, evidence download, English rendering."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from tests.conftest import PASSWORD
from tests.flows import accept
from tests.services.test_lifecycle import register

pytestmark = pytest.mark.django_db


def login(client, username: str) -> None:
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:500]


def test_page_shows_header_deadlines_timeline_and_masked_pii(client, bank):
    case = register(bank, product="信用卡", amount=Decimal("1234.5"))
    login(client, "handler1")
    r = client.get(f"/cases/{case.pk}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert case.case_number in body and "已登记" in body and 'data-testid="countdown"' in body
    assert "138****5678" in body and "13812345678" not in body
    assert 'id="classification"' in body and "¥1,234.50" in body
    assert "处理决定并告知" in body and "登记" in body
    # A handler holds no pii.view: no reveal form is offered.
    assert 'data-testid="reveal-phone"' not in body


def test_only_allowed_actions_are_rendered(client, bank):
    case = register(bank)
    login(client, "handler1")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="action-accept"' in body and 'id="action-withdraw"' in body
    assert 'id="action-respond"' not in body  # not from "registered"
    assert 'id="action-extend"' not in body  # a handler approves no extension
    client.logout()
    login(client, "auditor1")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="action-' not in body  # read-only role


def test_reveal_is_audited_and_refused_without_pii_view(client, bank):
    case = register(bank)
    login(client, "handler1")
    r = client.post(f"/cases/{case.pk}/reveal/", {"field": "phone", "reason": "回电客户"})
    assert r.status_code == 403
    assert "13812345678" not in r.content.decode()
    client.logout()
    login(client, "branchhead1")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="reveal-phone"' in body
    r = client.post(f"/cases/{case.pk}/reveal/", {"field": "phone", "reason": ""})
    assert r.status_code == 422 and "reason" in r.content.decode()
    before = AuditEvent.objects.filter(type="pii.reveal").count()
    r = client.post(f"/cases/{case.pk}/reveal/", {"field": "phone", "reason": "回电客户"})
    assert r.status_code == 200 and "13812345678" in r.content.decode()
    entry = AuditEvent.objects.filter(type="pii.reveal").order_by("-pk").first()
    assert AuditEvent.objects.filter(type="pii.reveal").count() == before + 1
    assert entry is not None and entry.reason == "回电客户"


def _with_evidence(bank, content_type: str = "image/png", data: bytes = b"\x89PNG\r\n\x1a\nfake"):
    case = register(bank)
    handler = bank.actor("handler")
    accept(case.pk, handler)
    svc.add_evidence(
        case.pk, actor=handler, kind="electronic", filename="shot.png", content_type=content_type,
        stream=io.BytesIO(data),
    )
    return case, case.evidence.get()


def test_evidence_listed_and_download_permission_checked(client, bank, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case, ev = _with_evidence(bank)
    login(client, "handler1")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert ev.sha256[:12] in body and "image/png" in body
    r = client.get(f"/cases/{case.pk}/evidence/{ev.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff" and "inline" in r["Content-Disposition"]
    assert r["X-Frame-Options"] == "SAMEORIGIN" and "sandbox" in r["Content-Security-Policy"]
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    r = client.get(f"/cases/{case.pk}/evidence/{ev.pk}/?download=1")
    assert "attachment" in r["Content-Disposition"]
    client.logout()
    login(client, "collab1")
    assert client.get(f"/cases/{case.pk}/evidence/{ev.pk}/").status_code == 403


def test_text_evidence_never_renders_as_html(client, bank, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case, ev = _with_evidence(bank, "text/plain", b"<script>alert(1)</script>")
    login(client, "handler1")
    r = client.get(f"/cases/{case.pk}/evidence/{ev.pk}/")
    assert r["Content-Type"].startswith("text/plain") and "sandbox" in r["Content-Security-Policy"]


def test_page_in_english(client, bank):
    case = register(bank)
    login(client, "handler1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Decision and notice" in body and "History" in body and "Registered" in body
    assert "处理记录" not in body


def test_header_names_every_flag_and_factor_as_the_triage_panel_does(client, bank):
    from redressal.cases.models import Case

    case = register(bank)
    Case.objects.filter(pk=case.pk).update(
        risk_flags=["info_leak", "urgency", "exclamation", "all_caps"],
        priority_factors=[{"factor": "emotion", "points": 10, "detail": "angry"},
                          {"factor": "amount", "points": 20, "detail": "5000"}],
    )
    login(client, "handler1")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    head = body.split('data-testid="triage"', 1)[1].split("</ul>", 1)[0]
    for label in ("个人信息泄露", "紧急诉求", "感叹号较多", "大写字母喊叫"):
        assert label in head
    assert not any(code in head for code in ("info_leak", "urgency", "exclamation", "all_caps"))
    # The factors carry the triage panel's names (情绪, 争议金额), not a second wording.
    assert "情绪 +10" in head and "争议金额 +20" in head and "客户情绪" not in head and "涉及金额" not in head
    factors = body.split('data-testid="priority-factors"', 1)[1].split("</table>", 1)[0]
    assert "情绪" in factors and "争议金额" in factors


def test_collaborator_gets_403(client, bank):
    case = register(bank)
    login(client, "collab1")
    assert client.get(f"/cases/{case.pk}/").status_code == 403


def test_triage_and_classification_shown_read_only(client, bank):
    from redressal.cases.models import Case

    case = register(bank)
    Case.objects.filter(pk=case.pk).update(
        emotion="angry",
        risk_flags=["media"],
        priority_factors=[{"name": "regulator", "points": 40}, "elderly"],
        classification={"cause": {"suggested": {"code": "C03", "label": "定价收费", "confidence": 0.82},
                                  "confirmed": None}},
    )
    # The triage panel (tests/web/test_triage_panel.py) offers confirmation to those who may; a
    # reader who may not sees it read-only.
    login(client, "auditor1")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "愤怒" in body and "媒体曝光风险" in body and "监管投诉风险 +40" in body and "老年客户" in body
    block = body.split('id="classification"', 1)[1].split("</section>", 1)[0]
    assert "C03" in block and "82%" in block and "<form" not in block


def test_deadline_history_and_clock_changes_read_in_shanghai_time(client, bank):
    import time_machine

    from tests.conftest import local

    with time_machine.travel(local(2024, 9, 20, 12), tick=False):
        case = register(bank)
        accept(case.pk, bank.actor("handler"))
        svc.extend_deadline(case.pk, actor=bank.actor("sup"), level=1, reason="复杂", justification="多方调查")
        login(client, "supervisor1")
        body = client.get(f"/cases/{case.pk}/").content.decode()
    # The original due moment, 2024-10-06 00:00 in Beijing (16:00 UTC the day before), struck through
    # as 24:00 of its last day; and when it moved.
    assert "<s>2024-10-05 24:00</s>" in body and "2024-09-20 12:00" in body
    assert "2024-10-05 16:00" not in body and "2024-09-20 04:00" not in body
