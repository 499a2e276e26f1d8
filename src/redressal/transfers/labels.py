"""How a row of the import report reads to a person (Chinese msgids; the web and the CLI share them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def status_labels() -> dict[str, str]:
    return {
        "ok": _("可导入"),
        "imported": _("已导入"),
        "already_imported": _("此前已导入"),
        "duplicate_in_file": _("文件内重复"),
        "error": _("有错误"),
    }


def error_labels() -> dict[str, str]:
    return {
        "required": _("必填，未填写"),
        "bad_date": _("日期格式无法识别"),
        "bad_amount": _("金额格式不正确"),
        "unknown_value": _("取值不在对照表中"),
        "too_long": _("内容过长"),
        "future_time": _("日期不能晚于今天"),
        "too_early": _("日期过早"),
        "naive_time": _("时间缺少时区"),
        "out_of_scope": _("不在您可导入的机构范围内"),
    }


def error_text(error: dict[str, Any]) -> str:
    """「列名」: 原因 (值) — the regulator's own column named, as the file has it."""
    reason = error_labels().get(error.get("code", ""), "")
    detail = error.get("detail", "")
    if not reason:  # a refusal of the registration itself: its message as given
        reason, detail = _("登记被拒绝"), detail
    column = error.get("column") or error.get("field") or ""
    text = f"「{column}」{reason}" if column else reason
    return f"{text}（{detail}）" if detail else text


def row_text(row: dict[str, Any]) -> str:
    status = status_labels().get(row["status"], row["status"])
    parts = [status]
    if row.get("case_number"):
        parts.append(row["case_number"])
    if row.get("first_row"):
        parts.append(_("与第 %(n)s 行重复") % {"n": row["first_row"]})
    parts.extend(error_text(e) for e in row.get("errors", []))
    return "；".join(parts)
