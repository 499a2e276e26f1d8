"""The decision notice as a PDF (SPEC §4): WeasyPrint, HTML → PDF, with the Chinese font embedded.

ARCHITECTURE §7: WeasyPrint picked Noto Sans CJK **JP** glyph shapes for ``lang="zh-Hans"``, so the
stylesheet names "Noto Sans CJK SC" explicitly. The PDF is made outside any transaction and writes
nothing.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from redressal.cases.models import Case, Decision
from redressal.cases.services.deadlines import profile_of

OUTCOME_ZH = {
    "upheld": "投诉成立",
    "partly_upheld": "投诉部分成立",
    "not_upheld": "投诉不成立",
    "settled": "协商和解",
}
REVIEW_OUTCOME_ZH = {"upheld": "维持原处理决定", "revised": "变更原处理决定"}


def notice_html(case: Case, decision: Decision) -> str:
    tz = profile_of(case).tz
    review = case.kind == Case.Kind.REVIEW
    outcomes = REVIEW_OUTCOME_ZH if review else OUTCOME_ZH
    # The notice goes to the complainant: always in Chinese, whatever language the staff page uses.
    with translation.override("zh-hans"):
        return render_to_string(
            "cases/notice.html",
            {
                "case": case,
                "decision": decision,
                "outcome": outcomes.get(decision.outcome, decision.outcome),
                "title": "核查决定告知书" if review else "投诉处理决定告知书",
                "notice_at": decision.notice_at.astimezone(tz),
                "received_at": case.received_at.astimezone(tz),
            },
        )


def render_notice_pdf(case: Case, decision: Decision) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    pdf = HTML(string=notice_html(case, decision)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
