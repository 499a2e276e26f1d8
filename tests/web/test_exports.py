"""XLSX export of lists: real Excel types, translated headers, the cap, and an audit event per export."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from redressal.audit.models import AuditEvent
from redressal.web.exports import Column, write_xlsx
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


class Sheet:
    """The first worksheet of an XLSX file read with the standard library: cells as (type, value, format)."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
            styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind(".//m:numFmts/m:numFmt", NS)}
        xfs = [xf.get("numFmtId") for xf in styles.iterfind("m:cellXfs/m:xf", NS)]
        self.cells: dict[str, tuple[str, str, str]] = {}
        for c in root.iterfind(".//m:c", NS):
            kind = c.get("t", "n")
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in c.iterfind(".//m:t", NS))
            else:
                v = c.find("m:v", NS)
                value = v.text if v is not None else ""
            fmt = formats.get(xfs[int(c.get("s", "0"))], "") if xfs else ""
            self.cells[c.get("r")] = (kind, value or "", fmt or "")
        self.max_row = max(int(re.sub(r"[A-Z]+", "", r)) for r in self.cells)

    def row(self, n: int) -> list[str]:
        return [v[1] for r, v in sorted(self.cells.items(), key=lambda kv: _col(kv[0])) if _rownum(r) == n]

    def cell(self, n: int, col: int) -> tuple[str, str, str]:
        return next(v for r, v in self.cells.items() if _rownum(r) == n and _col(r) == col)


def _rownum(ref: str) -> int:
    return int(re.sub(r"[A-Z]+", "", ref))


def _col(ref: str) -> int:
    n = 0
    for ch in re.sub(r"[0-9]+", "", ref):
        n = n * 26 + ord(ch) - 64
    return n


def sheet(response) -> Sheet:
    return Sheet(b"".join(response.streaming_content))


def test_case_list_export_has_types_and_is_audited(client, bank):
    case = register(bank, amount=Decimal("1234.50"), channel="counter")
    register(bank, channel="hotline")
    login(client, "supervisor1")
    r = client.get("/cases/export.xlsx", {"channel": "counter"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r["X-Export-Rows"] == "1"
    ws = sheet(r)
    headers = ws.row(1)
    assert headers[0] == "编号" and "金额" in headers and "收到时间" in headers
    assert ws.row(2)[0] == case.case_number
    kind, value, fmt = ws.cell(2, headers.index("金额") + 1)
    assert (kind, float(value)) == ("n", 1234.5) and "¥" in fmt
    kind, value, fmt = ws.cell(2, headers.index("收到时间") + 1)
    assert kind == "n" and float(value) > 45000 and "yyyy-mm-dd" in fmt  # an Excel serial date-time
    assert ws.max_row == 2
    event = AuditEvent.objects.get(type="export.xlsx")
    assert event.object_id == "all" and event.payload["filters"] == {"channel": "counter"}
    assert event.payload["rows"] == 1 and event.payload["truncated"] is False


def test_export_headers_follow_the_language(client, bank):
    register(bank)
    login(client, "supervisor1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    ws = sheet(client.get("/cases/export.xlsx"))
    assert ws.cell(1, 1)[1] == "Number"  # the catalogue's English for 编号


def test_cap_cuts_the_list_and_says_so(tmp_path):
    path = str(tmp_path / "x.xlsx")
    rows = ({"n": i, "text": "=HYPERLINK(\"x\")"} for i in range(10))
    written, truncated = write_xlsx(
        path, rows, [Column("n", lambda r: r["n"], kind="int"), Column("t", lambda r: r["text"])], cap=5
    )
    assert (written, truncated) == (5, True)
    with open(path, "rb") as f:
        ws = Sheet(f.read())
    assert [ws.cell(r, 1)[1] for r in range(2, 7)] == ["0", "1", "2", "3", "4"]
    assert ws.cell(2, 2)[:2] == ("inlineStr", '=HYPERLINK("x")')  # text, not a formula
    assert ws.max_row == 8 and "5" in ws.cell(8, 1)[1]


def test_queue_export_is_the_handlers_own(client, bank):
    register(bank)
    login(client, "agent1")
    assert client.get("/queue/export.xlsx").status_code == 403
    assert not AuditEvent.objects.filter(type="export.xlsx").exists()


def test_the_file_name_and_the_cells_are_in_shanghai_time(client, bank):
    import time_machine

    from tests.conftest import local

    # 02:30 in Beijing is 18:30 of the day before in UTC: the name is what a person there reads.
    with time_machine.travel(local(2024, 9, 20, 2, 30), tick=False):
        register(bank)
        login(client, "supervisor1")
        r = client.get("/cases/export.xlsx")
    assert 'filename="redressal-all-20240920-0230.xlsx"' in r["Content-Disposition"]
    ws = sheet(r)
    headers = ws.row(1)
    _kind, value, _fmt = ws.cell(2, headers.index("收到时间") + 1)
    # Excel serial 45555 is 2024-09-20; 02:30 is 0.104166… of a day (UTC would be 45554.77).
    assert abs(float(value) - (45555 + 2.5 / 24)) < 1e-6
