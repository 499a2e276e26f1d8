"""The regulatory report as a filing copies it: XLSX (one sheet per table) and PDF (the same tables).

Both are laid out as the report's sections in order — summary, channel (A), business (B), cause (C),
units, regions, the data-quality warning — with the code in its own column next to its name, counts
as numbers and shares as percentages, so a cell can be copied into the regulator's form as it is.
Nothing personal: case numbers only. Made outside any transaction; writes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xlsxwriter import Workbook

# The summary's lines: (key in the report, label, kind). Kinds: count, rate (a fraction shown as %),
# ratio (two decimals), text.
SUMMARY: Sequence[tuple[str, Any, str]] = (
    ("total", gettext_lazy("投诉总量（件）"), "count"),
    ("previous_total", gettext_lazy("上期投诉量（件）"), "count"),
    ("change", gettext_lazy("环比变化"), "rate"),
    ("regulator_forwarded", gettext_lazy("监管转办投诉（件）"), "count"),
    ("regulator_forwarded_share", gettext_lazy("监管转办占比"), "rate"),
    ("decided", gettext_lazy("本期办结投诉（件）"), "count"),
    ("on_time_rate", gettext_lazy("按时办结率"), "rate"),
    ("extension_l1_rate", gettext_lazy("延期率（一级及以上）"), "rate"),
    ("extension_l2_rate", gettext_lazy("二级延期率"), "rate"),
    ("pause_rate", gettext_lazy("中止率"), "rate"),
    ("reviews", gettext_lazy("核查申请（件）"), "count"),
    ("review_rate", gettext_lazy("核查率"), "rate"),
    ("reviews_decided", gettext_lazy("核查办结（件）"), "count"),
    ("overturn_rate", gettext_lazy("核查改变原决定率"), "rate"),
    ("outlets", gettext_lazy("营业网点数"), "count"),
    ("individual_customers", gettext_lazy("个人客户数"), "count"),
    ("per_1000_outlets", gettext_lazy("每千家网点投诉量"), "ratio"),
    ("per_10m_customers", gettext_lazy("每千万个人客户投诉量"), "ratio"),
    ("unconfirmed", gettext_lazy("分类未确认的投诉（件）"), "count"),
)

AXES: Sequence[tuple[str, Any]] = (
    ("by_channel", gettext_lazy("投诉渠道（A）")),
    ("by_business", gettext_lazy("业务类别（B）")),
    ("by_cause", gettext_lazy("投诉原因（C）")),
)


AXIS_NAMES: dict[str, Any] = {"business": gettext_lazy("业务类别（B）"), "cause": gettext_lazy("投诉原因（C）")}


def missing_labels(row: dict[str, Any]) -> str:
    return "、".join(str(AXIS_NAMES[a]) for a in row["missing"])


def code_label(row: dict[str, Any], language: str) -> str:
    return str(row["label_en"] if language.startswith("en") else row["label_zh"])


def unit_name(row: dict[str, Any], language: str) -> str:
    return str(row["name_en"] if language.startswith("en") else row["name"])


def shown(value: Any, kind: str) -> str:
    """A figure as the page and the PDF print it: — when there is nothing to divide by."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{float(value) * 100:.2f}%"
    if kind == "ratio":
        return f"{float(value):.2f}"
    return str(value)


def as_of_shown(report: dict[str, Any]) -> str:
    """The moment the figures are taken at, as a person reads it (the report keeps it in the bank's time)."""
    return str(report["as_of"])[:16].replace("T", " ")


def title(report: dict[str, Any]) -> str:
    return _("%(bank)s 消费投诉统计报表 %(period)s") % {"bank": settings.BANK_NAME, "period": report["period"]}


