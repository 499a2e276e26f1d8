"""Review (核查) intake, the reviewers' list and page; follow-up visits (回访) due today and their record."""

from __future__ import annotations

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case, FollowUpVisit
from redressal.notify.models import StaffNotification
from tests.conftest import local
from tests.flows import accept, accept_and_respond
from tests.services.test_lifecycle import register
from tests.web.test_case_actions import act
from tests.web.test_case_page import login

pytestmark = pytest.mark.django_db


def _responded(bank) -> Case:
    case = register(bank)
    accept_and_respond(case.pk, bank.actor("handler"))
    case.refresh_from_db()
    return case


def test_review_request_intake_and_field_errors(client, bank):
    case = _responded(bank)
    login(client, "handler1")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="request-review"' in body
    r = client.get(f"/reviews/?case_number={case.case_number}")
    assert f'value="{case.case_number}"' in r.content.decode()  # pre-filled from the case page
    r = client.get("/reviews/")
    assert r.status_code == 200 and 'data-testid="review-request"' in r.content.decode()
    r = client.post("/reviews/", {"case_number": case.case_number, "reason": ""})
    assert r.status_code == 422 and 'id="err-reason"' in r.content.decode()
    r = client.post("/reviews/", {"case_number": "TS-NOPE", "reason": "不服处理结果"})
    assert r.status_code == 404 and 'id="err-case_number"' in r.content.decode()
    r = client.post("/reviews/", {"case_number": case.case_number, "reason": "不服处理结果"})
    assert r.status_code == 302
    review = Case.objects.get(kind="review", review_of=case)
    assert r["Location"] == f"/cases/{review.pk}/"
    assert list(case.events.order_by("seq").values_list("type", flat=True))[-1] == "review_requested"


def test_reviewer_sees_the_list_and_the_original_side_by_side_and_decides(client, bank):
    case = _responded(bank)
    review = svc.request_review(case.pk, actor=bank.actor("handler"), reason="不服处理结果")
    login(client, "hosupervisor")
    body = client.get("/reviews/").content.decode()
    assert review.case_number in body and case.case_number in body
    accept(review.pk, bank.actor("hosup"))
    svc.start_investigation(review.pk, actor=bank.actor("hosup"))
    r = client.get(f"/reviews/{review.pk}/")
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="review-side-by-side"' in body
    assert "按合同收费" in body  # the original decision's reasons
    assert 'id="action-review_decide"' in body and 'id="action-respond"' not in body
    data = {"outcome": "revised", "reasons": "原处理依据不足", "basis": "合同第5条", "remedy": "退还年费",
            "notice_channel": "sms", "notice_content": "核查决定：变更原处理决定。"}
    r = act(client, review, "review_decide", {**data, "outcome": "not_upheld"})
    assert r.status_code == 422 and 'id="err-review_decide-outcome"' in r.content.decode()
    r = act(client, review, "review_decide", data)  # first the notice as it will go out
    assert r.status_code == 200 and 'data-testid="notice-preview"' in r.content.decode()
    assert act(client, review, "review_decide", {**data, "confirm": "True"}).status_code == 204
    review.refresh_from_db()
    assert review.status == "responded" and review.outcome == "revised"


def test_an_upheld_review_is_worded_as_the_review_outcome_in_notification_and_trail(client, bank):
    # A review's "upheld" keeps the original decision; it was shown as the complaint outcome 投诉成立.
    case = register(bank)
    svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="handler1")
    accept_and_respond(case.pk, bank.actor("handler"))
    review = svc.request_review(case.pk, actor=bank.actor("handler"), reason="不服处理结果")
    accept(review.pk, bank.actor("hosup"))
    svc.start_investigation(review.pk, actor=bank.actor("hosup"))
    svc.respond_to_case(review.pk, actor=bank.actor("hosup"), outcome="upheld", reasons="原处理适当",
                        basis="办法第二十条", remedy="", notice=svc.Notice("sms", "核查决定：维持原处理决定。"))
    login(client, "handler1")
    page = client.get("/notifications/").content.decode()
    assert f"{review.case_number}：核查决定为维持原处理决定" in page
    client.logout()
    login(client, "auditor1")
    trail = client.get(f"/audit/cases/{review.pk}/").content.decode()
    changes = trail.split('class="changes"')
    assert any("维持原处理决定" in c for c in changes) and not any("投诉成立" in c for c in changes)


def test_reviews_refused_for_roles_without_review_permissions(client, bank):
    login(client, "qa1")
    assert client.get("/reviews/").status_code == 403
    client.logout()
    login(client, "collab1")
    assert client.get("/reviews/").status_code == 403


def test_handler_cannot_open_the_reviewer_page(client, bank):
    case = _responded(bank)
    review = svc.request_review(case.pk, actor=bank.actor("handler"), reason="不服")
    login(client, "handler1")
    assert client.get(f"/reviews/{review.pk}/").status_code == 403


def _closed_with_visit(bank) -> FollowUpVisit:
    case = register(bank)  # an elderly complainant: the visit is mandatory
    accept_and_respond(case.pk, bank.actor("handler"))
    svc.record_feedback(case.pk, actor=bank.actor("handler"), result="satisfied", csat=4)
    return FollowUpVisit.objects.get(case=case)


def test_visit_list_shows_due_visits_and_records_a_result(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False) as t:
        visit = _closed_with_visit(bank)
        login(client, "handler1")
        assert f'data-testid="visit-{visit.pk}"' not in client.get("/visits/").content.decode()  # not due yet
        t.move_to(local(2024, 9, 28, 10))
        login(client, "handler1")
        body = client.get("/visits/").content.decode()
        assert f'data-testid="visit-{visit.pk}"' in body and visit.case.case_number in body
        r = client.post(f"/visits/{visit.pk}/record/", {f"v{visit.pk}-channel": "phone", f"v{visit.pk}-reached": "yes"},
                        headers={"HX-Request": "true"})
        assert r.status_code == 422 and f'id="err-v{visit.pk}-satisfaction"' in r.content.decode()
        r = client.post(
            f"/visits/{visit.pk}/record/",
            {f"v{visit.pk}-channel": "phone", f"v{visit.pk}-reached": "yes", f"v{visit.pk}-satisfaction": "2",
             f"v{visit.pk}-comments": "仍不满意"},
            headers={"HX-Request": "true"},
        )
        assert r.status_code == 200
    visit.refresh_from_db()
    assert visit.status == "done" and visit.satisfaction == 2
    assert visit.case.events.order_by("-seq").first().type == "visit_recorded"
    # A low score alerts the handler's supervisor (the satisfaction loop of SPEC §4).
    assert StaffNotification.objects.filter(kind="visit_dissatisfied", recipient=bank.people["sup"]).exists()


def test_visits_refused_for_roles_without_case_visit(client, bank):
    visit = _closed_with_visit(bank)
    login(client, "agent1")
    assert client.get("/visits/").status_code == 403
    r = client.post(f"/visits/{visit.pk}/record/", {f"v{visit.pk}-channel": "phone", f"v{visit.pk}-reached": "no"})
    assert r.status_code == 403


def test_visit_list_in_english(client, bank):
    login(client, "handler1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = client.get("/visits/")
    assert r.status_code == 200 and 'lang="en"' in r.content.decode()


