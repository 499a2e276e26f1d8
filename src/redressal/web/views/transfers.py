"""Regulator transfer lists (监管转办导入, SPEC §9): upload → preview → confirm → report; the batches;
the reply sheet. The uploaded file waits between preview and confirmation in the data folder under
its SHA-256 and the importer's id; the import judges it again, so nothing shown stale is imported."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from redressal.audit.services import record_audit
from redressal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from redressal.domain.choices import REGULATOR_LABELS
from redressal.org.models import OrgUnit
from redressal.transfers import reading, services
from redressal.transfers.export import reply_xlsx
from redressal.transfers.labels import error_text, status_labels
from redressal.web.views._common import current_actor, error_page

_SHA = re.compile(r"^[0-9a-f]{64}$")


def _pending(staff_id: int, sha: str) -> Path:
    return Path(settings.DATA_DIR) / "transfers" / "pending" / f"{staff_id}-{sha}"


def _require(request: HttpRequest) -> Any:
    actor = current_actor(request)
    if not actor.has(services.PERMISSION):
        raise PermissionDenied("permission_denied", "missing permission 'transfers.import'")
    return actor


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = status_labels()
    names = dict(OrgUnit.objects.filter(code__in={r["unit"] for r in rows}).values_list("code", "name"))
    return [
        {
            **r,
            "unit_name": names.get(r["unit"], r["unit"]),
            "status_label": labels.get(r["status"], r["status"]),
            "problems": [error_text(e) for e in r["errors"]],
        }
        for r in rows
    ]


def _home_context(actor: Any) -> dict[str, Any]:
    return {
        "mappings": [
            {"key": m.key, "title": m.title, "regulator": _(REGULATOR_LABELS.get(m.regulator, m.regulator))}
            for m in reading.mappings().values()
        ],
        "units": services.importable_units(actor),
        "batches": services.batches(actor),
    }


@login_required
@require_GET
def transfers_home(request: HttpRequest) -> HttpResponse:
    try:
        actor = _require(request)
        return render(request, "web/transfers/home.html", _home_context(actor))
    except ServiceError as exc:
        return error_page(request, exc)


@login_required
@require_POST
def transfers_preview(request: HttpRequest) -> HttpResponse:
    try:
        actor = _require(request)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("required", _("请选择要导入的文件"), field="file")
        content = upload.read()
        mapping_key = request.POST.get("regulator", "")
        unit_code = request.POST.get("unit", "")
        preview = services.preview_transfers(
            actor, mapping_key=mapping_key, filename=upload.name or "", content=content, unit_code=unit_code
        )
    except ServiceError as exc:
        return error_page(request, exc)
    path = _pending(actor.id, preview.sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The importer's earlier previews never confirmed: gone after a day (no job needed for so little).
    for stale in path.parent.glob(f"{actor.id}-*"):
        if stale.stat().st_mtime < time.time() - 86400:
            stale.unlink(missing_ok=True)
    path.write_bytes(content)
    context = {
        "preview": preview,
        "rows": _rows([r.as_dict() for r in preview.rows]),
        "counts": preview.counts(),
        "mapping_key": mapping_key,
        "unit_code": unit_code,
    }
    return render(request, "web/transfers/preview.html", context)


@login_required
@require_POST
def transfers_import(request: HttpRequest) -> HttpResponse:
    try:
        actor = _require(request)
        sha = request.POST.get("sha256", "")
        path = _pending(actor.id, sha) if _SHA.match(sha) else None
        if path is None or not path.is_file():
            raise ValidationFailed("upload_expired", _("预览的文件已不存在，请重新上传"), field="file")
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != sha:
            raise ValidationFailed("upload_expired", _("预览的文件已不存在，请重新上传"), field="file")
        batch = services.import_transfers(
            actor,
            mapping_key=request.POST.get("regulator", ""),
            filename=request.POST.get("filename", "")[:255],
            content=content,
            unit_code=request.POST.get("unit", ""),
        )
        path.unlink(missing_ok=True)
    except ServiceError as exc:
        return error_page(request, exc)
    return redirect("web:transfers_batch", batch_id=batch.pk)


@login_required
@require_GET
def transfers_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        actor = _require(request)
        batch = services.get_batch(actor, batch_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return render(request, "web/transfers/batch.html", {"batch": batch, "rows": _rows(batch.report)})


def _day(request: HttpRequest, name: str) -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed("invalid_date", _("日期格式应为 YYYY-MM-DD"), field=name) from None


@login_required
@require_GET
def transfers_reply(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    try:
        batch = request.GET.get("batch", "")
        filters = {"batch": batch, "since": request.GET.get("since", ""), "until": request.GET.get("until", "")}
        rows = services.reply_rows(
            actor,
            batch_id=int(batch) if batch.isdigit() else None,
            since=_day(request, "since"),
            until=_day(request, "until"),
        )
    except ServiceError as exc:
        return error_page(request, exc)
    data = reply_xlsx(rows)
    record_audit(
        "export.xlsx",
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type="list",
        object_id="regulator_reply",
        payload={"filters": filters, "rows": len(rows), "truncated": False, "cap": 5000},
    )
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="regulator-reply.xlsx"'
    response["X-Export-Rows"] = str(len(rows))
    return response
