"""The triage panel of the case page (SPEC §6): suggestions with confidence and model version beside
what staff confirmed, confirm and correct in place (htmx), refused without permission, a wrong code
named on its field, a stale version refused, flags with their evidence, duplicates and incidents."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases.models import Case, CaseEvent
from redressal.triage.models import TriageRecord
from tests.catalogue import pending_translations, ui_msgids
from tests.conftest import PASSWORD, local
from tests.pagetext import page_text, raw_codes, untranslated
from tests.triage.conftest import ELDERLY_BIRTH, customer, register, register_forwarded

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SUGGESTED = {
    "request_type": {"code": "complaint", "label": "投诉", "confidence": 0.9731, "model_version": "m-test-7"},
    "business": {"code": "B0302", "label": "信用卡", "confidence": 0.6612, "model_version": "m-test-7"},
    "cause": {"code": "C01", "label": "服务态度及服务质量", "confidence": 0.4049, "model_version": "m-test-7"},
    "channel": {"code": "hotline", "label": "客服热线", "confidence": 0.88, "model_version": "m-test-7"},
    "product": {"code": "信用卡", "label": "信用卡", "confidence": 0.5, "model_version": "m-test-7"},
}


@pytest.fixture
def frozen():
    with time_machine.travel(local(2024, 9, 10, 10, 0), tick=False):
        yield


def login(client, username: str) -> None:
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:300]


def panel_of(body: str) -> str:
    start = body.index('id="classification"')
    return body[start : body.index("</section>", start)]


def with_suggestions(bank, text: str = "信用卡年费重复收取", **kw) -> Case:
    """A registered case whose suggestions are known (whatever model is installed)."""
    case = register(bank, text, **kw)
    Case.objects.filter(pk=case.pk).update(
        classification={axis: {"suggested": s, "confirmed": None} for axis, s in SUGGESTED.items()}
    )
    return Case.objects.get(pk=case.pk)


def post(client, case: Case, htmx: bool = True, **data):
    data.setdefault("version", Case.objects.get(pk=case.pk).version)
    return client.post(f"/cases/{case.pk}/triage/confirm/", data, **(HTMX if htmx else {}))


def confirmations(case: Case) -> list[dict]:
    return [e.payload for e in CaseEvent.objects.filter(case=case, type="classification_confirmed").order_by("seq")]


def test_panel_shows_each_suggestion_with_confidence_and_model_version(client, bank, frozen):
    case = with_suggestions(bank)
    login(client, "handler1")
    body = panel_of(client.get(f"/cases/{case.pk}/").content.decode())
    for axis in SUGGESTED:
        row = body.split(f'data-testid="axis-{axis}"', 1)[1].split("</tr>", 1)[0]
        assert 'data-testid="model-' + axis + '">m-test-7<' in row, axis
        assert "未确认" in row
    assert '<td data-testid="confidence-request_type">97%</td>' in body
    assert '<td data-testid="confidence-cause">40%</td>' in body
    assert "<code>C01</code> 服务态度及服务质量" in body
    assert "客服热线" in body
    # A handler may confirm: each axis has its accept button and its correction form.
    assert body.count('data-testid="accept-') == 5
    assert body.count('data-testid="correct-form-') == 5
    assert 'value="C11"' in body  # the cause select lists the code table's causes


def test_real_model_suggestions_are_shown_as_the_model_stored_them(client, bank, frozen):
    case = register(bank, "手机银行转账失败，钱被扣了但对方没收到", channel="other")  # no channel known
    login(client, "handler1")
    body = panel_of(client.get(f"/cases/{case.pk}/").content.decode())
    for axis, entry in case.classification.items():
        s = entry["suggested"]
        assert f'data-testid="model-{axis}">{s["model_version"]}<' in body
        assert f'<td data-testid="confidence-{axis}">{round(s["confidence"] * 100)}%</td>' in body


def axis_row(panel: str, axis: str) -> str:
    """The row's own attributes and cells, from just after its ``data-testid``."""
    return panel.split(f'data-testid="axis-{axis}"', 1)[1].split("</tr>", 1)[0]


def test_a_channel_known_at_intake_shows_as_confirmed_with_no_suggestion_to_accept(client, bank, frozen):
    case = register(bank, "手机银行转账失败，钱被扣了但对方没收到", channel="mobile_banking")
    login(client, "handler1")
    row = axis_row(panel_of(client.get(f"/cases/{case.pk}/").content.decode()), "channel")
    assert row.startswith(' data-suggested="" data-confirmed="mobile_banking"')
    assert "无建议" in row and "手机银行" in row and "agent1" in row and "2024-09-10" in row
    assert "未确认" not in row and "已更正" not in row and 'data-testid="model-channel"' not in row
    assert 'data-testid="accept-channel"' not in row

    # A regulator transfer: the channel is suggested, for staff to accept or correct.
    forwarded = register_forwarded(bank, "BJ-2024-004", customer=customer(2))
    row = axis_row(panel_of(client.get(f"/cases/{forwarded.pk}/").content.decode()), "channel")
    assert row.startswith(' data-suggested="') and not row.startswith(' data-suggested=""')
    assert 'data-confirmed=""' in row and "未确认" in row
    assert 'data-testid="accept-channel"' in row and 'data-testid="model-channel"' in row


