"""The QA API: the figures as the pages give them, refusals with the field named."""

from __future__ import annotations

import time_machine

from redressal.domain.quality.months import Month
from redressal.quality import services as qa
from redressal.quality.models import QaInspection
from tests.api.conftest import api_as  # noqa: F401  (the fixture)
from tests.quality.conftest import APRIL, close_case


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_scorecards_and_scores_through_the_api(bank, client, api_as):  # noqa: F811
    case = close_case(bank, "handler", day=3, csat=5)
    close_case(bank, "handler2", day=4, csat=1)
    with time_machine.travel(APRIL, tick=False):
        qa.draw_sample(Month(2026, 3), actor=None)
        sup = api_as("supervisor1").token
        r = client.get("/api/v1/quality/scorecards?month=2026-03", headers=_auth(sup))
        assert r.status_code == 200
        rows = {row["staff"]: row for row in r.json()}
        assert set(rows) == {"handler1", "handler2"}
        assert rows["handler1"]["satisfaction"] == 100.0 and rows["handler2"]["satisfaction"] == 0.0
        assert rows["handler1"]["stars"] >= rows["handler2"]["stars"] and rows["handler1"]["formula_version"] == 1
        bad = client.get("/api/v1/quality/scorecards?month=2026-3", headers=_auth(sup))
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "month"

        inspector = api_as("qa1").token
        listed = client.get("/api/v1/quality/inspections?month=2026-03", headers=_auth(inspector)).json()
        inspection = QaInspection.objects.get(case=case)
        assert {i["case_number"] for i in listed} >= {case.case_number}
        url = f"/api/v1/quality/inspections/{inspection.pk}/scores"
        missing = client.post(
            url, {"scores": {"timeliness": 5}}, content_type="application/json", headers=_auth(inspector)
        )
        assert missing.status_code == 422 and missing.json()["error"]["field"] == "investigation"
        full = {
            "scores": {c: 5 for c in ("timeliness", "investigation", "compliance", "attitude", "disclosure", "records")}
        }
        ok = client.post(url, full, content_type="application/json", headers=_auth(inspector))
        assert ok.status_code == 201 and ok.json() == {"inspection": inspection.pk, "kind": "primary", "total": 100.0}
        handler = api_as("handler1").token
        refused = client.post(url, full, content_type="application/json", headers=_auth(handler))
        assert refused.status_code == 403
