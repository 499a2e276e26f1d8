"""The follow-up visit list (回访, SPEC §4): filters, paging, and the result form opened on one row,
instead of one long page with an inline form for every visit."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from redressal.cases.models import FollowUpVisit
from tests.conftest import local
from tests.web.test_case_page import login
from tests.web.test_reviews_visits import _closed_with_visit

pytestmark = pytest.mark.django_db


def _visits(bank, n: int) -> list[FollowUpVisit]:
    """n closed cases, each with its visit; the visits' dates spread over the days around 2024-10-10."""
    visits = [_closed_with_visit(bank) for _ in range(n)]
    for i, v in enumerate(visits):
        FollowUpVisit.objects.filter(pk=v.pk).update(due_date=date(2024, 10, 1 + i), mandatory=i % 2 == 0)
    return [FollowUpVisit.objects.get(pk=v.pk) for v in visits]


def _shown(body: str, visits: list[FollowUpVisit]) -> set[int]:
    return {v.pk for v in visits if f'data-testid="visit-{v.pk}"' in body}


def test_filters_by_due_window_status_and_mandatory(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False) as t:
        visits = _visits(bank, 12)  # due 10-01 … 10-12
        t.move_to(local(2024, 10, 6, 10))
        login(client, "handler1")
        body = client.get("/visits/").content.decode()  # default: pending, due today or overdue
        assert _shown(body, visits) == {v.pk for v in visits[:6]}
        body = client.get("/visits/?due=overdue").content.decode()
        assert _shown(body, visits) == {v.pk for v in visits[:5]}
        body = client.get("/visits/?due=week").content.decode()
        assert _shown(body, visits) == {v.pk for v in visits[5:12]}
        body = client.get("/visits/?due=all&mandatory=1").content.decode()
        assert _shown(body, visits) == {v.pk for v in visits[::2]}
        FollowUpVisit.objects.filter(pk=visits[0].pk).update(status="done", reached=True, satisfaction=5)
        body = client.get("/visits/?status=done&due=all").content.decode()
        assert _shown(body, visits) == {visits[0].pk}
        assert "5/5" in body
        # An unknown value is the default, not an error.
        assert client.get("/visits/?status=nope&due=<script>").status_code == 200


def test_list_has_no_inline_forms_and_pages(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False) as t:
        visits = _visits(bank, 27)
        FollowUpVisit.objects.filter(pk__in=[v.pk for v in visits]).update(due_date=date(2024, 10, 1))
        t.move_to(local(2024, 10, 6, 10))
        login(client, "handler1")
        first = client.get("/visits/").content.decode()
        assert 'method="post"' not in first.split('data-testid="visit-table"', 1)[1]
        assert first.count('data-testid="open-visit-') == 25
        assert 'data-testid="visit-next"' in first and "第 1 / 2 页" in first
        second = client.get("/visits/?page=2").content.decode()
        assert second.count('data-testid="open-visit-') == 2
        assert _shown(first, visits).isdisjoint(_shown(second, visits))
        assert client.get("/visits/?page=999").status_code == 200  # past the end: the last page


def test_form_opens_on_its_row_and_on_a_page_without_javascript(client, bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False) as t:
        visit = _closed_with_visit(bank)
        t.move_to(local(2024, 9, 28, 10))
        login(client, "handler1")
        row = client.get(f"/visits/{visit.pk}/record/", headers={"HX-Request": "true"}).content.decode()
        assert row.startswith("<tr") and f'data-testid="visit-form-{visit.pk}"' in row and "<html" not in row
        page = client.get(f"/visits/{visit.pk}/record/")
        assert page.status_code == 200 and "<html" in page.content.decode()
        r = client.post(
            f"/visits/{visit.pk}/record/",
            {f"v{visit.pk}-channel": "phone", f"v{visit.pk}-reached": "yes", f"v{visit.pk}-satisfaction": "4"},
        )
        assert r.status_code == 302
        visit.refresh_from_db()
        assert visit.status == "done"
        # A recorded visit has no form to open any more.
        assert client.get(f"/visits/{visit.pk}/record/").status_code == 302


def test_form_refused_outside_the_visitor_scope(client, bank):
    visit = _closed_with_visit(bank)
    login(client, "agent1")
    assert client.get(f"/visits/{visit.pk}/record/").status_code == 403
    login(client, "handler1")
    assert client.get(f"/visits/{visit.pk + 1000}/record/").status_code == 404
