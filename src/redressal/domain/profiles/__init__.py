"""Policy profiles: the regulation's periods and the bank's service levels, as versioned data.

A profile is a YAML file in this package, named after its code in lower case (``CN-2020-3`` →
``cn-2020-3.yaml``). It is validated on load into frozen dataclasses; any missing, misspelt or
ill-typed key raises :class:`ProfileError` naming the key, so a bad edit fails at start-up rather than
in a deadline computed months later. Loaded profiles are cached for the life of the process.

A case records the code and version of the profile in force on the day it was received
(:func:`profile_for`) and keeps them, so a later profile never changes the deadlines of an older case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

__all__ = [
    "DecisionRule",
    "ExtensionLevel",
    "FollowUpRule",
    "PauseRule",
    "Profile",
    "ProfileError",
    "ReviewRule",
    "WarningRule",
    "available_profiles",
    "load_profile",
    "parse_profile",
    "profile_for",
]


class ProfileError(ValueError):
    """A profile file is missing, malformed, or has a bad value; ``key`` is the dotted path."""

    def __init__(self, key: str, message: str, source: str = "") -> None:
        self.key = key
        self.message = message
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key}: {message}" if key else f"{where}{message}")


@dataclass(frozen=True)
class ExtensionLevel:
    """One step of extension of the decision period (办法 第十八条第一款)."""

    level: int
    days_from_receipt: int  # the whole period, counted from receipt, not the extra days
    approver_roles: frozenset[str]
    requires_level: int | None  # the level that must already be in force, e.g. L2 requires L1
    notice_required: bool  # the complainant is told of the extension
    notice_before_due: bool  # … and before the current period runs out


@dataclass(frozen=True)
class DecisionRule:
    days: int
    max_days: int
    extend_before_due: bool
    extensions: tuple[ExtensionLevel, ...]

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(e.level for e in self.extensions)

    def extension(self, level: int) -> ExtensionLevel:
        for ext in self.extensions:
            if ext.level == level:
                return ext
        raise KeyError(level)


@dataclass(frozen=True)
class PauseRule:
    """External appraisal, testing or evaluation is not counted (办法 第十八条第二款)."""

    reasons: frozenset[str]
    requires_external_party: bool
    notice_required: bool


@dataclass(frozen=True)
class ReviewRule:
    """核查 (办法 第二十条): the complainant's window to ask, and the reviewer's period to decide."""

    request_window_days: int
    decision_days: int


@dataclass(frozen=True)
class WarningRule:
    fractions: tuple[float, ...]  # of the period elapsed, each strictly between 0 and 1
    days_before_due: tuple[int, ...]
    breach: bool


@dataclass(frozen=True)
class FollowUpRule:
    within_days: int
    mandatory_for: frozenset[str]  # priorities (P1, P2) and flags (elderly, compensation)
    sample_rate: float  # share of the other cases visited


@dataclass(frozen=True)
class Profile:
    code: str
    version: int
    title: str
    timezone: str
    effective_from: date
    effective_to: date | None  # exclusive; None while in force
    decision: DecisionRule
    pause: PauseRule
    restart_days: int
    first_contact_working_days: int
    regulator_forwarded_first_contact_working_days: int
    acknowledge_working_days: int
    collaboration_task_working_days: int
    review: ReviewRule
    feedback_auto_close_days: int
    warnings: WarningRule
    follow_up: FollowUpRule
    authority_limits: Mapping[str, Decimal | None]  # None: unlimited
    elderly_age: int
    # The reply to a regulator that forwarded the complaint: calendar days from the forwarding date
    # (the day the bank received the transfer, not counted). None: the profile sets no such period.
    regulator_reply_days: int | None = None

    def __hash__(self) -> int:
        # authority_limits is a mapping; a profile is identified by its code and version.
        return hash((self.code, self.version))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def follow_up_within_days(self) -> int:
        return self.follow_up.within_days

    @property
    def follow_up_sample_rate(self) -> float:
        return self.follow_up.sample_rate

    def in_force_on(self, d: date) -> bool:
        return self.effective_from <= d and (self.effective_to is None or d < self.effective_to)


# --- loading -----------------------------------------------------------------------------------------


def available_profiles() -> list[str]:
    """Codes of all profiles shipped in this package, sorted."""
    return sorted(_load_file(name).code for name in _profile_files())


def load_profile(code: str) -> Profile:
    """The profile with this code (case-insensitive), e.g. ``load_profile("CN-2020-3")``."""
    name = f"{code.lower()}.yaml"
    if name not in _profile_files():
        raise ProfileError("code", f"no profile {code!r}; available: {', '.join(available_profiles())}")
    profile = _load_file(name)
    if profile.code.lower() != code.lower():
        raise ProfileError("code", f"file {name} declares code {profile.code!r}", source=name)
    return profile


def profile_for(received: date | datetime) -> Profile:
    """The profile in force on the day a case was received.

    Pass the local business date; an aware datetime is converted to each profile's own time zone.
    When two profiles overlap the later ``effective_from`` wins.
    """
    candidates: list[Profile] = []
    for name in _profile_files():
        profile = _load_file(name)
        if isinstance(received, datetime):
            if received.tzinfo is None:
                raise ValueError("received must be timezone-aware when given as a datetime")
            day = received.astimezone(profile.tz).date()
        else:
            day = received
        if profile.in_force_on(day):
            candidates.append(profile)
    if not candidates:
        raise ProfileError("effective_from", f"no profile is in force on {received.isoformat()}")
    return max(candidates, key=lambda p: (p.effective_from, p.version))


@cache
def _profile_files() -> frozenset[str]:
    return frozenset(
        entry.name for entry in resources.files(__name__).iterdir() if entry.name.endswith(".yaml")
    )


@cache
def _load_file(name: str) -> Profile:
    """Read and validate one YAML file of this package (cached)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError("", f"not valid YAML: {exc}", source=name) from exc
    return parse_profile(data, source=name)


