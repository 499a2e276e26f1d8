"""Steps many tests take on the way to the state they are about, written once."""

from __future__ import annotations

from redressal.cases import services as svc
from redressal.triage.services import confirm_classification

ROUTES = ["review", "mediation", "arbitration", "litigation"]


def accept(case_id: int, actor, **kw):
    return svc.accept_case(
        case_id, actor=actor, contact_channel="phone", contact_outcome="reached", no_direct_interest=True, **kw
    )


def confirm_codes(case_id: int, actor, business: str = "B01", cause: str = "C01"):
    """Confirm the B and C codes, as a decision needs (the regulatory report counts confirmed codes)."""
    confirm_classification(case_id, actor=actor, axis="business", code=business)
    return confirm_classification(case_id, actor=actor, axis="cause", code=cause)


def respond(case_id: int, actor, *, outcome: str = "not_upheld", remedy: str = "", channel: str = "sms", **kw):
    if kw.pop("confirm", True):
        confirm_codes(case_id, actor)
    return svc.respond_to_case(
        case_id,
        actor=actor,
        outcome=outcome,
        reasons=kw.pop("reasons", "按合同收费"),
        basis=kw.pop("basis", "合同第3条"),
        remedy=remedy,
        notice=svc.Notice(channel, "经核实……", ROUTES),
        **kw,
    )


def accept_and_respond(case_id: int, actor, **kw):
    accept(case_id, actor)
    svc.start_investigation(case_id, actor=actor)
    return respond(case_id, actor, **kw)
