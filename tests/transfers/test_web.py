"""The transfers page: upload → preview (writes nothing) → confirm → report; the reply sheet download."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from redressal.cases.models import Case
from redressal.transfers.models import ImportBatch
from tests.conftest import PASSWORD
from tests.transfers.test_import import NOW, nfra_row, xlsx

pytestmark = pytest.mark.django_db


def login(client, username: str) -> None:
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("转办清单.xlsx", content)


def test_upload_preview_confirm_report_and_reply_sheet(client, bank):
    with time_machine.travel(NOW, tick=False):
        login(client, "supervisor1")
        home = client.get("/transfers/").content.decode()
        assert "监管转办导入" in home and 'value="BJ"' in home and 'value="TECH"' not in home
        content = xlsx([nfra_row("W-1"), nfra_row("W-1"), nfra_row("W-2", 转办日期="昨天")])
        r = client.post("/transfers/preview/", {"regulator": "nfra", "unit": "BJ", "file": upload(content)})
        body = r.content.decode()
        assert (
            r.status_code == 200
            and "可导入" in body
            and "文件内重复" in body
            and "「转办日期」日期格式无法识别" in body
        )
        assert Case.objects.count() == 0
        sha = r.context["preview"].sha256
        r = client.post(
            "/transfers/import/", {"sha256": sha, "regulator": "nfra", "unit": "BJ", "filename": "转办清单.xlsx"}
        )
        batch = ImportBatch.objects.get()
        assert r.status_code == 302 and r["Location"].endswith(f"/transfers/batches/{batch.pk}/")
        report = client.get(r["Location"]).content.decode()
        assert "已导入" in report and Case.objects.get().case_number in report
        sheet = client.get(f"/transfers/reply.xlsx?batch={batch.pk}")
        assert sheet.status_code == 200
        values = list(
            load_workbook(io.BytesIO(sheet.content), read_only=True).worksheets[0].iter_rows(values_only=True)
        )
        assert values[1][1] == "W-1"


def test_the_page_is_for_importers_only(client, bank):
    login(client, "handler1")
    assert client.get("/transfers/").status_code == 403
    assert "/transfers/" not in client.get("/register/").content.decode().split("<main>")[0]
