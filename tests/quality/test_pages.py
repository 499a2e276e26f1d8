"""The QA and scorecard pages: who reaches what, forms that refuse with the field named, the XLSX."""

from __future__ import annotations

import time_machine

from redressal.domain.quality.rubric import DEFAULT_RUBRIC
from redressal.quality.models import QaInspection
from tests.quality.conftest import APRIL, close_case
from tests.web.test_case_page import login
from tests.web.test_exports import Sheet

FULL = {f"score_{c}": "5" for c in DEFAULT_RUBRIC.codes}


def _sampled(bank, client):
    cases = [close_case(bank, "handler", day=3), close_case(bank, "handler2", day=4)]
    login(client, "qa1")
    r = client.post("/quality/draw/", {"month": "2026-03"})
    assert r.status_code == 302
    return cases


@time_machine.travel(APRIL, tick=False)
def test_inspector_draws_scores_and_the_handler_sees_it(client, bank):
    cases = _sampled(bank, client)
    page = client.get("/quality/inspections/?month=2026-03").content.decode()
    assert cases[0].case_number in page and "随机抽取" in page
    inspection = QaInspection.objects.get(case=cases[0])
    # A score without every item names the missing item and stores nothing.
    r = client.post(f"/quality/inspections/{inspection.pk}/score/", {**FULL, "score_records": ""})
    assert r.status_code == 422 and "记录完整性" in r.content.decode()
    assert inspection.scores.count() == 0
    r = client.post(
        f"/quality/inspections/{inspection.pk}/score/", {**FULL, "score_attitude": "3", "comment_attitude": "语气生硬"}
    )
    assert r.status_code == 302
    client.logout()
    login(client, "handler1")
    mine = client.get("/quality/mine/").content.decode()
    assert cases[0].case_number in mine and "94.0" in mine
    detail = client.get(f"/quality/inspections/{inspection.pk}/").content.decode()
    assert "语气生硬" in detail and 'data-testid="qa-appeal-form"' in detail
    assert 'data-testid="qa-score-form"' not in detail
    case_page = client.get(f"/cases/{cases[0].pk}/").content.decode()
    assert f"QA-2026-03-{inspection.pk}" in case_page
    notes = client.get("/notifications/").content.decode()
    assert f'data-testid="notification-qa-{inspection.pk}"' in notes and "质检得分 94.0" in notes
    # Someone else's inspection is not theirs to read.
    other = QaInspection.objects.get(case=cases[1])
    assert client.get(f"/quality/inspections/{other.pk}/").status_code == 404
    assert client.post(f"/quality/inspections/{other.pk}/appeal/", {"reason": "x"}).status_code in (403, 404)
    # Without qa.inspect: the inspector's pages and the draw are refused.
    assert client.get("/quality/inspections/").status_code == 403
    assert client.post("/quality/draw/", {"month": "2026-03"}).status_code == 403
    assert client.post(f"/quality/inspections/{other.pk}/score/", FULL).status_code in (403, 404)


@time_machine.travel(APRIL, tick=False)
def test_a_bad_month_is_named(client, bank):
    login(client, "qa1")
    r = client.get("/quality/inspections/?month=2026-13")
    assert r.status_code == 422
    assert client.get("/quality/scorecards/?month=abc").status_code == 422


@time_machine.travel(APRIL, tick=False)
def test_scorecards_are_scoped_and_export_without_customer_data(client, bank):
    from redressal.org.services import create_staff, create_unit
    from tests.conftest import PASSWORD

    close_case(bank, "handler", day=3, csat=5)
    close_case(bank, "handler2", day=4, csat=2)
    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    shsup = create_staff("supervisor2", PASSWORD, sh, ["supervisor"])
    create_staff("handler3", PASSWORD, sh, ["handler"], manager=shsup)
    login(client, "supervisor1")
    page = client.get("/quality/scorecards/?month=2026-03").content.decode()
    assert 'data-testid="scorecard-handler1"' in page and 'data-testid="scorecard-handler2"' in page
    r = client.get("/quality/scorecards/export.xlsx?month=2026-03")
    assert r.status_code == 200
    sheet = Sheet(b"".join(r.streaming_content))
    rows = [sheet.row(n) for n in range(1, sheet.max_row + 1)]
    assert rows[0][1] == "员工" and {row[1] for row in rows[1:]} == {"handler1", "handler2"}
    text = " ".join(c for row in rows for c in row)
    assert "王秀英" not in text and "138" not in text
    by_user = {row[1]: row for row in rows[1:]}
    assert by_user["handler1"][5] == "100" and by_user["handler2"][5] == "25"  # satisfaction: CSAT 5 and 2
    client.logout()
    # Another branch's supervisor sees none of them; the handler sees only themselves.
    login(client, "supervisor2")
    other = client.get("/quality/scorecards/?month=2026-03").content.decode()
    assert "scorecard-handler1" not in other and "scorecard-handler2" not in other
    client.logout()
    login(client, "handler1")
    own = client.get("/quality/scorecards/?month=2026-03").content.decode()
    assert "scorecard-handler1" in own and "scorecard-handler2" not in own


@time_machine.travel(APRIL, tick=False)
def test_settings_are_compliance_s_and_versioned(client, bank):
    login(client, "qa1")
    assert client.get("/quality/settings/").status_code == 403
    client.logout()
    login(client, "compliance1")
    page = client.get("/quality/settings/").content.decode()
    assert "timeliness|受理及时性|15|5" in page
    lines = "\n".join(f"{i.code}|{i.label}|{i.weight}|{i.max_score}" for i in DEFAULT_RUBRIC.items)
    bad = client.post(
        "/quality/settings/", {"percent": "5", "min_per_handler": "1", "rubric": "x|y", "reason": "r", "version": "1"}
    )
    assert bad.status_code == 422 and "第 1 行" in bad.content.decode()
    ok = client.post(
        "/quality/settings/",
        {
            "percent": "8",
            "min_per_handler": "2",
            "include_p1": "on",
            "rubric": lines,
            "reason": "提高抽样比例",
            "version": "1",
        },
    )
    assert ok.status_code == 302
    from redressal.quality.services import current_config

    config = current_config()
    assert config.version == 2 and str(config.percent) == "8.00" and not config.include_overturned
