"""Who may call the complainant of a case (SPEC §1, §13).

The customer's contact phone is personal data, masked for anyone without ``pii.view``; but whoever
handles the case has to be able to call. So the case's team may see it, case by case, with a reason:
the assignee, and the staff holding a handling role (``case.contact``) on the case's own unit, the
people the case is routed and assigned among. A grant on a unit above (a branch head over all its
outlets) is not the team: it reads the case, and asks the team or holds ``pii.view``.
"""

from __future__ import annotations

from collections.abc import Iterable

CONTACT_PERMISSION = "case.contact"


def on_case_team(*, is_assignee: bool, contact_units: Iterable[str], case_unit: str) -> bool:
    """``contact_units``: the paths of the units where the person holds ``case.contact`` themselves."""
    return is_assignee or case_unit in set(contact_units)
