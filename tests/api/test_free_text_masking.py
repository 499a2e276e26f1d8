"""Personal numbers typed into free text (SPEC §13): an ID, a phone or a card number in a description,
a note or a task is masked for readers without ``pii.view`` (case page, API), shown as typed to those
with it, and never stored in the search table.
"""

from __future__ import annotations

import json

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import CollaborationTask
from redressal.core.clock import now
from redressal.core.masking import mask_text
from redressal.customers.services import CustomerInput
from redressal.search.models import SearchDoc
from redressal.search.selectors import case_list
from tests.conftest import local
from tests.flows import accept
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # check digit valid (GB 11643-1999)
PHONE = "13912347654"
CARD = "6222021234567890128"  # Luhn valid
NOTE_PHONE = "15800001234"
DESCRIPTION = f"客户身份证号{ID_NUMBER}，联系电话{PHONE}，卡号{CARD}，年费被重复收取两次，要求退还。"
CLEAR = (ID_NUMBER, PHONE, CARD, NOTE_PHONE)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"身份证{ID_NUMBER}。", "身份证1101**********002X。"),
        ("旧证件号110105491231002", "旧证件号1101*******1002"),  # 15 digits, born 1949-12-31
        (f"电话{PHONE}", "电话139****7654"),
        ("电话 139-1234-7654 或 +86 13912347654", "电话 139****7654 或 139****7654"),
        (f"卡号{CARD}", "卡号****0128"),
        ("卡号 6222 0212 3456 7890 128 已冻结", "卡号 ****0128 已冻结"),
        (f"{PHONE} {CARD}", "139****7654 ****0128"),
        # Not personal numbers: a Luhn-failing run, a reference glued to letters, a long reference, amounts.
        ("订单号6222021234567890123", "订单号6222021234567890123"),
        ("流水号A13912347654", "流水号A13912347654"),
        ("交易流水20240910123456789012345", "交易流水20240910123456789012345"),
        ("金额12345.67元，12月3日", "金额12345.67元，12月3日"),
    ],
)
def test_mask_text(text, masked):
    assert mask_text(text) == masked


@pytest.fixture
def case(bank):
    with time_machine.travel(local(2024, 9, 10, 10, 0), tick=False):
        c = svc.register_case(
            svc.RegisterInput(
                request_type="complaint", channel="hotline", description=DESCRIPTION,
                customer=CustomerInput(name="王秀英", phone=PHONE, id_number=ID_NUMBER, card_number=CARD),
            ),
            actor=bank.actor("agent"),
        )
        handler = bank.actor("handler")
        accept(c.pk, handler)
        svc.start_investigation(c.pk, actor=handler)
        svc.add_note(c.pk, actor=handler, text=f"已致电客户，另一联系电话{NOTE_PHONE}。")
        svc.open_task(c.pk, actor=handler, department_code="TECH", title="调取日志",
                      request=f"请核查卡号{CARD}的扣费记录")
    return c


def leaked(text: str) -> list[str]:
    return [v for v in CLEAR if v in text]


def test_case_page_masks_free_text_without_pii_view(client, bank, case):
    login(client, "handler1")  # the handler holds no pii.view
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert leaked(body) == []
    assert "1101**********002X" in body and "139****7654" in body and "****0128" in body
    assert "158****1234" in body  # the note
    client.logout()
    login(client, "branchhead1")  # pii.view over the case's unit: as typed
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert DESCRIPTION in body and NOTE_PHONE in body


def test_api_masks_free_text_without_pii_view(bank, case, api_as):
    handler = api_as("handler1")
    detail = handler.get(f"/cases/{case.pk}").json()
    assert "1101**********002X" in detail["description"] and leaked(detail["description"]) == []
    events = handler.get(f"/cases/{case.pk}/events").json()
    assert leaked(json.dumps(events, ensure_ascii=False)) == []
    assert any("158****1234" in json.dumps(e["payload"], ensure_ascii=False) for e in events)
    collab_tasks = api_as("collab1").get("/tasks").json()
    assert collab_tasks and leaked(json.dumps(collab_tasks, ensure_ascii=False)) == []

    head = api_as("branchhead1")
    assert head.get(f"/cases/{case.pk}").json()["description"] == DESCRIPTION
    assert NOTE_PHONE in json.dumps(head.get(f"/cases/{case.pk}/events").json(), ensure_ascii=False)


def test_the_task_page_masks_for_the_collaborator(client, bank, case):
    task = CollaborationTask.objects.get(case=case)
    login(client, "collab1")
    body = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "****0128" in body and CARD not in body


def test_search_table_stores_no_personal_numbers_and_the_phone_tail_still_finds(bank, case):
    doc = SearchDoc.objects.get(case=case)
    stored = f"{doc.words} {doc.ids}"
    assert leaked(stored) == [], stored
    for part in ("110105194912", "1234567890", "13912347"):  # no long fragment survives either
        assert part not in stored
    with time_machine.travel(local(2024, 9, 11, 10, 0), tick=False):
        hits = set(case_list(bank.actor("handler"), q="7654", now=now()).values_list("pk", flat=True))
        assert hits == {case.pk}  # the customer's own phone tail (build_ids)
        assert set(case_list(bank.actor("handler"), q="年费", now=now()).values_list("pk", flat=True)) == {case.pk}