# --- validation --------------------------------------------------------------------------------------

T = TypeVar("T")


class _Section:
    """A mapping read key by key; unknown keys are refused so that a typo cannot go unnoticed."""

    def __init__(self, data: object, path: str, source: str) -> None:
        if not isinstance(data, Mapping):
            raise ProfileError(path or "(root)", "must be a mapping", source)
        self.data: Mapping[object, object] = data
        self.path = path
        self.source = source
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, message: str) -> ProfileError:
        return ProfileError(self.key(name), message, self.source)

    def raw(self, name: str) -> object:
        self.seen.add(name)
        if name not in self.data:
            raise self.error(name, "is required")
        return self.data[name]

    def typed(self, name: str, kind: type[T], what: str) -> T:
        value = self.raw(name)
        # bool is an int in Python; a YAML "yes" must not pass for a number of days.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(name, f"must be {what}, got {value!r}")
        return value

    def text(self, name: str) -> str:
        value = self.typed(name, str, "a string")
        if not value.strip():
            raise self.error(name, "must not be empty")
        return value

    def flag(self, name: str) -> bool:
        return self.typed(name, bool, "true or false")

    def count(self, name: str, *, minimum: int = 0) -> int:
        value = self.typed(name, int, "an integer")
        if value < minimum:
            raise self.error(name, f"must be at least {minimum}, got {value}")
        return value

    def optional_count(self, name: str, *, minimum: int = 0) -> int | None:
        if self.raw(name) is None:
            return None
        return self.count(name, minimum=minimum)

    def fraction(self, name: str) -> float:
        value = self.raw(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.error(name, f"must be a number between 0 and 1, got {value!r}")
        return float(value)

    def optional_day(self, name: str) -> date | None:
        return None if self.raw(name) is None else self.day(name)

    def day(self, name: str) -> date:
        value = self.raw(name)
        if isinstance(value, datetime) or not isinstance(value, date | str):
            raise self.error(name, f"must be a date (YYYY-MM-DD), got {value!r}")
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise self.error(name, f"must be a date (YYYY-MM-DD), got {value!r}") from None
        return value

    def items(self, name: str) -> list[object]:
        return self.typed(name, list, "a list")

    def names(self, name: str) -> frozenset[str]:
        values = self.items(name)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.error(name, f"must be a list of names, got {values!r}")
        return frozenset(str(v) for v in values)

    def section(self, name: str) -> _Section:
        return _Section(self.raw(name), self.key(name), self.source)

    def done(self) -> None:
        extra = sorted(str(k) for k in self.data if k not in self.seen)
        if extra:
            raise self.error(extra[0], "is not a known key")


def parse_profile(data: object, *, source: str = "") -> Profile:
    """Validate a profile's parsed YAML and build the :class:`Profile`. Raises :class:`ProfileError`."""
    root = _Section(data, "", source)
    code = root.text("code")
    version = root.count("version", minimum=1)
    title = root.text("title")
    timezone = root.text("timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise root.error("timezone", f"unknown time zone {timezone!r}") from None
    effective_from = root.day("effective_from")
    effective_to = root.optional_day("effective_to")
    if effective_to is not None and effective_to <= effective_from:
        raise root.error("effective_to", "must be after effective_from")

    first_contact = root.section("first_contact")
    profile = Profile(
        code=code,
        version=version,
        title=title,
        timezone=timezone,
        effective_from=effective_from,
        effective_to=effective_to,
        decision=_decision(root.section("decision")),
        pause=_pause(root.section("pause")),
        restart_days=_single_count(root.section("restart"), "days", minimum=1),
        first_contact_working_days=first_contact.count("working_days"),
        regulator_forwarded_first_contact_working_days=first_contact.count(
            "regulator_forwarded_working_days"
        ),
        acknowledge_working_days=_single_count(root.section("acknowledge"), "working_days"),
        collaboration_task_working_days=_single_count(root.section("collaboration_task"), "working_days"),
        review=_review(root.section("review")),
        feedback_auto_close_days=_single_count(root.section("feedback"), "auto_close_days", minimum=1),
        warnings=_warnings(root.section("warnings")),
        follow_up=_follow_up(root.section("follow_up")),
        authority_limits=_authority_limits(root.section("authority_limits")),
        elderly_age=root.count("elderly_age", minimum=1),
        regulator_reply_days=(
            _single_count(root.section("regulator_reply"), "days", minimum=1)
            if "regulator_reply" in root.data
            else None
        ),
    )
    first_contact.done()
    root.done()
    return profile


def _single_count(section: _Section, name: str, *, minimum: int = 0) -> int:
    value = section.count(name, minimum=minimum)
    section.done()
    return value


def _decision(s: _Section) -> DecisionRule:
    days = s.count("days", minimum=1)
    max_days = s.count("max_days", minimum=days)
    extend_before_due = s.flag("extend_before_due")
    levels: list[ExtensionLevel] = []
    for i, item in enumerate(s.items("extensions")):
        e = _Section(item, s.key(f"extensions[{i}]"), s.source)
        level = e.count("level", minimum=1)
        if level != i + 1:
            raise e.error("level", f"levels must be 1, 2, … in order; expected {i + 1}, got {level}")
        previous_days = levels[-1].days_from_receipt if levels else days
        ext_days = e.count("days_from_receipt", minimum=1)
        if ext_days <= previous_days:
            raise e.error("days_from_receipt", f"must be longer than the period it extends ({previous_days})")
        if ext_days > max_days:
            raise e.error("days_from_receipt", f"exceeds decision.max_days ({max_days})")
        requires = e.optional_count("requires_level", minimum=1)
        if requires is not None and requires >= level:
            raise e.error("requires_level", "must be a lower level")
        roles = e.names("approver_roles")
        if not roles:
            raise e.error("approver_roles", "must name at least one role")
        levels.append(
            ExtensionLevel(
                level=level,
                days_from_receipt=ext_days,
                approver_roles=roles,
                requires_level=requires,
                notice_required=e.flag("notice_required"),
                notice_before_due=e.flag("notice_before_due"),
            )
        )
        e.done()
    s.done()
    return DecisionRule(
        days=days, max_days=max_days, extend_before_due=extend_before_due, extensions=tuple(levels)
    )


def _pause(s: _Section) -> PauseRule:
    rule = PauseRule(
        reasons=s.names("reasons"),
        requires_external_party=s.flag("requires_external_party"),
        notice_required=s.flag("notice_required"),
    )
    s.done()
    return rule


def _review(s: _Section) -> ReviewRule:
    rule = ReviewRule(
        request_window_days=s.count("request_window_days", minimum=1),
        decision_days=s.count("decision_days", minimum=1),
    )
    s.done()
    return rule


def _warnings(s: _Section) -> WarningRule:
    fractions: list[float] = []
    for i, value in enumerate(s.items("fractions")):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
            raise s.error(f"fractions[{i}]", f"must be a number strictly between 0 and 1, got {value!r}")
        fractions.append(float(value))
    days: list[int] = []
    for i, value in enumerate(s.items("days_before_due")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise s.error(f"days_before_due[{i}]", f"must be a whole number of days ≥ 1, got {value!r}")
        days.append(value)
    rule = WarningRule(
        fractions=tuple(sorted(set(fractions))),
        days_before_due=tuple(sorted(set(days))),
        breach=s.flag("breach"),
    )
    s.done()
    return rule


def _follow_up(s: _Section) -> FollowUpRule:
    rule = FollowUpRule(
        within_days=s.count("within_days", minimum=1),
        mandatory_for=s.names("mandatory_for"),
        sample_rate=s.fraction("sample_rate"),
    )
    s.done()
    return rule


def _authority_limits(s: _Section) -> Mapping[str, Decimal | None]:
    limits: dict[str, Decimal | None] = {}
    for role in s.data:
        name = str(role)
        value = s.raw(name)
        if value is None:
            limits[name] = None
            continue
        # Money is never a float: 0.1 + 0.2 != 0.3. Strings (or whole numbers) only.
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise s.error(name, f'must be a decimal string such as "5000" or null, got {value!r}')
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise s.error(name, f"is not a decimal amount: {value!r}") from None
        if not amount.is_finite() or amount < 0:
            raise s.error(name, f"must be a non-negative amount, got {value!r}")
        limits[name] = amount
    if not limits:
        raise ProfileError(s.path, "must name at least one role", s.source)
    s.done()
    return MappingProxyType(limits)
