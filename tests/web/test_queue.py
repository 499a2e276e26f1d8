"""My queue and the all-cases list: scoping, order, filters, keyset paging, saved filters, English."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case
from redressal.web.models import SavedFilter
from tests.conftest import local
from tests.flows import accept
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


def assigned(bank, n: int, **kw):
    """n complaints registered and accepted by handler1 (accepting assigns them to the handler)."""
    out = []
    for i in range(n):
        case = register(bank, description=f"第{i}件 信用卡年费", **kw)
        accept(case.pk, bank.actor("handler"))
        out.append(case)
    return out


def test_queue_shows_my_open_cases_nearest_deadline_first(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False) as t:
        first = assigned(bank, 1)[0]
        t.shift(86400 * 2)
        second = assigned(bank, 1)[0]
        other = register(bank)  # not accepted: nobody's queue
        login(client, "handler1")
        r = client.get("/queue/")
    body = r.content.decode()
    assert r.status_code == 200
    assert first.case_number in body and second.case_number in body
    assert other.case_number not in body
    assert body.index(first.case_number) < body.index(second.case_number)
    assert 'data-due="2024-10-0' in body  # ISO 8601, read by queue.js
    assert "data-due=" in body and "countdown" in body


def test_queue_is_for_handlers_only(client, bank):
    login(client, "agent1")
    assert client.get("/queue/").status_code == 403
    client.logout()
    login(client, "auditor1")
    assert client.get("/queue/").status_code == 403
    assert client.get("/").status_code == 200  # all cases: any case.read role


def test_all_cases_is_scoped_and_refused_without_case_read(client, bank):
    case = register(bank)
    login(client, "teller1")  # an agent at the outlet: the branch's case is outside the outlet
    assert case.case_number not in client.get("/").content.decode()
    client.logout()
    login(client, "supervisor1")
    assert case.case_number in client.get("/").content.decode()
    client.logout()
    login(client, "collab1")
    r = client.get("/")
    assert r.status_code in (302, 403)
    assert case.case_number not in r.content.decode()
    assert client.get("/cases/export.xlsx").status_code == 403


def test_filters_narrow_the_list(client, bank):
    complaint = register(bank, channel="counter", product="信用卡")
    consultation = register(bank, request_type="consultation", channel="hotline", product="理财")
    login(client, "supervisor1")
    body = client.get("/", {"channel": "counter"}).content.decode()
    assert complaint.case_number in body and consultation.case_number not in body
    body = client.get("/", {"request_type": "consultation"}).content.decode()
    assert consultation.case_number in body and complaint.case_number not in body
    body = client.get("/", {"product": "理财"}).content.decode()
    assert consultation.case_number in body and complaint.case_number not in body
    body = client.get("/", {"q": complaint.case_number}).content.decode()
    assert complaint.case_number in body and consultation.case_number not in body


def test_overdue_and_at_risk(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False) as t:
        late = register(bank)
        t.shift(86400 * 13)  # decision due 2024-10-05 24:00; 80 % has come, not breached
        fresh = register(bank)
        login(client, "supervisor1")
        body = client.get("/", {"at_risk": "on"}).content.decode()
        assert late.case_number in body and fresh.case_number not in body
        assert "level-w80" in body or "level-w2d" in body
        t.shift(86400 * 5)
        client.logout()
        login(client, "supervisor1")  # the idle timeout ended the first session
        body = client.get("/", {"overdue": "on"}).content.decode()
        assert late.case_number in body and fresh.case_number not in body
        assert "level-breached" in body


def countdown_level(client, number: str) -> str:
    """The colour of this case's countdown in the all-cases list, read afresh (the idle timeout ends
    a session across the days the tests travel)."""
    client.logout()
    login(client, "supervisor1")
    row = client.get("/").content.decode().split(number, 1)[1].split("</tr>", 1)[0]
    return row.split('class="countdown level-', 1)[1].split('"', 1)[0]


def test_the_countdown_colours_by_stage_under_another_profile(client, bank, test_90_profile):
    received = local(2024, 9, 20, 0)  # due 10-06 00:00: 75 % at 10-02 00:00, 90 % at 10-04 09:36, 1d 10-05
    with time_machine.travel(received, tick=False) as t:
        case = test_90_profile(register(bank), received)
        t.move_to(local(2024, 10, 3, 12))  # 75 % has come: still early
        assert countdown_level(client, case.case_number) == "w50"
        t.move_to(local(2024, 10, 4, 12))  # 90 % has come: at risk by share of the period
        assert countdown_level(client, case.case_number) == "w80"
        t.move_to(local(2024, 10, 5, 12))  # a day before due: at risk by days
        assert countdown_level(client, case.case_number) == "w2d"


def test_invalid_filter_names_the_field(client, bank):
    login(client, "supervisor1")
    r = client.get("/", {"received_from": "2024-10-02", "received_to": "2024-10-01"})
    assert r.status_code == 422
    assert 'id="err-received_to"' in r.content.decode()
    r = client.get("/", {"priority": "P9"})
    assert r.status_code == 422 and 'id="err-priority"' in r.content.decode()


def test_keyset_paging_walks_forward_and_back(client, bank, monkeypatch):
    from redressal.web.views import queue as queue_view

    monkeypatch.setattr(queue_view, "PAGE_SIZE", 2)
    cases = [*assigned(bank, 3), register(bank, request_type="consultation")]  # no due moment: last
    svc.assign_case(cases[3].pk, actor=bank.actor("sup"), assignee="handler1")
    login(client, "handler1")
    r1 = client.get("/queue/")
    page1 = r1.context["rows"]
    assert len(page1) == 2 and r1.context["next_url"] and not r1.context["prev_url"]
    r2 = client.get("/queue/" + r1.context["next_url"])
    page2 = r2.context["rows"]
    assert len(page2) == 2 and not r2.context["next_url"] and r2.context["prev_url"]
    seen = [row["case"].pk for row in page1 + page2]
    assert sorted(seen) == sorted(c.pk for c in cases)
    assert seen[-1] == cases[3].pk
    back = client.get("/queue/" + r2.context["prev_url"])
    assert [row["case"].pk for row in back.context["rows"]] == [row["case"].pk for row in page1]
    assert client.get("/queue/", {"after": "garbage"}).status_code == 200  # a bad cursor: first page


def test_saved_filters_save_apply_delete(client, bank):
    login(client, "supervisor1")
    r = client.post("/filters/save/", {"view": "all", "name": "柜台", "query": "channel=counter"})
    assert r.status_code == 302 and r["Location"].endswith("?channel=counter")
    body = client.get("/").content.decode()
    assert "柜台" in body and "?channel=counter" in body
    saved = SavedFilter.objects.get(name="柜台")
    client.logout()
    login(client, "handler1")
    assert client.post(f"/filters/{saved.pk}/delete/", {"view": "all"}).status_code == 404  # not theirs
    client.logout()
    login(client, "supervisor1")
    assert client.post("/filters/save/", {"view": "all", "name": " ", "query": ""}).status_code == 422
    assert client.post(f"/filters/{saved.pk}/delete/", {"view": "all"}).status_code == 302
    assert not SavedFilter.objects.exists()


def test_queue_in_english(client, bank):
    assigned(bank, 1)
    login(client, "handler1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/queue/").content.decode()
    # Strings already in the catalogue; this page's new ones are in locale/en/pending/intake.json.
    assert "Decision due" in body and "Priority" in body and "Filter" in body
    assert "答复期限" not in body and "优先级" not in body


def test_all_cases_shows_open_work_unless_closed_are_asked_for(client, bank):
    open_case = register(bank)
    answered = register(bank, request_type="consultation")
    svc.answer_case(answered.pk, actor=bank.actor("agent"), answer="已解答")
    login(client, "supervisor1")
    body = client.get("/").content.decode()
    assert open_case.case_number in body and answered.case_number not in body
    body = client.get("/", {"include_closed": "on"}).content.decode()
    assert open_case.case_number in body and answered.case_number in body
    body = client.get("/", {"status": "closed"}).content.decode()
    assert answered.case_number in body and open_case.case_number not in body


def overdue_regulator_scenario(bank):
    """Four older P3 complaints and a later P1 regulator transfer, all overdue by 2024-10-20; and a P1
    that is not yet due. In the old order (nearest deadline first) the transfer came fifth."""
    from tests.triage.conftest import register_forwarded

    with time_machine.travel(local(2024, 9, 2, 10), tick=False) as t:
        older = assigned(bank, 4)
        Case.objects.filter(pk__in=[c.pk for c in older]).update(priority="P3")
        t.move_to(local(2024, 9, 6, 10))
        transfer = register_forwarded(bank, "12378-2024-0001")
        accept(transfer.pk, bank.actor("handler"))
        Case.objects.filter(pk=transfer.pk).update(priority="P1")
        t.move_to(local(2024, 10, 15, 10))
        upcoming = assigned(bank, 1)[0]
        Case.objects.filter(pk=upcoming.pk).update(priority="P1")
    return older, transfer, upcoming


def test_an_overdue_p1_regulator_transfer_leads_the_queue_and_the_list(client, bank):
    older, transfer, upcoming = overdue_regulator_scenario(bank)
    assert all(Case.objects.get(pk=c.pk).decision_due_at < transfer_due(transfer) for c in older)
    with time_machine.travel(local(2024, 10, 20, 10), tick=False):
        login(client, "handler1")
        queue = [r["case"].pk for r in client.get("/queue/").context["rows"]]
        client.logout()
        login(client, "supervisor1")
        listed = [r["case"].pk for r in client.get("/").context["rows"]]
    for order in (queue, listed):
        # Overdue first; within it the P1 transfer ahead of the older P3s; then the P1 not yet due.
        assert order[0] == transfer.pk
        assert order[1:5] == [c.pk for c in older]
        assert order.index(upcoming.pk) == 5


def transfer_due(case):
    return Case.objects.get(pk=case.pk).decision_due_at


def test_paging_crosses_from_overdue_to_on_time_work_and_back(client, bank, monkeypatch):
    from redressal.web.views import queue as queue_view

    older, transfer, upcoming = overdue_regulator_scenario(bank)
    monkeypatch.setattr(queue_view, "PAGE_SIZE", 4)
    with time_machine.travel(local(2024, 10, 20, 10), tick=False):
        login(client, "handler1")
        r1 = client.get("/queue/")
        r2 = client.get("/queue/" + r1.context["next_url"])
        back = client.get("/queue/" + r2.context["prev_url"])
    assert [r["case"].pk for r in r1.context["rows"] + r2.context["rows"]] == [
        transfer.pk, *(c.pk for c in older), upcoming.pk
    ]
    assert [r["case"].pk for r in back.context["rows"]] == [r["case"].pk for r in r1.context["rows"]]


def test_rows_show_flags_first_contact_and_a_colour_legend(client, bank):
    _older, transfer, _upcoming = overdue_regulator_scenario(bank)
    with time_machine.travel(local(2024, 10, 20, 10), tick=False):
        login(client, "handler1")
        r = client.get("/queue/")
    body = r.content.decode()
    row = next(x for x in r.context["rows"] if x["case"].pk == transfer.pk)
    assert ("regulator", "监管转办") in row["flags"]
    assert 'class="chip chip-regulator"' in body
    assert "首次联系期限" in body and 'data-testid="first-contact"' in body
    assert row["first_contact"][0] != "—"
    assert 'data-testid="queue-legend"' in body and "临近超时" in body


def test_finished_cases_come_after_open_work_not_among_the_overdue(client, bank):
    older, transfer, _upcoming = overdue_regulator_scenario(bank)
    finished = older[0]
    Case.objects.filter(pk=finished.pk).update(status="closed", closed_at=local(2024, 10, 1, 10))
    with time_machine.travel(local(2024, 10, 20, 10), tick=False):
        login(client, "supervisor1")
        listed = [r["case"].pk for r in client.get("/", {"include_closed": "on"}).context["rows"]]
    assert listed[0] == transfer.pk
    assert listed[-1] == finished.pk  # due long ago, but finished: not overdue work


def test_paging_walks_into_the_finished_cases_and_back(client, bank, monkeypatch):
    from redressal.web.views import queue as queue_view

    older, transfer, upcoming = overdue_regulator_scenario(bank)
    Case.objects.filter(pk__in=[older[0].pk, older[1].pk]).update(status="closed", closed_at=local(2024, 10, 1))
    monkeypatch.setattr(queue_view, "PAGE_SIZE", 2)
    with time_machine.travel(local(2024, 10, 20, 10), tick=False):
        login(client, "supervisor1")
        pages, url = [], "/?include_closed=on"
        while url:
            r = client.get(url)
            pages.append([row["case"].pk for row in r.context["rows"]])
            url = "/" + r.context["next_url"] if r.context["next_url"] else ""
        back = client.get("/" + r.context["prev_url"]).context["rows"]
    seen = [pk for page in pages for pk in page]
    assert seen == [transfer.pk, older[2].pk, older[3].pk, upcoming.pk, older[1].pk, older[0].pk]
    assert [row["case"].pk for row in back] == pages[-2]
