"""Regulator transfer lists: preview, import, idempotence, refusals, the reply sheet and the CLI."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from redressal.cases.models import Case, CaseDeadline
from redressal.core.errors import PermissionDenied, ValidationFailed
from redressal.transfers import services
from redressal.transfers.export import reply_xlsx
from redressal.transfers.models import ImportBatch
from tests.conftest import local

pytestmark = pytest.mark.django_db

NFRA_HEADERS = [
    "投诉编号",
    "投诉人",
    "联系电话",
    "投诉内容",
    "投诉受理日期",
    "转办日期",
    "业务类别",
    "诉求类型",
    "涉及金额",
]
NOW = local(2026, 3, 10, 10)


def nfra_row(number: str, **over: object) -> list[object]:
    row = {
        "投诉编号": number,
        "投诉人": "王小明",
        "联系电话": "13800138000",
        "投诉内容": "信用卡年费未经同意扣收，要求退还。",
        "投诉受理日期": "2026-03-06",
        "转办日期": datetime(2026, 3, 9, 9, 30),
        "业务类别": "信用卡",
        "诉求类型": "退款",
        "涉及金额": "300",
    }
    row.update(over)
    return [row[h] for h in NFRA_HEADERS]


def xlsx(rows: list[list[object]], headers: list[str] = NFRA_HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8-sig", headers: list[str] = NFRA_HEADERS) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(headers)
    for r in rows:
        w.writerow([v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else v for v in r])
    return out.getvalue().encode(encoding)


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def do_preview(bank, content: bytes, filename: str = "list.xlsx", who: str = "sup", unit: str = "BJ"):
    return services.preview_transfers(
        bank.actor(who), mapping_key="nfra", filename=filename, content=content, unit_code=unit
    )


def do_import(bank, content: bytes, filename: str = "list.xlsx", who: str = "sup", unit: str = "BJ"):
    return services.import_transfers(
        bank.actor(who), mapping_key="nfra", filename=filename, content=content, unit_code=unit
    )


def test_preview_judges_every_row_and_writes_nothing(bank, at_now):
    content = xlsx([nfra_row("A-1"), nfra_row("A-2"), nfra_row("A-1")])
    preview = do_preview(bank, content)
    assert [r.status for r in preview.rows] == ["ok", "ok", "duplicate_in_file"]
    assert preview.rows[2].first_row == 2
    assert Case.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_import_registers_regulator_cases_with_the_reply_deadline(bank, at_now):
    batch = do_import(bank, xlsx([nfra_row("A-1"), nfra_row("A-2")]))
    assert (batch.imported, batch.already, batch.errors) == (2, 0, 0)
    case = Case.objects.get(regulator_case_number="A-1")
    assert case.source == "regulator_forwarded" and case.regulator == "12378" and case.channel == "regulator"
    assert case.unit.code == "BJ" and case.product == "信用卡" and case.demand == ["refund"]
    assert case.forwarded_at == local(2026, 3, 9, 9, 30)
    assert case.regulator_received_at == local(2026, 3, 6)
    assert case.received_at == case.forwarded_at
    assert case.customer is not None and case.complainant_name == "王小明"
    reply = CaseDeadline.objects.get(case=case, kind="regulator_reply")
    # 15 days from the forwarding day (2026-03-09, not counted): 24:00 of 2026-03-24.
    assert reply.due_at == local(2026, 3, 25) and reply.state == "running"
    assert len(batch.report) == 2 and batch.report[0]["case_number"] == case.case_number
    assert len(batch.sha256) == 64


def test_reimport_registers_nothing_twice(bank, at_now):
    content = xlsx([nfra_row("A-1"), nfra_row("A-2")])
    do_import(bank, content)
    again = do_import(bank, content)
    assert (again.imported, again.already) == (0, 2)
    assert Case.objects.filter(regulator_case_number__in=["A-1", "A-2"]).count() == 2
    assert {r["status"] for r in again.report} == {"already_imported"}
    # a case registered by hand (the single-case form) with the same regulator number counts too
    from redressal.cases import services as svc

    svc.register_case(
        svc.RegisterInput(
            request_type="complaint",
            channel="regulator",
            description="转办件",
            complainant_name="李四",
            source="regulator_forwarded",
            regulator="12378",
            regulator_case_number="H-1",
            forwarded_at=local(2026, 3, 9, 9),
            unit_code="BJ",
        ),
        actor=bank.actor("sup"),
    )
    row = do_preview(bank, xlsx([nfra_row("H-1")])).rows[0]
    assert row.status == "already_imported" and row.case_number.startswith("TS")


def test_csv_utf8_bom_and_gb18030(bank, at_now):
    first = do_import(bank, csv_bytes([nfra_row("C-1")]), filename="list.csv")
    second = do_import(bank, csv_bytes([nfra_row("C-2")], encoding="gb18030"), filename="list.csv")
    assert first.imported == 1 and second.imported == 1
    assert Case.objects.get(regulator_case_number="C-2").complainant_name == "王小明"


def test_bad_rows_name_the_regulators_column_and_do_not_stop_the_others(bank, at_now):
    rows = [
        nfra_row("B-1", 转办日期="2026年13月40日"),
        nfra_row("B-2", 业务类别="外星业务"),
        nfra_row("B-3", 投诉内容=""),
        nfra_row("B-4", 转办日期="2026-04-01"),  # in the future
        nfra_row("B-5"),
    ]
    batch = do_import(bank, xlsx(rows))
    by_number = {r["regulator_case_number"]: r for r in batch.report}
    assert by_number["B-1"]["errors"][0]["column"] == "转办日期" and by_number["B-1"]["errors"][0]["code"] == "bad_date"
    assert by_number["B-2"]["errors"][0]["column"] == "业务类别"
    assert by_number["B-2"]["errors"][0]["code"] == "unknown_value"
    assert by_number["B-3"]["errors"][0]["column"] == "投诉内容"
    assert by_number["B-4"]["errors"][0]["column"] == "转办日期"
    assert by_number["B-5"]["status"] == "imported"
    assert (batch.imported, batch.errors) == (1, 4)


def test_a_file_missing_a_required_column_is_refused_whole(bank, at_now):
    headers = [h for h in NFRA_HEADERS if h != "投诉编号"]
    with pytest.raises(ValidationFailed) as exc:
        do_preview(bank, xlsx([nfra_row("X")[1:]], headers=headers))
    assert "投诉编号" in exc.value.message and exc.value.field == "file"


def test_permission_and_unit_scope(bank, at_now):
    content = xlsx([nfra_row("P-1")])
    with pytest.raises(PermissionDenied):
        do_preview(bank, content, who="handler")
    with pytest.raises(PermissionDenied):
        do_preview(bank, content, who="sup", unit="TECH")  # outside the supervisor's branch
    assert Case.objects.count() == 0


def test_the_branch_column_maps_to_units_within_scope(bank, at_now):
    headers = [*NFRA_HEADERS, "被投诉机构"]
    rows = [[*nfra_row("U-1"), "北京朝阳支行"], [*nfra_row("U-2"), "总行"]]
    preview = do_preview(bank, xlsx(rows, headers=headers), unit="")
    assert preview.rows[0].status == "ok" and preview.rows[0].unit == "BJ01"
    assert preview.rows[1].status == "error" and preview.rows[1].errors[0]["code"] == "out_of_scope"
    assert preview.rows[1].errors[0]["column"] == "被投诉机构"


def test_reply_sheet_read_back(bank, at_now):
    batch = do_import(bank, xlsx([nfra_row("R-1"), nfra_row("R-2")]))
    rows = services.reply_rows(bank.actor("sup"), batch_id=batch.pk)
    with translation.override("zh-hans"):
        data = reply_xlsx(rows)
    book = load_workbook(io.BytesIO(data), read_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    assert values[0][:4] == ("转办机构", "监管投诉编号", "我行工单编号", "处理状态")
    assert values[0][-1] == "答复截止日期"
    assert [v[1] for v in values[1:]] == ["R-1", "R-2"]
    assert values[1][2] == Case.objects.get(regulator_case_number="R-1").case_number
    assert values[1][3] == "已登记" and values[1][-1] == "2026-03-24"
    # by date range; a collaborator reads no case at all
    assert len(services.reply_rows(bank.actor("sup"), since=NOW.date(), until=NOW.date())) == 0
    assert len(services.reply_rows(bank.actor("sup"), since=local(2026, 3, 9).date(), until=NOW.date())) == 2
    with pytest.raises(PermissionDenied):
        services.reply_rows(bank.actor("collab"))


def test_cli_dry_run_then_import(bank, at_now, tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx([nfra_row("L-1"), nfra_row("L-1")]))
    call_command(
        "regulator_import", str(path), "--regulator", "nfra", "--unit", "BJ", "--as", "supervisor1", "--dry-run"
    )
    out = capsys.readouterr().out
    assert "可导入" in out and "文件内重复" in out and Case.objects.count() == 0
    call_command("regulator_import", str(path), "--regulator", "nfra", "--unit", "BJ", "--as", "supervisor1")
    out = capsys.readouterr().out
    assert "已导入" in out and "imported=1" in out and Case.objects.count() == 1
    with pytest.raises(CommandError, match="regulator"):
        call_command("regulator_import", str(path), "--regulator", "xyz", "--as", "supervisor1")
    with pytest.raises(CommandError, match=r"transfers\.import"):
        call_command("regulator_import", str(path), "--regulator", "nfra", "--unit", "BJ", "--as", "handler1")


def test_the_console_script_refuses_in_one_line(bank, at_now, tmp_path, capsys):
    from redressal.cli import main

    path = tmp_path / "list.txt"
    path.write_text("不是表格")
    with pytest.raises(SystemExit) as exc:
        main(["redressal", "regulator-import", str(path), "--regulator", "nfra", "--unit", "BJ", "--as", "supervisor1"])
    err = capsys.readouterr().err
    assert exc.value.code == 1 and "Traceback" not in err and "file:" in err
    assert len(err.strip().splitlines()) == 1
