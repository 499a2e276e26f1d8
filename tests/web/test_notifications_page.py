"""The notification centre, the header badge and the idle-timeout hooks."""

from __future__ import annotations

import pytest

from redressal.cases import services as svc
from redressal.notify.models import StaffNotification
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


def assigned_twice(bank):
    a, b = register(bank), register(bank)
    for case in (a, b):
        svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="handler1")
    return a, b


@pytest.mark.parametrize("who", ["handler1", "supervisor1", "collab1", "admin", "auditor1"])
def test_every_signed_in_role_has_a_notification_centre(client, bank, who):
    login(client, who)
    r = client.get("/notifications/")
    assert r.status_code == 200 and 'data-testid="notif-badge"' in r.content.decode()


def test_anonymous_is_sent_to_login(client, bank):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/badge/").status_code == 302


def test_badge_counts_unread_and_list_links_to_cases(client, bank):
    a, b = assigned_twice(bank)
    login(client, "handler1")
    body = client.get("/").content.decode()
    badge = body.split('<a id="notif-badge"')[1].split("</a>")[0]
    assert '<span class="count">2</span>' in badge
    page = client.get("/notifications/").content.decode()
    assert f'href="/cases/{a.pk}/"' in page and f'href="/cases/{b.pk}/"' in page
    assert "分派" in page


def test_mark_one_read_then_all(client, bank):
    assigned_twice(bank)
    login(client, "handler1")
    first = StaffNotification.objects.filter(recipient=bank.people["handler"]).order_by("pk").first()
    r = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/"})
    assert r.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert '<span class="count">1</span>' in client.get("/notifications/badge/").content.decode()
    assert client.post("/notifications/read-all/").status_code == 302
    assert not StaffNotification.objects.filter(recipient=bank.people["handler"], read_at__isnull=True).exists()
    assert 'class="count"' not in client.get("/notifications/badge/").content.decode()


def test_someone_elses_notification_cannot_be_marked(client, bank):
    assigned_twice(bank)
    theirs = StaffNotification.objects.filter(recipient=bank.people["handler"]).first()
    login(client, "handler2")
    client.post(f"/notifications/{theirs.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "TS" not in client.get("/notifications/").content.decode().split('data-testid="notifications"')[1]


def test_mark_read_refuses_get_and_an_open_redirect(client, bank):
    assigned_twice(bank)
    login(client, "handler1")
    n = StaffNotification.objects.filter(recipient=bank.people["handler"]).first()
    assert client.get(f"/notifications/{n.pk}/read/").status_code == 405
    r = client.post(f"/notifications/{n.pk}/read/", {"next": "//evil.example/"})
    assert r["Location"] == "/notifications/"


def test_badge_poll_does_not_keep_an_idle_session_alive(client, bank, settings):
    import time_machine

    from tests.conftest import local

    settings.SESSION_IDLE_TIMEOUT = 600
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False) as t:
        login(client, "handler1")
        body = client.get("/notifications/").content.decode()
        assert 'data-idle-seconds="600"' in body and 'data-ping-url="/session/ping/"' in body
        t.shift(500)
        assert client.get("/notifications/badge/", headers={"X-Idle-Passive": "1"}).status_code == 200
        t.shift(200)  # 700 s after the last real request
        assert client.get("/notifications/").status_code == 302  # signed out


def test_stay_signed_in_ping_keeps_the_session(client, bank, settings):
    import time_machine

    from tests.conftest import local

    settings.SESSION_IDLE_TIMEOUT = 600
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False) as t:
        login(client, "handler1")
        t.shift(550)
        assert client.post("/session/ping/").json() == {"ok": True}
        t.shift(550)
        assert client.get("/notifications/").status_code == 200
        assert client.get("/session/ping/").status_code == 405


def test_notifications_in_english(client, bank):
    assigned_twice(bank)
    login(client, "handler1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/notifications/").content.decode()
    assert 'lang="en"' in body and "Assigned" in body


def test_a_collaborators_task_notification_links_to_the_task_list_not_the_case(client, bank):
    from tests.flows import accept

    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    svc.open_task(case.pk, actor=bank.actor("handler"), department_code="TECH", title="调取日志", request="请提供日志")
    login(client, "collab1")
    page = client.get("/notifications/").content.decode().split('data-testid="notifications"')[1]
    assert 'href="/tasks/"' in page and f"/cases/{case.pk}/" not in page


