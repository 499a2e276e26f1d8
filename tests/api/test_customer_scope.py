"""Customer scope (SPEC §1, §13; customers.scope): nothing a member of staff can do themselves opens
another branch's customers, and a grant without its subtree reaches its own unit only.

The attack these reproduce: a branch head of branch A is refused the reveal of a customer of branch B,
registers a case naming that customer's id, and the reveal then answered the ID number; customer ids
are sequential and ``GET /customers?card_tail=`` listed every branch's customers with names.
"""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case
from redressal.customers.services import CustomerInput
from redressal.org.models import RoleAssignment
from redressal.org.services import create_staff, create_unit
from tests.conftest import PASSWORD, local
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

NOW = local(2024, 9, 10, 10, 0)
PHONE, ID_NUMBER, CARD = "13812345678", "110101198001011234", "6222021234567890123"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other_branch(bank):
    """Branch A (Shanghai) with its own head and teller; the bank fixture's BJ is branch B."""
    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    sh01 = create_unit("SH01", "上海浦东支行", "outlet", sh)
    create_staff("shhead", PASSWORD, sh, ["branch_head"])
    create_staff("shteller", PASSWORD, sh01, ["agent"])
    return sh


def bj_customer_case(bank) -> Case:
    """A case of branch B's customer, registered by B's own agent."""
    return svc.register_case(
        svc.RegisterInput(
            request_type="complaint",
            channel="hotline",
            description="信用卡年费被重复收取两次，要求退还。",
            customer=CustomerInput(name="王秀英", phone=PHONE, id_number=ID_NUMBER, card_number=CARD),
        ),
        actor=bank.actor("agent"),
    )


def register_body(customer_id: int) -> dict:
    return {"request_type": "complaint", "channel": "counter", "description": "客户到柜台反映年费问题。",
            "customer_id": customer_id}


def test_registering_a_case_does_not_open_another_branchs_customer(bank, other_branch, api_as, frozen):
    customer_id = bj_customer_case(bank).customer_id
    attacker = api_as("shhead")
    reveal = {"field": "id_number", "reason": "核实身份"}

    refused = attacker.post(f"/customers/{customer_id}/reveal", reveal)
    assert refused.status_code == 404, refused.content
    # The same answer as for an id that does not exist: ids are no oracle.
    missing = attacker.post(f"/customers/{customer_id + 1000}/reveal", reveal)
    assert (missing.status_code, missing.json()) == (404, refused.json())

    before = Case.objects.count()
    r = attacker.post("/cases", register_body(customer_id))
    assert r.status_code == 404 and r.json()["error"]["field"] == "customer_id", r.content
    r_missing = attacker.post("/cases", register_body(customer_id + 1000))
    assert (r_missing.status_code, r_missing.json()) == (404, r.json())
    assert Case.objects.count() == before  # nothing stored

    again = attacker.post(f"/customers/{customer_id}/reveal", reveal)
    assert again.status_code == 404 and ID_NUMBER not in again.content.decode()

    # The branch's own head reveals, and B's own staff register for the customer.
    assert api_as("branchhead1").post(f"/customers/{customer_id}/reveal", reveal).json()["value"] == ID_NUMBER
    assert api_as("agent1").post("/cases", register_body(customer_id)).status_code == 201


def test_a_case_registered_by_someone_else_does_not_widen_the_reveal(bank, other_branch, api_as, frozen):
    """Even a case of B's customer that lands in branch A (registered there by head-office staff) lets
    A's head find the customer for that case but not see B's customer's personal data in clear."""
    customer_id = bj_customer_case(bank).customer_id
    create_staff("hoagent", PASSWORD, bank.ho, ["agent"])
    r = api_as("hoagent").post("/cases", {**register_body(customer_id), "unit": "SH"})
    assert r.status_code == 201, r.content
    attacker = api_as("shhead")
    assert attacker.get(f"/cases/{r.json()['id']}").json()["customer"]["can_reveal"] is False
    assert attacker.post(f"/customers/{customer_id}/reveal", {"field": "phone", "reason": "x"}).status_code == 404


