"""A closed case full of personal data, the way the library's tests need one."""

from __future__ import annotations

import time_machine

from redressal.cases import services as svc
from redressal.customers.services import CustomerInput
from tests.conftest import local
from tests.flows import accept, confirm_codes

NAME = "王秀英"
PHONE = "13812345678"
ID = "110101195001011237"  # replaced below by one with a valid check digit
CARD = "6222021234567894"  # passes Luhn
ADDRESS = "北京市朝阳区建国路88号3号楼2单元501室"
TELLER = "郭丽萍"


def _id(first17: str = "11010119500101123") -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


ID = _id()
PERSONAL = (NAME, PHONE, ID, CARD, ADDRESS, TELLER, "建国路88号")


def closed_case(bank, *, received=None, business: str = "B0301", cause: str = "C01"):
    """A complaint about a teller's attitude to an elderly customer, answered and closed; its texts name
    the customer and the teller and carry the customer's phone, ID, card number and address."""
    from redressal.org.models import Staff

    Staff.objects.filter(pk=bank.people["teller"].pk).update(display_name=TELLER)
    bank.people["teller"].refresh_from_db()
    received = received or local(2024, 9, 9, 9, 30)
    with time_machine.travel(received, tick=False):
        case = svc.register_case(
            svc.RegisterInput(
                request_type="complaint",
                channel="counter",
                description=(
                    f"客户{NAME}（78岁）于2024年9月6日到北京朝阳支行办理借记卡{CARD}取款，柜员{TELLER}态度不耐烦。"
                    f"王女士留下电话{PHONE}，身份证{ID}，住{ADDRESS}。"
                ),
                customer=CustomerInput(
                    name=NAME, phone=PHONE, id_number=ID, card_number=CARD, address=ADDRESS, vulnerable=["elderly"]
                ),
                respondent_unit_code="BJ01",
                respondent_staff_username="teller1",
            ),
            actor=bank.actor("agent"),
        )
    handler = bank.actor("handler")
    with time_machine.travel(received.replace(hour=14), tick=False):
        accept(case.pk, handler)
        svc.start_investigation(case.pk, actor=handler)
        svc.add_note(
            case.pk, actor=handler, text=f"9月9日调取录像，{TELLER}确有不耐烦用语；已致电{PHONE}向王女士致歉。"
        )
        confirm_codes(case.pk, handler, business=business, cause=cause)
        svc.respond_to_case(
            case.pk,
            actor=handler,
            outcome="upheld",
            reasons=f"经核实，柜员{TELLER}服务态度不当，投诉成立。",
            basis="《服务规范》第5条",
            remedy="当面致歉，柜员参加适老化服务再培训。",
            notice=svc.Notice("phone", f"尊敬的{NAME}：经核实……", ["review", "mediation", "arbitration", "litigation"]),
        )
        return svc.record_feedback(case.pk, actor=handler, result="satisfied", csat=5)
