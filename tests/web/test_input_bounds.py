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