def test_confirm_and_correct_change_the_case_and_write_the_event(client, bank, frozen):
    case = with_suggestions(bank)
    login(client, "handler1")

    r = post(client, case, axis="cause", code="C01")  # accept the suggestion
    assert r.status_code == 200, r.content.decode()[:500]
    fragment = r.content.decode()
    assert fragment.lstrip().startswith('<section class="card triage-panel" id="classification"')
    assert 'data-testid="triage-saved"' in fragment and 'data-confirmed="C01"' in fragment
    assert "handler1" in fragment and "2024-09-10" in fragment
    case.refresh_from_db()
    assert case.classification["cause"]["confirmed"]["code"] == "C01"
    assert case.classification["cause"]["confirmed"]["by"] == "handler1"
    (event,) = confirmations(case)
    assert event["axis"] == "cause" and event["correction"] is False and event["after"]["code"] == "C01"
    # The panel now offers only the correction for that axis, with the new version.
    assert 'data-testid="accept-cause"' not in fragment
    assert f'name="version" value="{case.version}"' in fragment

    r = post(client, case, axis="cause", code="C11")  # correct it
    assert r.status_code == 200
    case.refresh_from_db()
    assert case.classification["cause"]["confirmed"]["code"] == "C11"
    assert case.classification["cause"]["suggested"]["code"] == "C01"  # the suggestion stays
    last = confirmations(case)[-1]
    assert last["correction"] is True and last["before"]["code"] == "C01" and last["suggested"] == "C01"
    assert TriageRecord.objects.get(case=case).cause == "C11"
    assert "已更正" in r.content.decode()

    r = post(client, case, htmx=False, axis="request_type", code="consultation")
    assert r.status_code == 302 and r["Location"].endswith(f"/cases/{case.pk}/#classification")
    assert Case.objects.get(pk=case.pk).classification["request_type"]["confirmed"]["label"] == "咨询"


def test_without_permission_no_controls_and_403(client, bank, frozen):
    case = with_suggestions(bank)
    for username in ("agent1", "auditor1", "compliance1"):
        client.logout()
        login(client, username)
        body = panel_of(client.get(f"/cases/{case.pk}/").content.decode())
        assert "m-test-7" in body  # the suggestions are shown to every reader
        assert "<form" not in body and 'data-testid="accept-' not in body, username
        before = CaseEvent.objects.count()
        r = post(client, case, axis="cause", code="C01")
        assert r.status_code == 403, username
        assert 'data-testid="triage-error"' in r.content.decode()
        assert CaseEvent.objects.count() == before
    assert Case.objects.get(pk=case.pk).classification["cause"]["confirmed"] is None


def test_collaborator_cannot_post_to_a_case_it_cannot_read(client, bank, frozen):
    case = with_suggestions(bank)
    login(client, "collab1")
    assert post(client, case, axis="cause", code="C01").status_code == 403
    assert client.get(f"/cases/{case.pk}/triage/").status_code == 403
    assert confirmations(case) == []


@pytest.mark.parametrize(
    ("axis", "code", "label"),
    [("cause", "B0302", "投诉原因（C）"), ("business", "C11", "业务类别（B）"), ("request_type", "x", "诉求类型")],
)
def test_an_invalid_code_is_refused_naming_the_field(client, bank, frozen, axis, code, label):
    case = with_suggestions(bank)
    login(client, "handler1")
    r = post(client, case, axis=axis, code=code)
    assert r.status_code == 422
    errors = r.content.decode().split('data-testid="triage-errors"', 1)[1].split("</ul>", 1)[0]
    assert f'data-field="code">{label}：' in errors
    # The correction form of that axis is open to show it.
    row = r.content.decode().split(f'data-testid="axis-{axis}"', 1)[1].split("</tr>", 1)[0]
    assert "<details open><summary>更正</summary>" in row
    assert confirmations(case) == []


def test_missing_fields_are_named(client, bank, frozen):
    case = with_suggestions(bank)
    login(client, "handler1")
    r = client.post(f"/cases/{case.pk}/triage/confirm/", {"axis": "colour", "code": "C11"}, **HTMX)
    assert r.status_code == 422
    body = r.content.decode()
    assert 'data-field="axis">维度：' in body and 'data-field="version">' in body
    assert confirmations(case) == []