def test_lookups_list_only_customers_the_caller_may_find(bank, other_branch, api_as, frozen):
    case = bj_customer_case(bank)
    tail = CARD[-4:]
    for username in ("shhead", "shteller"):
        api = api_as(username)
        for params in ({"card_tail": tail}, {"phone": PHONE}, {"id_number": ID_NUMBER}):
            r = api.get("/customers", **params)
            assert r.status_code == 200 and r.json() == [], (username, params, r.content)
    # Branch B's own staff (at the branch and at its outlet) and the head office find the customer.
    for username in ("agent1", "teller1", "compliance1"):
        found = api_as(username).get("/customers", card_tail=tail).json()
        assert [c["id"] for c in found] == [case.customer_id], username
        assert found[0]["name"] == "王秀英"


def test_the_registration_forms_lookup_and_pick_are_scoped(client, bank, other_branch, frozen):
    case = bj_customer_case(bank)
    login(client, "shteller")
    for by, value in (("card_tail", CARD[-4:]), ("phone", PHONE), ("id_number", ID_NUMBER)):
        r = client.get("/register/lookup/", {"by": by, "value": value}, headers={"HX-Request": "true"})
        assert r.status_code == 200 and "王秀英" not in r.content.decode(), by
    picked = client.get(f"/register/customer/{case.customer_id}/")
    assert picked.status_code == 404 and "王秀英" not in picked.content.decode()
    r = client.post("/register/", {"request_type": "complaint", "channel": "counter", "source": "customer",
                                   "cust_kind": "individual", "attachment_kind": "written",
                                   "description": "客户到柜台反映年费问题。", "customer_id": str(case.customer_id)})
    assert r.status_code == 404 and "王秀英" not in r.content.decode()
    assert Case.objects.count() == 1


@pytest.fixture
def narrow_head(bank):
    """A head-office branch head whose grant does not include the subtree: the head office's own cases."""
    staff = create_staff("honarrow", PASSWORD, bank.ho, [])
    RoleAssignment.objects.create(staff=staff, role="branch_head", unit=bank.ho, include_subtree=False)
    return staff


def test_a_grant_without_its_subtree_reaches_its_own_unit_only(client, bank, narrow_head, api_as, frozen):
    below = bj_customer_case(bank)  # in BJ, below the head office
    own = svc.register_case(
        svc.RegisterInput(request_type="complaint", channel="letter", description="总行直接受理的投诉。",
                          complainant_name="李四", unit_code="HO"),
        actor=bank.actor("hosup"),
    )
    api = api_as("honarrow")
    listed = api.get("/cases").json()
    assert [c["case_number"] for c in listed["items"]] == [own.case_number]
    assert api.get(f"/cases/{below.pk}").status_code == 403
    assert api.get(f"/cases/{own.pk}").status_code == 200
    assert api.get("/customers", card_tail=CARD[-4:]).json() == []
    r = api.post(f"/customers/{below.customer_id}/reveal", {"field": "phone", "reason": "核实"})
    assert r.status_code == 404

    login(client, "honarrow")
    body = client.get("/").content.decode()
    assert own.case_number in body and below.case_number not in body
    assert client.get(f"/cases/{below.pk}/").status_code == 403



def test_the_migration_gives_existing_customers_the_branch_of_their_first_case(bank, frozen):
    import importlib

    from django.apps import apps

    from redressal.customers.models import Customer

    migration = importlib.import_module("redressal.customers.migrations.0002_customer_home_unit")
    outlet_case = svc.register_case(
        svc.RegisterInput(request_type="complaint", channel="counter", description="柜台投诉。",
                          customer=CustomerInput(name="李四", phone="13900001111")),
        actor=bank.actor("teller"),
    )
    ho_case = svc.register_case(
        svc.RegisterInput(request_type="complaint", channel="letter", description="总行来信。", unit_code="HO",
                          customer=CustomerInput(name="赵六", phone="13900002222")),
        actor=bank.actor("hosup"),
    )
    lonely = Customer.objects.create(customer_no="C-LONELY", name="钱七")
    created = dict(Customer.objects.values_list("pk", "home_unit__code"))
    # Registration already sets it: the outlet's case makes a customer of its branch.
    assert created == {outlet_case.customer_id: "BJ", ho_case.customer_id: "HO", lonely.pk: None}
    Customer.objects.update(home_unit=None)
    migration.backfill_home_units(apps, None)
    homes = dict(Customer.objects.values_list("pk", "home_unit__code"))
    assert homes == {outlet_case.customer_id: "BJ", ho_case.customer_id: "HO", lonely.pk: None}