def report_xlsx(report: dict[str, Any], language: str) -> bytes:
    out = io.BytesIO()
    book = Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    pct = book.add_format({"num_format": "0.00%"})
    two = book.add_format({"num_format": "0.00"})
    formats = {"rate": pct, "ratio": two}

    summary = book.add_worksheet(_("汇总"))
    summary.set_column(0, 0, 30)
    summary.set_column(1, 1, 18)
    summary.write(0, 0, title(report), bold)
    summary.write(1, 0, _("统计期间"))
    summary.write(1, 1, f"{report['start']} — {report['end']}")
    summary.write(2, 0, _("数据截至"))
    summary.write(2, 1, as_of_shown(report))
    for i, (key, label, kind) in enumerate(SUMMARY, start=4):
        summary.write(i, 0, str(label))
        value = report[key]
        if value is None:
            summary.write(i, 1, "—")
        elif kind in formats:
            summary.write_number(i, 1, float(value), formats[kind])
        else:
            summary.write_number(i, 1, value)

    heads = [_("代码"), _("名称"), _("件数"), _("占比"), _("上期件数"), _("环比变化")]
    for key, label in AXES:
        ws = book.add_worksheet(str(label)[:31])
        ws.set_column(0, 0, 10)
        ws.set_column(1, 1, 30)
        ws.write_row(0, 0, heads, bold)
        for r, row in enumerate(report[key], start=1):
            ws.write(r, 0, row["code"])
            ws.write(r, 1, ("    " if row["level"] == 2 else "") + code_label(row, language))
            ws.write_number(r, 2, row["count"])
            _number_or_dash(ws, r, 3, row["share"], pct)
            ws.write_number(r, 4, row["previous"])
            _number_or_dash(ws, r, 5, row["change"], pct)

    units = book.add_worksheet(_("机构"))
    units.set_column(0, 1, 20)
    units.write_row(
        0,
        0,
        [_("机构代码"), _("机构"), _("地区"), _("件数"), _("占比"), _("监管转办"), _("办结件数"), _("按时办结率")],
        bold,
    )
    for r, row in enumerate(report["by_unit"], start=1):
        units.write_row(r, 0, [row["code"], unit_name(row, language), row["region"], row["count"]])
        _number_or_dash(units, r, 4, row["share"], pct)
        units.write_number(r, 5, row["regulator_forwarded"])
        units.write_number(r, 6, row["decided"])
        _number_or_dash(units, r, 7, row["on_time_rate"], pct)

    regions = book.add_worksheet(_("地区"))
    regions.write_row(0, 0, [_("地区"), _("件数"), _("占比")], bold)
    for r, row in enumerate(report["by_region"], start=1):
        regions.write(r, 0, row["region"] or _("未填写"))
        regions.write_number(r, 1, row["count"])
        _number_or_dash(regions, r, 2, row["share"], pct)

    intensity = book.add_worksheet(_("各机构投诉强度"))
    intensity.set_column(0, 0, 20)
    intensity.write_row(
        0,
        0,
        [
            _("机构代码"),
            _("机构（含下级机构）"),
            _("件数"),
            _("营业网点数"),
            _("个人客户数"),
            _("每千家网点投诉量"),
            _("每千万个人客户投诉量"),
        ],
        bold,
    )
    for r, row in enumerate(report["intensity_by_unit"], start=1):
        intensity.write_row(
            r, 0, [row["code"], unit_name(row, language), row["count"], row["outlets"], row["individual_customers"]]
        )
        _number_or_dash(intensity, r, 5, row["per_1000_outlets"], two)
        _number_or_dash(intensity, r, 6, row["per_10m_customers"], two)

    warnings = book.add_worksheet(_("数据质量"))
    warnings.set_column(0, 0, 26)
    warnings.write_row(0, 0, [_("编号"), _("未确认的分类")], bold)
    for r, row in enumerate(report.get("warnings", []), start=1):
        warnings.write_row(r, 0, [row["case_number"], missing_labels(row)])
    book.close()
    return out.getvalue()


def _number_or_dash(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    if value is None:
        ws.write(r, c, "—")
    else:
        ws.write_number(r, c, float(value), fmt)


def report_html(report: dict[str, Any], language: str) -> str:
    with translation.override(language):
        summary = [(str(label), shown(report[key], kind)) for key, label, kind in SUMMARY]
        tables = [
            (
                str(label),
                [
                    {
                        "code": row["code"],
                        "name": code_label(row, language),
                        "level": row["level"],
                        "count": row["count"],
                        "share": shown(row["share"], "rate"),
                        "previous": row["previous"],
                        "change": shown(row["change"], "rate"),
                    }
                    for row in report[key]
                ],
            )
            for key, label in AXES
        ]
        units = [
            {
                **row,
                "display": unit_name(row, language),
                "share_shown": shown(row["share"], "rate"),
                "on_time_shown": shown(row["on_time_rate"], "rate"),
            }
            for row in report["by_unit"]
        ]
        return render_to_string(
            "insight/report_pdf.html",
            {
                "report": report,
                "title": title(report),
                "as_of_shown": as_of_shown(report),
                "summary": summary,
                "tables": tables,
                "units": units,
                "intensity": [
                    {
                        **row,
                        "display": unit_name(row, language),
                        "o": shown(row["per_1000_outlets"], "ratio"),
                        "c": shown(row["per_10m_customers"], "ratio"),
                    }
                    for row in report["intensity_by_unit"]
                ],
                "regions": [{**r, "share_shown": shown(r["share"], "rate")} for r in report["by_region"]],
                "warnings": [{**w, "missing_shown": missing_labels(w)} for w in report.get("warnings", [])],
                "language": language,
            },
        )


def report_pdf(report: dict[str, Any], language: str) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    pdf = HTML(string=report_html(report, language)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
