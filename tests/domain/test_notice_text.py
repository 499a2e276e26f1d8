"""The decision notice's wording (``domain.notice``, moved out of the web and the PDF module in issue 12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from redressal.domain.notice import addressee_name, case_notice_draft, fill_notice, long_date, remedy_text

MAN = "110101199003071234"  # 17th digit odd: male
WOMAN = "110101199003071244"  # even: female


def test_a_letter_dates_without_leading_zeros():
    assert long_date(date(2024, 3, 5)) == "2024年3月5日"


def test_the_complainant_is_addressed_as_the_id_number_tells():
    assert addressee_name("王秀英", individual=True, id_number=MAN) == "王秀英先生"
    assert addressee_name("李梅", individual=True, id_number=WOMAN) == "李梅女士"
    assert addressee_name(" 赵敏 ", individual=True) == "赵敏"
    assert addressee_name("某某科技有限公司", individual=False, id_number=MAN) == "某某科技有限公司"
    assert addressee_name("  ", individual=True, id_number=MAN) == "客户"


def test_a_cases_draft_names_the_case_the_day_and_the_amount_at_stake():
    draft = case_notice_draft(
        review_window_days=30, complainant="李梅女士", received_on=date(2024, 9, 9), subject="信用卡",
        case_number="RC-2024-000001", amount=Decimal("1234.5"),
    )
    assert draft.startswith(
        "尊敬的李梅女士：\n您于2024年9月9日提出的关于信用卡的投诉（工单编号 RC-2024-000001，涉及金额 1,234.50 元）"
    )
    assert "起30日内向我行上级机构书面申请核查" in draft
    assert "调解" in draft and "仲裁" in draft and "诉讼" in draft
    without = case_notice_draft(
        review_window_days=30, complainant="", received_on=date(2024, 9, 9), subject="", case_number="X", amount=None
    )
    assert "尊敬的客户" in without and "关于我行业务的投诉（工单编号 X）" in without


def test_placeholders_left_unedited_are_filled_and_none_remains():
    filled = fill_notice(
        "处理结果：【处理结果】\n理由及依据：【理由】【依据】\n补救措施：【补救措施】",
        outcome="投诉成立", reasons="系统故障", basis="合同第5条", remedy="",
    )
    assert filled == "处理结果：投诉成立\n理由及依据：系统故障（合同第5条）\n补救措施：—"
    assert "【" not in filled


def test_the_remedy_names_each_item_in_chinese_with_its_amount():
    items = [{"kind": "refund", "amount": "300"}, {"kind": "fee_waiver", "amount": "20.5"}, "not an item"]
    stated = remedy_text("退还年费。", items, Decimal("320.5"))
    assert stated == "退还年费：退款 300.00 元；减免费用 20.50 元（合计 320.50 元）"
    assert remedy_text("致歉", [{"kind": "non_monetary", "amount": "0"}], Decimal("0")) == "致歉：非金钱补救"
    assert remedy_text("说明情况", [], None) == "说明情况"
