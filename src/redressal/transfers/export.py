"""The reply sheet (转办件答复清单) as XLSX, with the Chinese headers the regulator's template uses."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from redressal.domain.choices import OUTCOME_LABELS, REGULATOR_LABELS
from redressal.transfers.services import ReplyRow


def state_labels() -> dict[str, str]:
    return {
        "registered": _("已登记"),
        "accepted": _("已受理"),
        "investigating": _("调查中"),
        "pending_approval": _("待审批"),
        "responded": _("已答复"),
        "closed": _("已办结"),
        "withdrawn": _("已撤诉"),
        "declined": _("不予受理"),
        "merged": _("已合并"),
    }


def headers() -> list[str]:
    return [
        _("转办机构"),
        _("监管投诉编号"),
        _("我行工单编号"),
        _("处理状态"),
        _("受理日期"),
        _("处理决定日期"),
        _("处理结果"),
        _("处理情况摘要"),
        _("是否按时办结"),
        _("答复截止日期"),
    ]


def _day(moment: datetime | None) -> str:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat() if moment else ""


def cells(row: ReplyRow) -> list[str]:
    states = state_labels()
    on_time = "" if row.on_time is None else (_("是") if row.on_time else _("否"))
    return [
        _(REGULATOR_LABELS.get(row.regulator, row.regulator)),
        row.regulator_case_number,
        row.case_number,
        states.get(row.status, row.status),
        _day(row.accepted_at),
        _day(row.decided_at),
        _(OUTCOME_LABELS[row.outcome]) if row.outcome in OUTCOME_LABELS else "",
        row.summary,
        on_time,
        # A period ends at 24:00 of its last day (local midnight after it): the sheet names that day.
        _day(row.reply_due_at - timedelta(microseconds=1) if row.reply_due_at else None),
    ]


def reply_xlsx(rows: Sequence[ReplyRow]) -> bytes:
    out = io.BytesIO()
    book = Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(_("答复清单"))
    for col, title in enumerate(headers()):
        sheet.write_string(0, col, title, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(cells(row)):
            sheet.write_string(r, col, value)
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, 2, 26)
    sheet.set_column(7, 7, 50)
    book.close()
    return out.getvalue()
