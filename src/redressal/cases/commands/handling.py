"""Commands whose choices ``services.handling`` still defines (contact, responsibility)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from redressal.cases.commands import Code, Command, Moment, OneOf, Text, Version
from redressal.cases.services.handling import CONTACT_CHANNELS, CONTACT_OUTCOMES, MEASURES, RESPONSIBILITY


@dataclass(frozen=True, kw_only=True)
class Accept(Command):
    action: ClassVar[str] = "accept"

    contact_channel: Annotated[str, OneOf(CONTACT_CHANNELS)]
    contact_outcome: Annotated[str, OneOf(CONTACT_OUTCOMES)]
    explained: Text = ""
    # 办法 第十六条 (recusal): the handler declares no direct interest; the service refuses an unticked box.
    no_direct_interest: bool
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


@dataclass(frozen=True, kw_only=True)
class SetResponsibility(Command):
    action: ClassVar[str] = "set_responsibility"

    finding: Annotated[str, OneOf(RESPONSIBILITY)]
    root_cause_code: Code = ""
    root_cause_text: Text = ""
    responsible_unit: Code = ""
    responsible_staff: Code = ""
    measure: Annotated[str, OneOf(MEASURES)] = "none"
    expected_version: Version | None = None