def test_a_stale_version_is_refused_and_the_panel_shown_afresh(client, bank, frozen):
    case = with_suggestions(bank)
    login(client, "handler1")
    stale = case.version
    assert post(client, case, axis="business", code="B0302").status_code == 200  # someone else, meanwhile
    r = post(client, case, axis="cause", code="C11", version=stale)
    assert r.status_code == 409
    body = r.content.decode()
    assert "其他人已修改了此工单" in body and 'data-confirmed="B0302"' in body
    assert f'name="version" value="{Case.objects.get(pk=case.pk).version}"' in body
    assert [e["axis"] for e in confirmations(case)] == ["business"]


def test_flags_with_their_evidence_vulnerable_and_priority_factors(client, bank, frozen):
    case = register(bank, "我是退休老人，信用卡被盗刷，要找记者曝光！！", customer=customer(birth_date=ELDERLY_BIRTH))
    login(client, "handler1")
    body = panel_of(client.get(f"/cases/{case.pk}/").content.decode())
    flags = body.split('data-testid="risk-flags"', 1)[1].split("</ul>", 1)[0]
    assert "媒体曝光风险：" in flags and "记者、曝光" in flags
    assert 'data-flag="fund_safety"' in flags and "盗刷" in flags
    assert "感叹号较多" in flags
    vulnerable = body.split('data-testid="vulnerable"', 1)[1].split("</ul>", 1)[0]
    assert "老年客户：" in vulnerable and "按出生日期 74 岁" in vulnerable and "退休" in vulnerable
    factors = body.split('data-testid="priority-factors"', 1)[1].split("</table>", 1)[0]
    record = case.priority_factors
    for f in record:
        assert f'data-factor="{f["factor"]}"' in factors and f"+{f['points']}" in factors
    assert f'data-testid="triage-score">{sum(f["points"] for f in record)}<' in factors
    assert f'data-testid="triage-priority">{case.priority}<' in body


def test_duplicates_with_score_and_merge_hint_and_the_incident_link(client, bank, frozen):
    first = register(bank, "信用卡年费被重复收取两次，要求退还", product="信用卡")
    second = register(bank, "信用卡年费被重复收取了两次，要求马上退还", customer_id=first.customer_id, product="信用卡")
    login(client, "handler1")
    body = panel_of(client.get(f"/cases/{second.pk}/").content.decode())
    dupes = body.split('data-testid="duplicates"', 1)[1].split("</table>", 1)[0]
    assert f'<a href="/cases/{first.pk}/">{first.case_number}</a>' in dupes
    score = second.duplicate_candidates.get().score
    assert f'<td data-testid="similarity">{round(score * 100)}%</td>' in dupes
    assert "同一客户" in dupes and "同一产品" in dupes
    assert 'href="#action-merge"' in dupes  # a handler may merge a registered case
    client.logout()
    login(client, "auditor1")
    body = panel_of(client.get(f"/cases/{second.pk}/").content.decode())
    assert 'href="#action-merge"' not in body and first.case_number in body


def test_english(client, bank, frozen):
    text = "我是退休老人，信用卡被盗刷，要找记者曝光！！"
    case = with_suggestions(bank, text, customer=customer(birth_date=ELDERLY_BIRTH))
    login(client, "handler1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with pending_translations():
        body = panel_of(client.get(f"/cases/{case.pk}/").content.decode())
        r = post(client, case, axis="cause", code="B0302")
    assert "Classification and triage" in body and "Confidence" in body and "Model version" in body
    assert "<code>C01</code> Service attitude and quality" in body
    assert "Media exposure risk" in body and "Accept suggestion" in body
    pieces = page_text(body)
    assert raw_codes(pieces) == []
    assert untranslated(pieces, ui_msgids()) == []
    assert r.status_code == 422 and "Cause (C)：Not a valid code for this axis" in r.content.decode()


@pytest.mark.parametrize("username", ["handler1", "agent1"])
def test_a_refused_confirmation_builds_the_page_and_its_panel_once(client, bank, frozen, username):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = with_suggestions(bank)
    login(client, username)
    client.get(f"/cases/{case.pk}/")  # the session settles
    with CaptureQueriesContext(connection) as page:
        client.get(f"/cases/{case.pk}/")
    # handler1 sends a wrong code (422), agent1 may not confirm at all (403): both get the whole page.
    wrong = {"axis": "cause", "code": "B0302", "version": case.version}
    with CaptureQueriesContext(connection) as refused:
        r = client.post(f"/cases/{case.pk}/triage/confirm/", wrong)
    assert r.status_code == (422 if username == "handler1" else 403)
    assert 'data-testid="triage-error' in r.content.decode()
    # The same reads as the page itself: the triage panel is built once, with the refusal in it.
    assert len(refused.captured_queries) == len(page.captured_queries)