def test_reading_pages_does_not_write_the_session_each_time(client, bank, settings):
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import local

    settings.SESSION_IDLE_TIMEOUT = 600
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False) as t:
        login(client, "handler1")
        client.get("/notifications/")
        t.shift(10)
        with CaptureQueriesContext(connection) as q:
            assert client.get("/notifications/").status_code == 200
        assert not [x for x in q.captured_queries if x["sql"].startswith("UPDATE") and "django_session" in x["sql"]]
        t.shift(590)  # 600 s after login, 590 s after the last recorded activity (stamped at most 30 s apart)
        assert client.get("/notifications/").status_code == 200
        t.shift(601)
        assert client.get("/notifications/").status_code == 302  # idle for longer than the timeout: signed out


def test_a_case_notification_carries_the_case_number_without_the_caller_repeating_it(bank):
    from redressal.notify.services import notify_staff

    case = register(bank)
    handler = bank.people["handler"].pk
    notify_staff([handler], "task", "x", case=case, payload={"title": "调取日志"})
    notify_staff([handler], "calendar_unconfirmed", "y", payload={"year": 2027})
    by_kind = {n.kind: n.payload for n in StaffNotification.objects.filter(recipient_id=handler)}
    assert by_kind["task"] == {"case_number": case.case_number, "title": "调取日志"}
    assert by_kind["calendar_unconfirmed"] == {"year": 2027}  # no case, no number


def test_deadline_notifications_count_to_the_due_moment_in_shanghai_time_grouped_by_case(client, bank):
    from datetime import timedelta

    import time_machine

    from redressal.cases.services.warnings import sweep_warnings
    from tests.conftest import local
    from tests.flows import accept

    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        a = register(bank)
        accept(a.pk, bank.actor("handler"))
        t.move_to(local(2024, 9, 21, 12))
        b = register(bank)
        accept(b.pk, bank.actor("handler"))
        moments = dict(a.warnings.filter(deadline_kind="decision").values_list("label", "fire_at"))
        for label in ("50%", "80%", "2d", "breach"):
            t.move_to(moments[label] + timedelta(seconds=40))
            sweep_warnings()
        t.move_to(moments["breach"] + timedelta(days=3, hours=2))
        sweep_warnings()
        login(client, "handler1")
        r = client.get("/notifications/")
    body = r.content.decode()
    assert moments["breach"] == local(2024, 10, 6)  # 2024-10-05 16:00 UTC
    assert f"{a.case_number}：处理决定并告知时限距到期 2 天，到期 2024-10-05 24:00" in body
    assert f"{a.case_number}：处理决定并告知时限已超时 3 天" in body
    assert "时限已用" not in body and "2024-10-05 16:00" not in body
    groups = r.context["groups"]
    cases = [g["case"].pk for g in groups if g["case"] is not None]
    assert len(cases) == len(set(cases)) and set(cases) == {a.pk, b.pk}  # one group per case
    newest = [max(row["n"].created_at for row in g["rows"]) for g in groups]
    assert newest == sorted(newest, reverse=True)  # the group with the newest first
    for g in groups:
        stamps = [row["n"].created_at for row in g["rows"]]
        assert stamps == sorted(stamps, reverse=True)
    a_stamps = {row["n"].created_at for g in groups if g["case"] and g["case"].pk == a.pk for row in g["rows"]}
    assert {moments[label] for label in ("50%", "80%", "2d")} <= a_stamps  # each at its own moment


def test_the_notification_list_pages_on_the_moment_each_is_about(client, bank, monkeypatch):
    from datetime import timedelta

    from redressal.notify import inbox
    from tests.conftest import local

    handler = bank.people["handler"]
    base = local(2024, 9, 20, 12)
    # Written out of order: a later row about an earlier moment (a warning delivered late).
    for i, hours in enumerate([5, 1, 3, 4, 2]):
        StaffNotification.objects.create(
            recipient=handler, kind="assignment", message=f"m{i}", created_at=base + timedelta(hours=hours)
        )
    monkeypatch.setattr(inbox, "PAGE", 2)
    login(client, "handler1")
    seen = []
    url = "/notifications/"
    while url:
        r = client.get(url)
        seen += [row["n"].created_at for g in r.context["groups"] for row in g["rows"]]
        url = f"/notifications/?before={r.context['next_before']}" if r.context["next_before"] else ""
    assert seen == [base + timedelta(hours=h) for h in (5, 4, 3, 2, 1)]
    assert client.get("/notifications/", {"before": "x~1"}).status_code == 200  # a bad cursor: first page
