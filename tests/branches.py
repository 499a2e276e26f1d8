"""A second branch beside the ``bank`` fixture's Beijing one: what cross-branch refusals are tested against."""

from __future__ import annotations

from tests.conftest import PASSWORD


def add_shanghai(bank) -> None:
    """上海分行 (SH) with an outlet SH01 and its own agent, handler, supervisor and branch head, added to
    ``bank.people`` as shagent, shhandler, shsup, shhead (their usernames)."""
    from redressal.org.services import create_staff, create_unit

    branch = create_unit("SH", "上海分行", "branch", bank.ho)
    outlet = create_unit("SH01", "上海浦东支行", "outlet", branch)
    p = bank.people
    p["shhead"] = create_staff("shhead", PASSWORD, branch, ["branch_head"], manager=p["senior"])
    p["shsup"] = create_staff("shsup", PASSWORD, branch, ["supervisor"], manager=p["shhead"])
    p["shhandler"] = create_staff("shhandler", PASSWORD, branch, ["handler"], manager=p["shsup"])
    p["shagent"] = create_staff("shagent", PASSWORD, outlet, ["agent"])
    bank.shanghai, bank.shanghai_outlet = branch, outlet
