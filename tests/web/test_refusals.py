"""Refusals read in the reader's language (SPEC §13): no developer English in the Chinese workbench.

The scan finds every refusal the services and the domain raise with a fixed code and an English
message, and asks the workbench's catalogue for its sentence; a new refusal without one fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from redressal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from redressal.web.refusals import REFUSALS, refusal_text
from tests.web.test_case_actions import act, investigating
from tests.web.test_case_page import login

SRC = Path(__file__).resolve().parents[2] / "src" / "redressal"
ERRORS = {"DomainError", "ServiceError", "ValidationFailed", "PermissionDenied", "NotFound", "Conflict"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _raised() -> dict[str, list[str]]:
    """code → where it is raised with a message that has no Chinese in it."""
    out: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        # The JSON API answers programs in the §14 shape with the service's message; the demo seeds data.
        if "migrations" in path.parts or path.relative_to(SRC).parts[0] in ("api", "demo"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            code, message = node.args[0], node.args[1]
            if name not in ERRORS:
                continue
            if isinstance(code, ast.JoinedStr):  # a code built from values: name the built forms below
                continue
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                if not CHINESE.search(ast.unparse(message)):
                    out.setdefault(code.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return out


def test_every_english_refusal_has_a_sentence_in_the_catalogue():
    raised = _raised()
    assert len(raised) > 30  # the scan sees the services and the domain
    missing = {code: places for code, places in raised.items() if code not in REFUSALS}
    assert missing == {}
    # Codes built from values in the domain (extension.l{level}_requires_l{n}).
    assert "extension.l2_requires_l1" in REFUSALS
    assert "calendar.year_missing" in REFUSALS  # raised by domain.calendar.CalendarYearMissing itself
    # domain.grants: each four-eyes kind's refusals
    assert {f"{kind}.{rule}" for kind in ("grant", "reset") for rule in ("self", "four_eyes", "decided")} <= set(
        REFUSALS
    )
    # cases.services.handling: "assignee." + domain.routing.assignment_refusal's reason
    assert {f"assignee.{why}" for why in ("role", "recusal", "unavailable", "absent")} <= set(REFUSALS)


def test_the_catalogue_is_chinese_and_translated():
    for key, text in REFUSALS.items():
        with translation.override("zh-hans"):
            assert CHINESE.search(str(text)), key
        with translation.override("en"):
            assert not CHINESE.search(str(text)), key


def test_refusal_text_prefers_a_translated_message_then_the_catalogue():
    with translation.override("zh-hans"):
        assert refusal_text(ServiceError("recusal.confirmation", "confirm you have no direct interest")) == (
            "请确认您与本工单无直接利害关系"
        )
        assert refusal_text(ValidationFailed("required", "a reason is required", field="reason")) == "请填写原因"
        assert refusal_text(ValidationFailed("too_long", "名称最多 60 个字", field="name")) == "名称最多 60 个字"
        unknown = refusal_text(PermissionDenied("some.new_rule", "something internal"))
        assert CHINESE.search(unknown) and "internal" not in unknown
    with translation.override("en"):
        text = refusal_text(ServiceError("recusal.confirmation", "x"))
        assert text == "Confirm you have no direct interest in this case"


@pytest.mark.django_db
def test_a_refused_action_reads_in_chinese_on_the_case_page(client, bank):
    case = investigating(bank)
    login(client, "supervisor1")
    data = {"level": "2", "reason": "特别复杂", "justification": "需外部鉴定", "customer_notified": "on"}
    r = act(client, case, "extend", data)
    body = r.content.decode()
    assert r.status_code in (400, 409, 422), body[:300]
    assert "二级延期须在一级延期之后办理" in body
    assert "needs the level-1" not in body and "level:" not in body
