"""The case page: header, PII masked with an audited reveal, evidence download, English rendering."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from tests.conftest import PASSWORD, local
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


def _with_evidence(bank, content_type: str = "image/png", data: bytes = b"\x89PNG\r\n\x1a\nfake",
                   filename: str = "shot.png"):
    case = register(bank)
    handler = bank.actor("handler")
    accept(case.pk, handler)
    svc.add_evidence(
        case.pk, actor=handler, kind="electronic", filename=filename, content_type=content_type,
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
    case, ev = _with_evidence(bank, "text/plain", b"<script>alert(1)</script>", "note.txt")
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


def head_of(body: str) -> str:
    return body.split('data-testid="case-head"', 1)[1].split("</header>", 1)[0]


def test_the_header_stays_with_the_next_deadline_and_the_next_step(client, bank):
    from pathlib import Path

    import redressal.web

    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False):
        case = register(bank)
        login(client, "handler1")
        body = client.get(f"/cases/{case.pk}/").content.decode()
    head = head_of(body)
    assert case.case_number in head and "已登记" in head and 'data-testid="case-priority"' in head
    # The next deadline: its label, the time in Asia/Shanghai and what is left.
    countdown = head.split('data-testid="countdown"', 1)[1].split("</p>", 1)[0]
    due = case.deadlines.filter(state="running").order_by("due_at").first()
    assert due is not None
    local_due = timezone.localtime(due.due_at, ZoneInfo("Asia/Shanghai"))
    assert f"{local_due:%Y-%m-%d %H:%M}" in countdown or f"{local_due - timedelta(days=1):%Y-%m-%d} 24:00" in countdown
    assert "剩余" in countdown
    # The next step is the domain's (registered → accept), a primary button opening the form in place.
    step = head.split('data-testid="next-step"', 1)[0].rsplit("<a ", 1)[1]
    assert 'href="#action-accept"' in step and 'data-open-action="accept"' in step and "primary" in step
    assert "下一步：受理" in head
    css = (Path(redressal.web.__file__).parent / "static/web/case.css").read_text()
    assert re.search(r"\.case-head \{[^}]*position: sticky", css)
    # The actions come right after the header, before the case facts; the model's details are folded.
    assert body.index('data-testid="actions"') < body.index("工单信息") < body.index('id="classification"')
    assert re.search(r'<details class="model-details"[^>]*>', body).group(0).endswith('data-testid="model-details">')


def test_a_read_only_reader_gets_no_next_step(client, bank):
    case = register(bank)
    login(client, "compliance1")
    assert 'data-testid="next-step"' not in head_of(client.get(f"/cases/{case.pk}/").content.decode())


def test_after_acceptance_the_contact_record_and_a_message_are_shown(client, bank):
    case = register(bank)
    login(client, "handler1")
    assert 'data-testid="contact-record"' not in client.get(f"/cases/{case.pk}/").content.decode()
    case.refresh_from_db()
    r = client.post(f"/cases/{case.pk}/act/accept/", {
        "accept-version": case.version, "accept-seen_seq": case.last_event_seq, "accept-contact_channel": "phone",
        "accept-contact_outcome": "reached", "accept-explained": "已说明处理流程和15日时限",
        "accept-no_direct_interest": "on"})
    assert r.status_code == 302 and r["Location"].startswith(f"/cases/{case.pk}/?v=")
    assert r["Location"].endswith("#contact")
    body = client.get(r["Location"]).content.decode()
    assert "已完成：受理" in body  # the success message
    record = body.split('data-testid="contact-record"', 1)[1].split("</dl>", 1)[0]
    assert "电话" in record and "已联系上" in record and "已说明处理流程和15日时限" in record and "handler1" in record
    assert "下一步：开始调查" in head_of(body)


def test_buttons_are_verbs(client, bank):
    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    svc.start_investigation(case.pk, actor=bank.actor("handler"))
    login(client, "handler1")
    r = client.get(f"/cases/{case.pk}/act/propose_solution/", headers={"HX-Request": "true"})
    assert re.search(r'data-testid="submit-propose_solution">\s*提交方案', r.content.decode())
    r = client.get(f"/cases/{case.pk}/act/set_responsibility/", headers={"HX-Request": "true"})
    assert re.search(r'data-testid="submit-set_responsibility">\s*保存责任认定', r.content.decode())
    body = client.get(f"/cases/{case.pk}/").content.decode()
    for noun in ("解决方案与补偿", "责任认定与根因"):
        assert noun not in body


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
