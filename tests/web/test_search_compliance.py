"""Search and export as compliance uses them (issue 11, item 29): a search finds finished cases too,
can be read best match first with the sentence that matched, and the XLSX carries what a report needs."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.web.snippets import snippet
from tests.conftest import local
from tests.flows import accept, accept_and_respond, confirm_codes
from tests.services.test_lifecycle import register
from tests.web.test_case_page import login
from tests.web.test_exports import Sheet

pytestmark = pytest.mark.django_db

PHONE_IN_TEXT = "13912347654"


def _closed(bank, description: str):
    case = register(bank, description=description)
    accept_and_respond(case.pk, bank.actor("handler"))
    svc.record_feedback(case.pk, actor=bank.actor("handler"), result="satisfied", csat=5)
    case.refresh_from_db()
    assert case.status == "closed"
    return case


def _rows(body: str) -> list[str]:
    return re.findall(r'data-testid="queue-row"[^>]*>\s*<td><a href="[^"]+">(TS\w+)</a>', body)


def test_a_search_finds_finished_cases_a_plain_list_leaves_them_out(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        done = _closed(bank, "理财产品到期后本金迟迟没有到账")
        open_ = register(bank, description="理财经理承诺保本，结果亏损")
        login(client, "compliance1")
        plain = client.get("/").content.decode()
        found = client.get("/?q=理财").content.decode()
    assert done.case_number not in plain and open_.case_number in plain
    assert {done.case_number, open_.case_number} <= set(_rows(found))
    assert 'data-testid="search-scope"' in found and "搜索结果包括已办结的工单" in found


def test_relevance_order_with_the_matching_sentence_marked_and_masked(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        once = register(bank, description="信用卡还款后仍被催收，客户很不满意，要求说明情况")
        often = register(
            bank,
            description=f"年费被重复收取。客户来电 {PHONE_IN_TEXT}，称年费扣了两次，要求退还多收的年费，年费多次反映",
        )
        login(client, "compliance1")
        body = client.get("/?q=年费&sort=relevance").content.decode()
        default = client.get("/?q=年费").content.decode()
        mixed = client.get("/?q=年费 催收&sort=relevance").content.decode()
    assert _rows(body)[0] == often.case_number
    snippet_html = body.split('data-testid="snippet">', 1)[1].split("</div>", 1)[0]
    assert "<mark>年费</mark>" in snippet_html
    # Compliance holds no pii.view: a phone number typed into the text is masked in the snippet too.
    assert PHONE_IN_TEXT not in body and "139****7654" in snippet_html
    assert "按相关度排列" in body
    # Without the relevance order there is no snippet and the queue order applies.
    assert 'data-testid="snippet"' not in default and often.case_number in _rows(default)
    assert once.case_number not in _rows(mixed)  # every word must match: 年费 AND 催收


def test_relevance_pages_are_bounded_and_a_bad_page_is_the_first(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        register(bank, description="手机银行转账失败")
        login(client, "compliance1")
        for page in ("abc", "-3", "99999"):
            r = client.get(f"/?q=转账&sort=relevance&page={page}")
            assert r.status_code == 200


def test_snippet_escapes_and_marks():
    html = snippet("<b>客户</b>说：年费被扣两次" + "，" * 200 + "年费", ["年费"])
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.count("<mark>年费</mark>") == 1 and html.endswith("…")
    assert snippet("没有匹配的文字", ["年费"]) == "没有匹配的文字"


def test_the_export_carries_description_codes_outcome_compensation_and_handler(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = register(bank, description=f"信用卡年费重复收取，客户电话 {PHONE_IN_TEXT}，要求退还。")
        handler = bank.actor("handler")
        accept(case.pk, handler)
        svc.start_investigation(case.pk, actor=handler)
        svc.propose_solution(case.pk, actor=handler, solution="退还年费", items=[{"kind": "refund", "amount": "300"}])
        confirm_codes(case.pk, handler, business="B01", cause="C01")
        svc.respond_to_case(
            case.pk, actor=handler, outcome="upheld", reasons="重复收费属实", basis="领用合约", remedy="退还300元",
            notice=svc.Notice("sms", "经核实……", ["review", "mediation", "arbitration", "litigation"]),
        )
        login(client, "compliance1")
        r = client.get("/cases/export.xlsx?q=年费")
    assert r.status_code == 200, r.content[:300]
    sheet = Sheet(b"".join(r.streaming_content))
    header = sheet.row(1)
    for title in ("业务分类（B）", "原因分类（C）", "处理结果", "补偿金额", "投诉内容", "处理人"):
        assert title in header, header
    # Blank cells are not written: read each column by its place.
    row = {title: next((v[1] for r, v in sheet.cells.items() if r == f"{chr(65 + i)}2"), "")
           for i, title in enumerate(header)}
    assert row["业务分类（B）"].startswith("B01") and row["原因分类（C）"].startswith("C01")
    assert row["处理结果"] == "投诉成立"
    assert Decimal(row["补偿金额"]) == Decimal("300")
    assert "年费重复收取" in row["投诉内容"] and PHONE_IN_TEXT not in row["投诉内容"]
    assert row["处理人"] == str(bank.people["handler"])


def test_a_ranked_search_and_its_export_stay_within_the_readers_scope(client, bank):
    """Another branch's supervisor finds nothing of Beijing's by searching, whatever the order or export."""
    from tests.branches import add_shanghai

    add_shanghai(bank)
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        beijing = register(bank, description="信用卡年费被重复收取，要求退还")
        login(client, "shsup")
        ranked = client.get("/?q=年费&sort=relevance").content.decode()
        plain = client.get("/?q=年费").content.decode()
        export = client.get("/cases/export.xlsx?q=年费&sort=relevance")
    assert beijing.case_number not in ranked and beijing.case_number not in plain
    assert "年费被重复收取" not in ranked  # not even as a snippet
    assert beijing.case_number not in Sheet(b"".join(export.streaming_content)).cells.__repr__()
