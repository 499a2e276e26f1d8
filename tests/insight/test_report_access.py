"""The regulatory report through the API, the web page, its exports and the command line: who may see
it, over which units, and how a bad period is refused."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.customers.services import CustomerInput
from redressal.insight.bases import set_reporting_base
from redressal.insight.models import ReportingBase
from redressal.org.services import create_staff
from redressal.triage.services import confirm_classification
from tests.conftest import PASSWORD, local
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


def _complaint(bank, at, *, unit: str = "", business: str = "B0302"):
    with time_machine.travel(at, tick=False) as t:
        case = svc.register_case(
            svc.RegisterInput(
                request_type="complaint",
                channel="mobile_banking",
                description="信用卡年费重复收取，要求退还。",
                customer=CustomerInput(name="李四", phone="13900001111"),
                unit_code=unit,
                received_at=at,
            ),
            actor=bank.actor("hosup" if unit == "HO" else "agent"),
        )
        t.shift(timedelta(hours=1))
        confirm_classification(
            case.pk, actor=bank.actor("hosup" if unit == "HO" else "handler"), axis="business", code=business
        )
    return case


@pytest.fixture
def q3(bank):
    """Two complaints in 2026 Q3 at the Beijing branch (one left unconfirmed on C), one at head office."""
    cases = [
        _complaint(bank, local(2026, 7, 8, 10)),
        _complaint(bank, local(2026, 8, 3, 10), business="B04"),
        _complaint(bank, local(2026, 9, 1, 10), unit="HO"),
    ]
    create_staff("compliance_bj", PASSWORD, bank.branch, ["compliance"])
    return cases


def test_api_report_has_the_figures_and_links_each_to_its_cases(bank, q3, api_as):
    set_reporting_base(
        bank.actor("compliance"), period="2026Q3", unit_code="HO", outlets=40, individual_customers=5_000_000
    )
    api = api_as("compliance1")
    r = api.get("/reports/regulatory", period="2026Q3")
    assert r.status_code == 200, r.content
    body = r.json()
    for key in (
        "period",
        "total",
        "by_channel",
        "by_business",
        "by_cause",
        "on_time_rate",
        "regulator_forwarded",
        "per_1000_outlets",
        "per_10m_customers",
        "extension_l1_rate",
        "extension_l2_rate",
        "pause_rate",
        "review_rate",
        "overturn_rate",
        "by_unit",
        "by_region",
    ):
        assert key in body, key
    assert body["period"] == "2026Q3" and body["total"] == 3
    assert body["per_1000_outlets"] == 75.0  # 3 × 1000 / 40
    assert body["per_10m_customers"] == 6.0  # 3 × 10 000 000 / 5 000 000
    b03 = next(row for row in body["by_business"] if row["code"] == "B03")
    assert b03["count"] == 2 and b03["share"] == pytest.approx(0.6667)
    assert body["unconfirmed"] == 3  # no cause confirmed
    cases = api.get("/reports/regulatory/cases", period="2026Q3", figure="business", value="B03")
    assert cases.status_code == 200
    assert {c["case_number"] for c in cases.json()} == {q3[0].case_number, q3[2].case_number}


def test_api_refuses_a_bad_period_naming_the_field_and_a_role_without_the_permission(bank, q3, api_as):
    r = api_as("compliance1").get("/reports/regulatory", period="2026Q5")
    assert r.status_code in (400, 422)
    assert r.json()["error"]["field"] == "period"
    r = api_as("handler1").get("/reports/regulatory", period="2026Q3")
    assert r.status_code == 403


def test_a_branch_compliance_officer_sees_only_the_branch(bank, q3, api_as):
    body = api_as("compliance_bj").get("/reports/regulatory", period="2026Q3").json()
    assert body["total"] == 2
    assert {u["code"] for u in body["by_unit"]} == {"BJ"}
    assert body["per_1000_outlets"] is None and body["bases_missing"] == ["北京分行"]
    listed = api_as("compliance_bj").get("/reports/regulatory/cases", period="2026Q3", figure="total").json()
    assert q3[2].case_number not in {c["case_number"] for c in listed}


def test_bases_are_set_by_compliance_over_its_units_and_audited(bank):
    with pytest.raises(PermissionDenied):
        set_reporting_base(bank.actor("handler"), period="2026Q3", unit_code="BJ", outlets=3, individual_customers=9)
    create_staff("compliance_bj", PASSWORD, bank.branch, ["compliance"])
    from redressal.org.authz import actor_for
    from redressal.org.models import Staff

    branch_officer = actor_for(Staff.objects.get(username="compliance_bj"))
    with pytest.raises(PermissionDenied):  # head office is outside the branch officer's units
        set_reporting_base(branch_officer, period="2026Q3", unit_code="HO", outlets=3, individual_customers=9)
    with pytest.raises(ServiceError) as exc:
        set_reporting_base(branch_officer, period="2026Q9", unit_code="BJ", outlets=3, individual_customers=9)
    assert exc.value.field == "period"
    with pytest.raises(ServiceError) as exc:
        set_reporting_base(branch_officer, period="2026Q3", unit_code="BJ", outlets=0, individual_customers=9)
    assert exc.value.field == "outlets"
    set_reporting_base(branch_officer, period="2026Q3", unit_code="BJ", outlets=3, individual_customers=9)
    set_reporting_base(branch_officer, period="2026q3", unit_code="BJ", outlets=4, individual_customers=9)
    assert ReportingBase.objects.get(period="2026Q3", unit__code="BJ").outlets == 4
    trail = AuditEvent.objects.filter(type="insight.base_set").order_by("seq")
    assert [e.payload["before"] for e in trail] == [None, {"outlets": 3, "individual_customers": 9}]


def test_web_page_exports_and_drill_down(bank, q3, client):
    login(client, "compliance1")
    r = client.get("/reports/regulatory/", {"period": "2026Q3"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "数据质量提示" in page and q3[0].case_number in page
    assert "未配置本期的营业网点数" in page
    assert "B0302" in page and "信用卡" in page
    r = client.get("/reports/regulatory/", {"period": "2026-07"})
    assert r.status_code == 422 and "2026Q3" in r.content.decode()
    xlsx = client.get("/reports/regulatory/export.xlsx", {"period": "2026Q3"})
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as z:
        assert "xl/worksheets/sheet2.xml" in z.namelist()
    pdf = client.get("/reports/regulatory/export.pdf", {"period": "2026Q3"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(type="export.regulatory.pdf", object_id="2026Q3").exists()
    listed = client.get("/reports/regulatory/cases/", {"period": "2026Q3", "figure": "business", "value": "B04"})
    assert q3[1].case_number in listed.content.decode() and q3[0].case_number not in listed.content.decode()
    r = client.post(
        "/reports/regulatory/bases/",
        {"period": "2026Q3", "unit": "HO", "outlets": "40", "individual_customers": "5000000"},
    )
    assert r.status_code == 302
    page = client.get("/reports/regulatory/", {"period": "2026Q3"}).content.decode()
    assert "75.00" in page
    intensity = page.split('data-testid="intensity"', 1)[1].split("</table>", 1)[0]
    assert "总行" in intensity and "75.00" in intensity and "6.00" in intensity


def test_a_warned_case_confirmed_since_is_marked_and_the_report_unchanged(bank, q3, client):
    from redressal.domain.reporting import Period
    from redressal.insight.regulatory import compute, whole_bank

    before = compute(whole_bank(), Period(2026, 3))
    confirm_classification(q3[0].pk, actor=bank.actor("handler"), axis="cause", code="C04")
    assert compute(whole_bank(), Period(2026, 3)) == before
    login(client, "compliance1")
    page = client.get("/reports/regulatory/", {"period": "2026Q3"}).content.decode()
    warned = page.split('data-testid="quality-warnings"', 1)[1].split("</section>", 1)[0]
    rows = {r.split("</a>")[0].rsplit(">", 1)[1]: r for r in warned.split("<tr>")[2:]}
    assert "将计入下一期报表" in rows[q3[0].case_number]
    assert "将计入下一期报表" not in rows[q3[1].case_number]


def test_web_page_refuses_a_handler(bank, q3, client):
    login(client, "handler1")
    assert client.get("/reports/regulatory/", {"period": "2026Q3"}).status_code == 403
    assert client.get("/reports/regulatory/export.xlsx", {"period": "2026Q3"}).status_code == 403


def test_cli_writes_json_xlsx_and_pdf_and_names_a_bad_period(bank, q3, tmp_path, capsys):
    call_command("report", "regulatory", "2026Q3", "--format", "json", "--out", str(tmp_path / "r.json"))
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["total"] == 3 and data["period"] == "2026Q3"
    call_command("report", "regulatory", "2026", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    assert zipfile.is_zipfile(tmp_path / "r.xlsx")
    call_command("report", "regulatory", "2026Q3", "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="period"):
        call_command("report", "regulatory", "Q3-2026")
    with pytest.raises(CommandError, match="--out"):
        call_command("report", "regulatory", "2026Q3", "--format", "pdf")
    capsys.readouterr()
    call_command("report", "regulatory", "2026Q3", "--as", "compliance_bj")
    assert json.loads(capsys.readouterr().out)["total"] == 2
