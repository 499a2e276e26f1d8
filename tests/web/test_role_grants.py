"""Four eyes on role grants (SPEC §1, §13): an administrator cannot give itself (or anyone, alone) a role
that opens case content or personal data; a second administrator approves; every step is audited."""

from __future__ import annotations

import pytest

from redressal.audit.models import AuditEvent
from redressal.core.errors import ServiceError
from redressal.org import grants
from redressal.org.models import RoleAssignment, RoleGrantRequest
from redressal.org.services import create_staff
from tests.conftest import PASSWORD
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(bank):
    """The bank's administrator and a second one (created on the system path, as the seeder does)."""
    bank.people["admin2"] = create_staff("admin2", PASSWORD, bank.ho, ["admin"])
    return bank


def roles_of(staff) -> set[tuple[str, str]]:
    return set(RoleAssignment.objects.filter(staff=staff).values_list("role", "unit__code"))


def ask(client, staff, role: str, unit, reason: str = "新岗位需要"):
    return client.post("/admin/org/rolegrantrequest/add/", {
        "staff": staff.pk, "role": role, "unit": unit.pk, "include_subtree": "on", "reason": reason,
    })


def decide(client, grant: RoleGrantRequest, action: str):
    return client.post("/admin/org/rolegrantrequest/", {
        "action": action, "_selected_action": [grant.pk], "index": 0,
    }, follow=True)


def test_admin_cannot_give_itself_a_case_role_in_the_admin_site(client, admins):
    me = admins.people["admin"]
    login(client, "admin")
    r = ask(client, me, "branch_head", admins.ho)
    assert r.status_code == 200 and "不能为本人申请、批准或驳回角色授权" in r.content.decode()
    assert not RoleGrantRequest.objects.exists()
    # Nor directly, past the requests: held roles are read-only in the admin.
    r = client.post("/admin/org/roleassignment/add/", {
        "staff": me.pk, "role": "branch_head", "unit": admins.ho.pk, "include_subtree": "on",
    })
    assert r.status_code == 403
    ra = RoleAssignment.objects.get(staff=me)
    r = client.post(f"/admin/org/roleassignment/{ra.pk}/change/", {
        "staff": me.pk, "role": "branch_head", "unit": admins.ho.pk, "include_subtree": "on",
    })
    assert r.status_code == 403
    assert roles_of(me) == {("admin", "HO")}


def test_admin_cannot_give_itself_a_role_through_the_service(admins):
    me = admins.people["admin"]
    with pytest.raises(ServiceError) as exc:
        grants.request_grant(actor=admins.actor("admin"), staff=me, role="compliance", unit=admins.ho, reason="自用")
    assert (exc.value.code, exc.value.field) == ("grant.self", "staff")
    # A colleague's request for me is refused when I try to approve it myself.
    grant = grants.request_grant(actor=admins.actor("admin2"), staff=me, role="auditor", unit=admins.ho,
                                 reason="年度审计")
    with pytest.raises(ServiceError) as exc:
        grants.approve_grant(grant.pk, actor=admins.actor("admin"))
    assert exc.value.code == "grant.self"
    assert roles_of(me) == {("admin", "HO")}


def test_a_request_takes_effect_only_when_a_second_admin_approves(client, admins):
    agent = admins.people["agent"]
    login(client, "admin")
    r = ask(client, agent, "handler", admins.branch)
    assert r.status_code == 302, r.content.decode()[:2000]
    grant = RoleGrantRequest.objects.get()
    assert grant.status == "pending" and grant.requested_by == admins.people["admin"]
    assert ("handler", "BJ") not in roles_of(agent)
    pending = client.get("/admin/org/rolegrantrequest/?status__exact=pending").content.decode()
    assert "投诉处理专员" in pending and "待批准" in pending
    # The requester's own approval is refused, and changes nothing.
    body = decide(client, grant, "approve_requests").content.decode()
    assert "角色授权须由申请人以外的另一名管理员批准" in body
    grant.refresh_from_db()
    assert grant.status == "pending" and ("handler", "BJ") not in roles_of(agent)
    client.logout()
    login(client, "admin2")
    body = decide(client, grant, "approve_requests").content.decode()
    assert "已批准" in body
    assert "· 投诉处理专员 ·" in body and "· handler ·" not in body  # the request named by its role's name
    grant.refresh_from_db()
    assert grant.status == "approved" and grant.decided_by == admins.people["admin2"]
    assert ("handler", "BJ") in roles_of(agent)
    types = list(AuditEvent.objects.filter(object_type="org.rolegrantrequest").order_by("seq")
                 .values_list("type", "actor_id"))
    assert types == [("admin.role_grant_requested", admins.people["admin"].pk),
                     ("admin.role_grant_approved", admins.people["admin2"].pk)]


def test_rejection_is_audited_and_grants_nothing(admins):
    agent = admins.people["agent"]
    grant = grants.request_grant(actor=admins.actor("admin"), staff=agent, role="supervisor", unit=admins.branch,
                                 reason="代理主管")
    grants.reject_grant(grant.pk, actor=admins.actor("admin2"), reason="无需")
    with pytest.raises(ServiceError) as exc:
        grants.approve_grant(grant.pk, actor=admins.actor("admin2"))
    assert exc.value.code == "grant.decided"
    assert ("supervisor", "BJ") not in roles_of(agent)
    event = AuditEvent.objects.get(type="admin.role_grant_rejected")
    assert event.actor_id == admins.people["admin2"].pk and event.payload["role"] == "supervisor"


def test_only_administrators_request_or_approve(admins):
    with pytest.raises(ServiceError) as exc:
        grants.request_grant(actor=admins.actor("head"), staff=admins.people["agent"], role="handler",
                             unit=admins.branch, reason="x")
    assert exc.value.code == "permission_denied"
    grant = grants.request_grant(actor=admins.actor("admin"), staff=admins.people["agent"], role="handler",
                                 unit=admins.branch, reason="新岗位")
    with pytest.raises(ServiceError):
        grants.approve_grant(grant.pk, actor=admins.actor("senior"))
    assert not RoleAssignment.objects.filter(staff=admins.people["agent"], role="handler").exists()
