"""Four eyes on passwords (SPEC §1, §13): an administrator who could set a colleague's password could sign
in as them and use their roles — a branch head's case content and personal data — without the second
administrator a role grant needs. A reset is asked for by one administrator, approved by another, and
its temporary password must be replaced at the first sign-in; everyone changes their own password."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.core.errors import ServiceError
from redressal.org import password_resets
from redressal.org.models import ApiToken, PasswordResetRequest, Staff
from redressal.org.services import create_staff
from tests.conftest import PASSWORD, local
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-secret-42"


@pytest.fixture
def admins(bank):
    bank.people["admin2"] = create_staff("admin2", PASSWORD, bank.ho, ["admin"])
    return bank


def staff_form(staff: Staff, **extra: str) -> dict[str, object]:
    return {
        "username": staff.username, "display_name": staff.display_name, "email": staff.email,
        "unit": staff.unit_id, "manager": staff.manager_id or "", "skills": "[]", "available": "on",
        "capacity": "40", "language": "zh-hans", "is_active": "on", **extra,
    }


def ask(client, staff: Staff, reason: str = "本人遗忘密码，电话核实身份"):
    return client.post("/admin/org/passwordresetrequest/add/", {"staff": staff.pk, "reason": reason})


def decide(client, reset: PasswordResetRequest, action: str):
    return client.post("/admin/org/passwordresetrequest/", {
        "action": action, "_selected_action": [reset.pk], "index": 0,
    }, follow=True)


def signs_in(client, username: str, password: str) -> bool:
    client.logout()
    return client.post("/login/", {"username": username, "password": password}).status_code == 302


def test_admin_cannot_set_a_branch_heads_password_in_the_staff_form(client, admins):
    """The staff form took ``new_password`` and set it: the administrator could then sign in as the
    branch head. The same request now changes nothing but the fields it may change."""
    head = admins.people["head"]
    login(client, "admin")
    form = client.get(f"/admin/org/staff/{head.pk}/change/").content.decode()
    assert 'name="new_password"' not in form and 'name="password"' not in form
    r = client.post(f"/admin/org/staff/{head.pk}/change/", staff_form(head, new_password="i-am-the-head-now-99"))
    assert r.status_code == 302, r.content.decode()[:2000]
    head.refresh_from_db()
    assert head.check_password(PASSWORD) and not head.check_password("i-am-the-head-now-99")
    assert not signs_in(client, "branchhead1", "i-am-the-head-now-99")
    # Nor through Django's own user password page, which this site does not have.
    assert client.get(f"/admin/org/staff/{head.pk}/password/").status_code in (302, 404)


def test_new_staff_has_no_password_until_a_reset_is_approved(client, admins):
    login(client, "admin")
    r = client.post("/admin/org/staff/add/", {**staff_form(admins.people["handler"], username="handler9",
                                                           display_name="新同事"),
                                               "new_password": "a-long-enough-secret-9"})
    assert r.status_code == 302, r.content.decode()[:3000]
    staff = Staff.objects.get(username="handler9")
    assert not staff.has_usable_password() and not staff.check_password("a-long-enough-secret-9")


def test_a_reset_needs_a_second_admin_and_forces_a_new_password(client, admins):
    head = admins.people["head"]
    ApiToken.objects.create(staff=head, token_hash="x" * 64, created_at=head.date_joined,
                            expires_at=head.date_joined.replace(year=2099))
    login(client, "admin")
    r = ask(client, head)
    assert r.status_code == 302, r.content.decode()[:2000]
    reset = PasswordResetRequest.objects.get()
    assert reset.status == "pending" and reset.requested_by == admins.people["admin"]
    # The requester cannot approve it: nothing changes.
    body = decide(client, reset, "approve_resets").content.decode()
    assert "密码重置须由申请人以外的另一名管理员批准" in body
    reset.refresh_from_db()
    head.refresh_from_db()
    assert reset.status == "pending" and head.check_password(PASSWORD) and not head.must_change_password

    client.logout()
    login(client, "admin2")
    r = decide(client, reset, "approve_resets")
    temporary = re.search(r'data-testid="temporary-password">([^<]+)<', r.content.decode()).group(1)
    reset.refresh_from_db()
    head.refresh_from_db()
    assert reset.status == "approved" and reset.decided_by == admins.people["admin2"]
    assert head.must_change_password and head.check_password(temporary) and not head.check_password(PASSWORD)
    assert ApiToken.objects.get(staff=head).revoked_at is not None
    assert temporary not in client.get("/admin/org/passwordresetrequest/").content.decode()  # shown once

    # Nor does it buy an API token (which the session's forced change would not stop).
    r = client.post("/api/v1/auth/token", {"username": "branchhead1", "password": temporary},
                    content_type="application/json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "password_change_required"
    assert not ApiToken.objects.filter(staff=head, revoked_at__isnull=True).exists()

    # The temporary password signs in, but the session can do nothing but choose a new password.
    assert signs_in(client, "branchhead1", temporary)
    for url in ("/", "/queue/", "/audit/", "/admin/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"] == "/account/password/", url
    r = client.get("/api/v1/cases", HTTP_ACCEPT="application/json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "password_change_required"
    page = client.get("/account/password/").content.decode()
    assert 'data-testid="password-change-required"' in page
    r = client.post("/account/password/", {"old_password": temporary, "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302 and r["Location"] == "/"
    head.refresh_from_db()
    assert not head.must_change_password and head.check_password(NEW)
    assert client.get("/queue/").status_code == 200  # the same session works now

    events = list(AuditEvent.objects.filter(type__startswith="admin.password_reset").order_by("seq")
                  .values_list("type", "actor_id"))
    assert events == [("admin.password_reset_requested", admins.people["admin"].pk),
                      ("admin.password_reset_approved", admins.people["admin2"].pk)]
    changed = AuditEvent.objects.get(type="auth.password_changed")
    assert changed.actor_id == head.pk and changed.payload == {"after_reset": True}
    stored = json.dumps(list(AuditEvent.objects.values_list("payload", flat=True)), ensure_ascii=False)
    assert temporary not in stored and NEW not in stored


def test_nobody_resets_their_own_password_in_the_admin(client, admins):
    me = admins.people["admin"]
    login(client, "admin")
    r = ask(client, me)
    assert r.status_code == 200 and "不能为本人申请、批准或驳回密码重置" in r.content.decode()
    assert not PasswordResetRequest.objects.exists()
    # A colleague's request for me: I may not approve it (I would choose my own password unseen).
    reset = password_resets.request_reset(actor=admins.actor("admin2"), staff=me, reason="遗忘密码")
    body = decide(client, reset, "approve_resets").content.decode()
    assert "不能为本人申请、批准或驳回密码重置" in body
    reset.refresh_from_db()
    me.refresh_from_db()
    assert reset.status == "pending" and me.check_password(PASSWORD) and not me.must_change_password
    with pytest.raises(ServiceError) as exc:
        password_resets.approve_reset(reset.pk, actor=admins.actor("admin"))
    assert (exc.value.code, exc.value.field) == ("reset.self", "staff")


def test_only_administrators_reset_and_a_rejected_reset_changes_nothing(admins):
    head = admins.people["head"]
    with pytest.raises(ServiceError) as exc:
        password_resets.request_reset(actor=admins.actor("senior"), staff=head, reason="x")
    assert exc.value.code == "permission_denied"
    reset = password_resets.request_reset(actor=admins.actor("admin"), staff=head, reason="遗忘密码")
    with pytest.raises(ServiceError) as exc:
        password_resets.request_reset(actor=admins.actor("admin2"), staff=head, reason="again")
    assert exc.value.code == "reset.pending"
    password_resets.reject_reset(reset.pk, actor=admins.actor("admin2"))
    with pytest.raises(ServiceError) as exc:
        password_resets.approve_reset(reset.pk, actor=admins.actor("admin2"))
    assert exc.value.code == "reset.decided"
    head.refresh_from_db()
    assert head.check_password(PASSWORD) and not head.must_change_password
    assert AuditEvent.objects.get(type="admin.password_reset_rejected").actor_id == admins.people["admin2"].pk


def test_everyone_changes_their_own_password_with_the_rules_checked(client, bank):
    login(client, "handler1")
    handler = bank.people["handler"]
    page = client.get("/account/password/").content.decode()
    assert 'name="old_password"' in page and 'name="new_password2"' in page
    refused = {
        "wrong current": {"old_password": "not-my-password", "new_password1": NEW, "new_password2": NEW},
        "too short": {"old_password": PASSWORD, "new_password1": "short-1", "new_password2": "short-1"},
        "mismatch": {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
        "all digits": {"old_password": PASSWORD, "new_password1": "20261205084512", "new_password2": "20261205084512"},
    }
    for why, data in refused.items():
        r = client.post("/account/password/", data)
        assert r.status_code == 200 and 'class="error"' in r.content.decode(), why
        handler.refresh_from_db()
        assert handler.check_password(PASSWORD), why
    assert "密码太短，至少需要 12 个字符。" in client.post("/account/password/", refused["too short"]).content.decode()
    assert not AuditEvent.objects.filter(type="auth.password_changed").exists()
    r = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302
    handler.refresh_from_db()
    assert handler.check_password(NEW)
    assert AuditEvent.objects.get(type="auth.password_changed").payload == {"after_reset": False}
    assert client.get("/queue/").status_code == 200  # still signed in
    assert signs_in(client, "handler1", NEW) and not signs_in(client, "handler1", PASSWORD)


def test_the_admin_sites_password_page_is_the_workbench_one(client, admins):
    login(client, "admin")
    r = client.get("/admin/password_change/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"


def test_a_temporary_password_not_used_in_time_opens_nothing(client, admins):
    """A temporary password lingering in a note or a chat must not sign in days later."""
    head = admins.people["head"]
    with time_machine.travel(local(2026, 3, 2, 9), tick=False) as clock:
        login(client, "admin")
        r = ask(client, head)
        assert r.status_code == 302, r.content.decode()[:3000]
        reset = PasswordResetRequest.objects.get(staff=head)
        client.logout()
        login(client, "admin2")
        page = decide(client, reset, "approve_resets").content.decode()
        temporary = re.search(r'data-testid="temporary-password">([^<]+)<', page).group(1)
        assert "72" in re.search(r'data-testid="temporary-password-hours">([^<]+)<', page).group(1)
        clock.shift(timedelta(hours=71))
        assert signs_in(client, "branchhead1", temporary)
        clock.shift(timedelta(hours=2))
        assert not signs_in(client, "branchhead1", temporary)
        r = client.post("/api/v1/auth/token", {"username": "branchhead1", "password": temporary},
                        content_type="application/json")
        assert r.status_code == 401 or r.json()["error"]["code"] == "invalid_credentials"
        # Its owner who did change it in time is no longer bound by the expiry.
    other = admins.people["handler"]
    password_resets.change_own_password(other, NEW)
    other.refresh_from_db()
    assert other.temporary_password_expires_at is None and not other.must_change_password
