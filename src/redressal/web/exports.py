"""XLSX export of any list, in constant memory (SPEC §12 "every list … to XLSX", §13 exports audited).

Other pages call :func:`xlsx_export` with an iterable of rows (use ``queryset.iterator()``) and
their columns. XlsxWriter writes row by row with ``constant_memory`` into a temporary file, which is
then streamed to the response and removed: a 100 000-row list costs the same memory as a 10-row one.
Headers are translated in the language of the request; money is a number with a ¥ format,
moments are Excel date-times in the bank's time zone (Excel has no time zones). Every export is
an audit event naming who exported which list with which filter and how many rows.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import FileResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from xlsxwriter import Workbook

from redressal.audit.services import record_audit
from redressal.org.authz import Actor

DEFAULT_CAP = 100_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Kind = Literal["text", "int", "number", "money", "datetime", "date"]


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[Any], Any]
    kind: Kind = "text"
    width: int = 14


def _local(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)


def write_xlsx(
    path: str, rows: Iterable[Any], columns: list[Column], *, cap: int, sheet: str = "Sheet1"
) -> tuple[int, bool]:
    """Write at most ``cap`` rows to ``path``; return (rows written, whether more were left out)."""
    book = Workbook(path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    try:
        head = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
        fmt = {
            "money": book.add_format({"num_format": "¥#,##0.00"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "int": book.add_format({"num_format": "0"}),
            "number": book.add_format({"num_format": "0.0"}),
        }
        ws = book.add_worksheet(sheet[:31])
        for c, col in enumerate(columns):
            ws.set_column(c, c, col.width)
            ws.write_string(0, c, str(col.header), head)
        ws.freeze_panes(1, 0)
        written = 0
        truncated = False
        for row in rows:
            if written >= cap:
                truncated = True
                break
            r = written + 1
            for c, col in enumerate(columns):
                _cell(ws, r, c, col.value(row), col.kind, fmt)
            written += 1
        if truncated:
            # constant_memory writes rows in order, so the notice goes below the last row.
            ws.write_string(
                written + 2, 0, _("仅导出前 %(cap)s 行；请缩小筛选范围后再导出其余部分。") % {"cap": f"{cap:,}"}
            )
    finally:
        book.close()
    return written, truncated


def _cell(ws: Any, r: int, c: int, value: Any, kind: Kind, fmt: Mapping[str, Any]) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None)
    elif kind == "money" and isinstance(value, (Decimal, int, float)):
        ws.write_number(r, c, float(value), fmt["money"])
    elif kind == "number" and isinstance(value, (Decimal, int, float)):
        ws.write_number(r, c, float(value), fmt["number"])
    elif kind == "int" and isinstance(value, (int, Decimal)):
        ws.write_number(r, c, int(value), fmt["int"])
    elif kind == "datetime" and isinstance(value, datetime):
        ws.write_datetime(r, c, _local(value) if value.tzinfo else value, fmt["datetime"])
    elif kind == "date" and isinstance(value, date):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt["date"])
    else:
        # Text is written as text: a complainant's "=HYPERLINK(…)" must stay a string (CSV/XLSX injection).
        ws.write_string(r, c, str(value))


def xlsx_export(
    actor: Actor,
    *,
    list_name: str,
    rows: Iterable[Any],
    columns: list[Column],
    filters: Mapping[str, Any],
    filename: str,
    cap: int = DEFAULT_CAP,
) -> FileResponse:
    """Build the workbook in a temporary file, audit the export, stream the file back.

    ``list_name`` names the list in the audit trail (e.g. ``"queue"``); ``filters`` is the filter the
    user applied, recorded as given. The response carries ``X-Export-Rows`` and, when the cap cut the
    list, ``X-Export-Truncated: 1`` (the sheet itself says so under the last row).
    """
    fd, path = tempfile.mkstemp(prefix="redressal-export-", suffix=".xlsx")
    os.close(fd)
    try:
        written, truncated = write_xlsx(path, rows, columns, cap=cap, sheet=list_name)
        record_audit(
            "export.xlsx",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="list",
            object_id=list_name,
            payload={"filters": dict(filters), "rows": written, "truncated": truncated, "cap": cap},
        )
        handle = open(path, "rb")  # FileResponse closes it after streaming
    finally:
        os.unlink(path)  # POSIX: the open handle keeps the data until the response is sent
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["X-Export-Rows"] = str(written)
    if truncated:
        response["X-Export-Truncated"] = "1"
    return response
