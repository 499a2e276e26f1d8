"""Compliance files the quarter's regulatory statistics: reads the report and its data-quality warning,
sets the outlet and customer counts, downloads the XLSX and the PDF (and they say what the page says),
then opens the dashboard and drills down from a chart to the case list."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from xml.etree import ElementTree

from redressal.domain.reporting import Period
from redressal.insight.regulatory import compute, whole_bank
from tests.insight.generated import generate

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def xlsx_cells(data: bytes, sheet: int) -> dict[str, str]:
    """A worksheet's cells by reference (shared strings resolved), read with the standard library."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        strings = [
            "".join(t.text or "" for t in si.iterfind(".//m:t", NS))
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).iterfind("m:si", NS)
        ]
        root = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{sheet}.xml"))
    cells = {}
    for c in root.iterfind(".//m:c", NS):
        v = c.find("m:v", NS)
        value = v.text if v is not None else ""
        cells[c.get("r")] = strings[int(value)] if c.get("t") == "s" else value
    return cells


def test_compliance_exports_the_quarter_and_drills_down_from_the_dashboard(bank, as_user, tmp_path):
    generate(bank, n=20, seed=5)
    expected = compute(whole_bank(), Period(2026, 3))
    assert expected["total"] > 0
    compliance = as_user("compliance1")
    compliance.goto("/reports/regulatory/?period=2026Q3")
    main = compliance.text("main")
    assert "监管统计报表" in main and "2026-07-01" in main
    summary = compliance.text("[data-testid=summary]")
    assert f"投诉总量（件）\t{expected['total']}" in summary
    if expected["unconfirmed"]:
        assert "数据质量提示" in main
    assert compliance.page.locator("[data-testid=bases-missing]").count() == 1
    # The bases of the ratios for the quarter, for the whole bank.
    form = compliance.page.locator("[data-testid=base-form]")
    form.locator("input[name=outlets]").fill("30")
    form.locator("input[name=individual_customers]").fill("2000000")
    with compliance.page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert compliance.page.locator("[data-testid=bases-missing]").count() == 0
    per_outlets = f"{expected['total'] * 1000 / 30:.2f}"
    assert per_outlets in compliance.text("[data-testid=summary]")
    compliance.shot("report")

    # The XLSX: the summary sheet's figures are the page's.
    with compliance.page.expect_download() as download:
        compliance.page.click("[data-testid=export-xlsx]")
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    summary_sheet = xlsx_cells(path.read_bytes(), 1)
    labels = {v: ref for ref, v in summary_sheet.items() if ref.startswith("A")}
    assert int(float(summary_sheet["B" + labels["投诉总量（件）"][1:]])) == expected["total"]
    assert float(summary_sheet["B" + labels["每千家网点投诉量"][1:]]) == float(per_outlets)
    business = xlsx_cells(path.read_bytes(), 3)
    b_rows = {business[f"A{r}"]: business.get(f"C{r}") for r in range(2, 60) if f"A{r}" in business}
    for row in expected["by_business"]:
        if row["code"]:
            assert int(float(b_rows[row["code"]])) == row["count"], row["code"]

    # The PDF: the same figures, as text.
    with compliance.page.expect_download() as download:
        compliance.page.click("[data-testid=export-pdf]")
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "消费投诉统计报表 2026Q3" in text
    assert re.search(rf"投诉总量（件）\s+{expected['total']}\b", text)
    assert per_outlets in text

    # A figure's cases: the B code rows link to the cases counted under them.
    first_b = next(r for r in expected["by_business"] if r["code"] and r["count"] and r["level"] == 1)
    compliance.page.locator("[data-testid=by_business] tr", has_text=first_b["code"]).locator("a").first.click()
    compliance.page.wait_for_url(re.compile(r"/reports/regulatory/cases/"))
    assert compliance.page.locator("[data-testid=figure-cases] tbody tr").count() == first_b["count"]

    # The dashboard (its window is the weeks before today; the generated year's open cases are open
    # today): a bar of the open cases by state opens the case list filtered to that state.
    compliance.goto("/dashboard/")
    chart = compliance.page.locator("[data-testid=chart-open_by_state]")
    chart.locator("svg").first.wait_for()
    compliance.shot("dashboard")
    bar = chart.locator("svg path[fill='#c0392b']").first
    with compliance.page.expect_navigation():
        bar.click()
    state = re.search(r"status=([a-z_]+)", compliance.page.url)
    assert state is not None
    from redressal.cases.models import Case

    numbers = set(Case.objects.filter(status=state.group(1)).values_list("case_number", flat=True))
    listed = set(re.findall(r"(?:TS|HC)\d{8}[A-Z]+\d{4}", compliance.text("main")))
    assert listed == numbers
    compliance.shot("drill-down")
