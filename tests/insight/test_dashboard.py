"""The dashboard: scoped to the viewer's units, labelled, and every point a link to the case list that
shows exactly its cases."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine

from redressal.insight import dashboards as d
from redressal.org.authz import actor_for
from redressal.org.services import create_staff
from tests.conftest import PASSWORD, local
from tests.insight.generated import generate
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db
NOW = local(2026, 10, 10, 12)


@pytest.fixture
def histories(bank):
    return generate(bank, n=24, seed=11)


def _links(page: str, testid: str) -> list[str]:
    section = page.split(f'data-testid="panel-{testid}"', 1)[1].split("</section>", 1)[0]
    return [unescape(h) for h in re.findall(r'<tr data-href="([^"]+)"', section)]


def _listed(client, url: str) -> set[str]:
    page = client.get(url).content.decode()
    return set(re.findall(r"(?:TS|HC)\d{8}[A-Z]+\d{4}", page))


def test_dashboard_points_drill_down_to_their_cases(bank, histories, client):
    login(client, "compliance1")
    with time_machine.travel(NOW, tick=False):
        page = client.get("/dashboard/").content.decode()
        assert "每周受理量" in page and 'data-chart="heatmap"' in page
        assert "<script>" not in page  # the CSP allows no inline script
        # Channel labels, not codes.
        assert "手机银行" in page or "客服热线" in page
        units = d.scope(bank.actor("compliance"))
        by_channel = d.volume_by_channel(units, NOW)
        assert by_channel.points
        links = _links(page, "volume_by_channel")
        assert len(links) == len(by_channel.points)
        for point, link in zip(by_channel.points, links, strict=True):
            query = parse_qs(urlparse(link).query)
            assert query["channel"] == [point.key]
            assert len(_listed(client, link)) == point.values["count"]
        # A B code's bar lists the cases confirmed under it (a major code takes in its children).
        by_business = d.by_code(units, NOW, "business")
        for point, link in zip(by_business.points, _links(page, "by_business"), strict=True):
            assert len(_listed(client, link)) == point.values["count"]
        # Open cases by state.
        for point, link in zip(d.open_by_state(units, NOW).points, _links(page, "open_by_state"), strict=True):
            assert len(_listed(client, link)) == point.values["count"]


def test_dashboard_is_scoped_and_refused_without_case_read(bank, histories, client):
    with time_machine.travel(NOW, tick=False):
        outlet_only = create_staff("teller_view", PASSWORD, bank.outlet, ["agent"])
        units = d.scope(actor_for(outlet_only))
        assert units == [bank.outlet.pk]
        assert sum(p.values["count"] for p in d.volume_by_channel(units, NOW).points) == 0
        login(client, "collab1")
        assert client.get("/dashboard/").status_code == 403


def test_rollups_kept_in_step_equal_a_rebuild_from_the_cases(bank, histories):
    from redressal.insight import rollups
    from redressal.insight.models import Rollup

    def table():
        return sorted(
            (r.kind, r.day, r.unit_id, r.a, r.b, r.n, r.x, r.y) for r in Rollup.objects.all() if r.n or r.x or r.y
        )

    live = table()
    assert {row[0] for row in live} == {"volume", "code", "product", "open", "decided"}
    rollups.rebuild()
    assert table() == live
