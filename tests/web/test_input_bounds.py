"""Stored rows never break a page, and the workbench refuses input no field can hold (Pilot-ready
items 1, 10, 12): money at and past the column's limit, extreme dates, oversized lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.db import DataError, connection, transaction

from redressal.cases import services as svc
from redressal.cases.models import Case, Proposal
from tests.conftest import local
from tests.web.test_approvals import investigating
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

T0 = local(2026, 1, 5, 10, 0)
ITEM = "999999999999999.99"  # the largest single item; ten of them and ¥0.09 reach the column's limit


def proposed_at_limit(bank):
    case = investigating(bank)
    items = [{"kind": "compensation", "amount": ITEM, "description": "补偿"}] * 10
    svc.propose_solution(case.pk, actor=bank.actor("handler"), solution="赔偿",
                         items=[*items, {"kind": "goodwill", "amount": "0.09"}])
    return case


def test_proposal_at_the_column_limit_is_listed_shown_and_decided(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposed_at_limit(bank)
        assert Proposal.objects.get(case=case).status == "pending"
        login(client, "senior1")
        r = client.get("/approvals/")
        assert r.status_code == 200
        assert f'data-case="{case.case_number}"' in r.content.decode()
        assert client.get(f"/cases/{case.pk}/").status_code == 200
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "approve", "reason": "同意"})
    assert r.status_code == 302
    assert Proposal.objects.get(case=case).status == "approved"
    if connection.vendor == "postgresql":  # SQLite keeps 15 significant digits; PostgreSQL every one
        assert Proposal.objects.get(case=case).total == Decimal("9999999999999999.99")


def _overflow_total(case) -> None:
    """What the tester's 50 items left behind: a total written past the column's 18 digits."""
    sql = "UPDATE cases_proposal SET total = %s WHERE case_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, ["49999999999999999.50", case.pk])


def test_a_stored_total_past_the_column_breaks_no_page(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposed_at_limit(bank)
        if connection.vendor == "postgresql":
            # The database itself refuses the value: no such row can exist there.
            with pytest.raises(DataError), transaction.atomic():
                _overflow_total(case)
            return
        _overflow_total(case)
        assert Proposal.objects.get(case=case).total == Decimal("5E+16")
        for who in ("supervisor1", "branchhead1", "senior1"):
            login(client, who)
            assert client.get("/approvals/").status_code == 200, who
            assert client.get(f"/cases/{case.pk}/").status_code == 200, who
        r = client.post("/approvals/proposal/", {"case_id": case.pk, "decision": "reject", "reason": "金额有误"})
    assert r.status_code == 302
    assert Proposal.objects.get(case=case).status == "rejected"
    assert Case.objects.get(pk=case.pk).status == "investigating"


def test_a_withdrawn_cases_proposal_leaves_the_inbox(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposed_at_limit(bank)
        svc.withdraw_case(case.pk, actor=bank.actor("handler"), reason="客户撤回")
        login(client, "senior1")
        r = client.get("/approvals/")
    assert r.status_code == 200
    assert f'data-case="{case.case_number}"' not in r.content.decode()


# --- item 10: dates ------------------------------------------------------------------------------

EXTREME = ["0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", EXTREME)
@pytest.mark.parametrize("param", ["received_from", "received_to"])
@pytest.mark.parametrize("path", ["/", "/queue/"])
def test_case_lists_refuse_a_date_out_of_range_on_the_field(client, bank, path, param, day):
    login(client, "handler1")
    r = client.get(path, {param: day})
    assert r.status_code == 422
    assert f'id="err-{param}"' in r.content.decode()


@pytest.mark.parametrize("day", EXTREME)
@pytest.mark.parametrize("param", ["received_from", "received_to"])
@pytest.mark.parametrize(("path", "back"), [("/cases/export.xlsx", "/"), ("/queue/export.xlsx", "/queue/")])
def test_exports_send_a_date_out_of_range_back_to_the_list(client, bank, path, back, param, day):
    login(client, "handler1")
    r = client.get(path, {param: day})
    assert r.status_code == 302 and r["Location"].startswith(f"{back}?")
    assert client.get(r["Location"]).status_code == 422


@pytest.mark.parametrize("day", EXTREME)
@pytest.mark.parametrize("param", ["date_from", "date_to"])
@pytest.mark.parametrize("export", [{}, {"export": "xlsx"}])
def test_audit_search_refuses_a_date_out_of_range_on_the_field(client, bank, param, day, export):
    login(client, "auditor1")
    r = client.get("/audit/", {param: day, **export})
    assert r.status_code == 422
    assert f'data-field="{param}"' in r.content.decode()


REGISTER = {"request_type": "complaint", "channel": "regulator", "source": "regulator_forwarded",
            "cust_kind": "individual", "attachment_kind": "written", "complainant_name": "赵六",
            "description": "信用卡年费被重复收取两次，要求退还。", "regulator": "NFRA_LOCAL",
            "regulator_case_number": "JG-2026-001", "received_at": "2026-01-05T09:00"}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"forwarded_at": "2026-01-05T11:00"}, "forwarded_at"),
        ({"forwarded_at": "9999-12-31T23:59"}, "forwarded_at"),
        ({"regulator_received_at": "1989-12-31T09:00"}, "regulator_received_at"),
        ({"regulator_received_at": "0001-01-01T00:00"}, "regulator_received_at"),
        ({"regulator_received_at": "2026-01-06T09:00"}, "regulator_received_at"),
        ({"received_at": "0001-01-01T00:00"}, "received_at"),
        ({"cust_name": "李四", "cust_id_number": "110101209912311234"}, "cust_id_number"),
    ],
)
def test_registration_refuses_impossible_dates_on_the_field(client, bank, extra, field):
    with time_machine.travel(T0, tick=False):
        login(client, "agent1")
        r = client.post("/register/", {**REGISTER, **extra})
    assert r.status_code == 422, r.content.decode()[:500]
    assert f'id="err-{field}"' in r.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_review_request_refuses_a_date_out_of_range(client, bank, day):
    from tests.flows import accept_and_respond
    from tests.services.test_lifecycle import register

    with time_machine.travel(T0, tick=False):
        case = register(bank)
        accept_and_respond(case.pk, bank.actor("handler"))
        login(client, "supervisor1")
        r = client.post("/reviews/", {"case_number": case.case_number, "reason": "不服处理结果", "received_at": day})
    assert r.status_code == 422, r.content.decode()[:500]
    assert "2999-12-31" in r.content.decode()  # the message says which days are taken


# --- item 12: lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("demand", [["refund", "refund"], ["refund"] * 2000])
def test_registration_refuses_a_repeated_or_oversized_demand_list(client, bank, demand):
    with time_machine.travel(T0, tick=False):
        login(client, "agent1")
        r = client.post("/register/", {**REGISTER, "source": "customer", "channel": "hotline", "demand": demand})
    assert r.status_code in (400, 422)
    assert not Case.objects.exists()
    if r.status_code == 422:  # past Django's 1,000 fields the request is refused whole, with a 400
        assert 'id="err-demand"' in r.content.decode()


def test_registration_takes_at_most_ten_attachments(client, bank):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"r{i}.pdf", b"%PDF-1.4 x", content_type="application/pdf") for i in range(11)]
    with time_machine.travel(T0, tick=False):
        login(client, "handler1")  # one who may add evidence
        r = client.post("/register/", {**REGISTER, "source": "customer", "channel": "hotline", "attachments": files})
    assert r.status_code == 422
    assert 'id="err-attachments"' in r.content.decode()
    assert not Case.objects.exists()


def test_stored_oversized_lists_do_not_swell_the_pages(client, bank):
    with time_machine.travel(T0, tick=False):
        case = proposed_at_limit(bank)
        # Rows written before the bounds: a demand list and a proposal's items far past them.
        Case.objects.filter(pk=case.pk).update(demand=["refund", "apology"] * 50_000)
        items = [{"kind": "goodwill", "amount": "1.00", "description": "补偿"}] * 50_000
        Proposal.objects.filter(case=case).update(items=items)
        login(client, "senior1")
        page = client.get(f"/cases/{case.pk}/")
        inbox = client.get("/approvals/")
    assert page.status_code == 200 and inbox.status_code == 200
    body = page.content.decode()
    assert body.count("退款") < 5 and len(body) < 500_000
    row = inbox.content.decode().split(f'data-case="{case.case_number}"')[1].split("</tr>")[0]
    assert row.count("<li>") == 20
