from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from redressal.domain.profiles import (
    Profile,
    ProfileError,
    available_profiles,
    load_profile,
    parse_profile,
    profile_for,
)


def raw_cn_2020_3() -> dict[str, Any]:
    text = resources.files("redressal.domain.profiles").joinpath("cn-2020-3.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def test_available_profiles() -> None:
    assert available_profiles() == ["CN-2020-3"]


def test_cn_2020_3_values() -> None:
    p = load_profile("CN-2020-3")
    assert (p.code, p.version, p.timezone) == ("CN-2020-3", 1, "Asia/Shanghai")
    assert p.tz == ZoneInfo("Asia/Shanghai")
    assert p.effective_from == date(2020, 3, 1) and p.effective_to is None
    # 办法 第十八条: 15 days, extended to 30, then to 60 at most.
    assert p.decision.days == 15 and p.decision.max_days == 60 and p.decision.extend_before_due
    l1, l2 = p.decision.extensions
    assert (l1.level, l1.days_from_receipt, l1.requires_level, l1.notice_required) == (1, 30, None, True)
    assert l1.approver_roles == {"supervisor", "branch_head", "senior_manager"}
    assert (l2.level, l2.days_from_receipt, l2.requires_level) == (2, 60, 1)
    assert l2.approver_roles == {"senior_manager"} and l2.notice_required and l2.notice_before_due
    assert p.decision.extension(2) is l2
    assert p.pause.reasons == {"appraisal", "testing", "evaluation"}
    assert p.pause.requires_external_party and p.pause.notice_required
    assert p.restart_days == 15
    assert p.first_contact_working_days == 1 and p.regulator_forwarded_first_contact_working_days == 1
    assert p.acknowledge_working_days == 0
    assert p.collaboration_task_working_days == 2
    assert (p.review.request_window_days, p.review.decision_days) == (30, 30)
    assert p.feedback_auto_close_days == 7
    assert p.warnings.fractions == (0.5, 0.8) and p.warnings.days_before_due == (2,) and p.warnings.breach
    assert p.follow_up_within_days == 7 and p.follow_up_sample_rate == 0.2
    assert p.follow_up.mandatory_for == {"P1", "P2", "elderly", "compensation"}
    assert dict(p.authority_limits) == {
        "handler": Decimal("500"),
        "supervisor": Decimal("5000"),
        "branch_head": Decimal("50000"),
        "senior_manager": None,
    }
    assert p.elderly_age == 65


def test_load_is_cached_and_case_insensitive() -> None:
    assert load_profile("cn-2020-3") is load_profile("CN-2020-3")


def test_profile_is_immutable_and_hashable() -> None:
    p = load_profile("CN-2020-3")
    with pytest.raises(AttributeError):
        p.version = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.authority_limits["handler"] = Decimal("1")  # type: ignore[index]
    assert hash(p) == hash(("CN-2020-3", 1))


def test_unknown_code() -> None:
    with pytest.raises(ProfileError, match="no profile 'XX-1'") as exc:
        load_profile("XX-1")
    assert exc.value.key == "code"


def test_profile_for_received_date() -> None:
    assert profile_for(date(2020, 3, 1)).code == "CN-2020-3"
    assert profile_for(date(2024, 9, 20)).code == "CN-2020-3"
    with pytest.raises(ProfileError):
        profile_for(date(2020, 2, 29))


def test_profile_for_datetime_uses_the_profile_time_zone() -> None:
    # 2020-02-29 16:30 UTC is 2020-03-01 00:30 in Shanghai: the new rules apply.
    assert profile_for(datetime(2020, 2, 29, 16, 30, tzinfo=UTC)).code == "CN-2020-3"
    with pytest.raises(ProfileError):
        profile_for(datetime(2020, 2, 29, 15, 30, tzinfo=UTC))
    with pytest.raises(ValueError):
        profile_for(datetime(2020, 3, 2))


def test_parse_round_trip() -> None:
    assert parse_profile(raw_cn_2020_3()) == load_profile("CN-2020-3")


def mutated(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw_cn_2020_3())
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is _DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        ("code", _DELETE, "code"),
        ("version", 0, "version"),
        ("version", "1", "version"),
        ("timezone", "Mars/Olympus", "timezone"),
        ("effective_from", "2020-13-01", "effective_from"),
        ("effective_to", "2019-01-01", "effective_to"),
        ("decision.days", True, "decision.days"),
        ("decision.days", _DELETE, "decision.days"),
        ("decision.max_days", 45, "decision.extensions[1].days_from_receipt"),
        ("decision.extensions.1.level", 3, "decision.extensions[1].level"),
        ("decision.extensions.1.days_from_receipt", 30, "decision.extensions[1].days_from_receipt"),
        ("decision.extensions.1.requires_level", 2, "decision.extensions[1].requires_level"),
        ("decision.extensions.0.approver_roles", [], "decision.extensions[0].approver_roles"),
        ("decision.extensions.0.approver_roles", "supervisor", "decision.extensions[0].approver_roles"),
        ("decision.extensions.0.notice_required", "yes", "decision.extensions[0].notice_required"),
        ("decision.extension_days", 30, "decision.extension_days"),  # a typo is an unknown key
        ("pause.reasons", [1], "pause.reasons"),
        ("restart", 15, "restart"),
        ("first_contact.working_days", -1, "first_contact.working_days"),
        ("warnings.fractions", [0.5, 1.5], "warnings.fractions[1]"),
        ("warnings.days_before_due", [0], "warnings.days_before_due[0]"),
        ("follow_up.sample_rate", 2, "follow_up.sample_rate"),
        ("authority_limits.handler", 500.0, "authority_limits.handler"),
        ("authority_limits.handler", "five hundred", "authority_limits.handler"),
        ("authority_limits.handler", "-1", "authority_limits.handler"),
        ("elderly_age", None, "elderly_age"),
        ("surprise", 1, "surprise"),
    ],
)
def test_validation_names_the_key(path: str, value: Any, key: str) -> None:
    with pytest.raises(ProfileError) as exc:
        parse_profile(mutated(path, value), source="test.yaml")
    assert exc.value.key == key
    assert str(exc.value).startswith(f"test.yaml: {key}: ")


def test_root_must_be_a_mapping() -> None:
    with pytest.raises(ProfileError, match="must be a mapping"):
        parse_profile(["not", "a", "mapping"])


def test_whole_number_limits_and_string_dates_are_accepted() -> None:
    data = mutated("authority_limits.handler", 500)
    data["effective_from"] = "2020-03-01"
    p = parse_profile(data)
    assert p.authority_limits["handler"] == Decimal("500")
    assert p.effective_from == date(2020, 3, 1)
    assert isinstance(p, Profile)
