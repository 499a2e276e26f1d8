"""Compensation authority limits (SPEC §8): the sum per case decides who may approve it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from redressal.domain.errors import DomainError
from redressal.domain.roles import ROLE_PERMISSIONS, Role

# Lowest to highest; a role missing from the profile's limits has no authority at all.
APPROVAL_LADDER = ("handler", "supervisor", "branch_head", "senior_manager")

# Money is recorded in yuan to the fen in columns of 18 digits, 2 after the point: a sum past
# MAX_MONEY cannot be stored (PostgreSQL refuses it, SQLite keeps a float no page can read back).
MONEY_MAX_DIGITS = 18
MONEY_DECIMAL_PLACES = 2
MAX_MONEY = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES) - Decimal(1).scaleb(-MONEY_DECIMAL_PLACES)
# A proposal itemises what the bank gives: a handful of refunds, waivers and payments, not a ledger.
MAX_PROPOSAL_ITEMS = 20


def limit_of(roles: Iterable[str], limits: Mapping[str, Decimal | None]) -> Decimal | None:
    """The highest limit among ``roles``; ``None`` means unlimited. Decimal('0') means none."""
    best: Decimal | None = Decimal("0")
    for role in roles:
        if role not in limits:
            continue
        value = limits[role]
        if value is None:
            return None
        if best is not None and value > best:
            best = value
    return best


def within_limit(amount: Decimal, roles: Iterable[str], limits: Mapping[str, Decimal | None]) -> bool:
    limit = limit_of(roles, limits)
    return limit is None or amount <= limit


def required_approver_role(amount: Decimal, limits: Mapping[str, Decimal | None]) -> str:
    for role in APPROVAL_LADDER:
        if role in limits and (limits[role] is None or amount <= limits[role]):  # type: ignore[operator]
            return role
    return APPROVAL_LADDER[-1]


@dataclass(frozen=True)
class Authority:
    """What a person is shown of compensation authority on a case (SPEC §8): their own limit, the
    approval ladder of the case's profile (lowest first, each role with its limit), and who must
    approve the amount awaiting approval."""

    own_limit: Decimal | None  # None: unlimited
    ladder: tuple[tuple[str, Decimal | None], ...]
    pending_approver: str  # "" while nothing awaits approval

    @property
    def unlimited(self) -> bool:
        return self.own_limit is None


def authority_of(
    roles: Iterable[str], limits: Mapping[str, Decimal | None], pending_amount: Decimal | None = None
) -> Authority:
    """``roles``: the person's roles over the case's unit; ``pending_amount``: the total of the
    proposal awaiting approval, if one does."""
    return Authority(
        own_limit=limit_of(roles, limits),
        ladder=tuple((role, limits[role]) for role in APPROVAL_LADDER if role in limits),
        pending_approver=required_approver_role(pending_amount, limits) if pending_amount is not None else "",
    )


def check_approval(
    amount: Decimal,
    approver_id: int,
    approver_roles: Iterable[str],
    proposer_id: int,
    limits: Mapping[str, Decimal | None],
) -> None:
    if approver_id == proposer_id:
        raise DomainError("approval.self", "the approver must not be the proposer", field="approver")
    if not within_limit(amount, approver_roles, limits):
        raise DomainError(
            "approval.limit",
            f"compensation of ¥{amount} exceeds the approver's authority limit "
            f"(needs {required_approver_role(amount, limits)})",
            field="amount",
        )


def may_approve(
    amount: Decimal,
    approver_id: int,
    approver_roles: Iterable[str],
    proposer_id: int,
    limits: Mapping[str, Decimal | None],
) -> bool:
    """Whether ``check_approval`` would let this person decide: pages offer approve/reject only then."""
    try:
        check_approval(amount, approver_id, approver_roles, proposer_id, limits)
    except DomainError:
        return False
    return True


def validate_amount(amount: Decimal) -> None:
    if amount < 0:
        raise DomainError("compensation.negative", "a compensation amount cannot be negative", field="amount")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError("compensation.precision", "amounts are in yuan with at most 2 decimals", field="amount")



def check_item_count(count: int) -> None:
    if count > MAX_PROPOSAL_ITEMS:
        raise DomainError(
            "compensation.too_many_items", f"at most {MAX_PROPOSAL_ITEMS} items in one proposal", field="items"
        )


def check_total(total: Decimal) -> None:
    """The items of one proposal must add up to a sum the record can hold."""
    if total > MAX_MONEY:
        raise DomainError(
            "compensation.total_too_large",
            f"the items add up to ¥{total}, more than the ¥{MAX_MONEY} a proposal can record",
            field="items",
        )


@dataclass(frozen=True)
class Holding:
    """One role a person holds over the case's unit, granted at ``depth`` (the granting unit's depth in
    the org tree: a grant on the case's own branch is deeper, so nearer, than one on the head office)."""

    staff_id: int
    role: str
    depth: int


def _approves(role: str) -> bool:
    return role in {r.value for r in Role} and "case.approve" in ROLE_PERMISSIONS[Role(role)]


def approvers_to_tell(
    amount: Decimal, limits: Mapping[str, Decimal | None], holdings: Iterable[Holding], *, proposer_id: int
) -> list[int]:
    """Who is told that a proposal awaits approval: the people who could approve it (``check_approval``
    would pass them), on the lowest rung of the ladder that covers ``amount``, and of those the ones
    granted nearest the case — not every holder of the role in the bank."""
    roles: dict[int, set[str]] = {}
    depth: dict[tuple[int, str], int] = {}
    for h in holdings:
        roles.setdefault(h.staff_id, set()).add(h.role)
        depth[(h.staff_id, h.role)] = max(depth.get((h.staff_id, h.role), -1), h.depth)
    ranked: dict[int, tuple[int, int]] = {}
    for staff_id, held in roles.items():
        if staff_id == proposer_id or not any(_approves(r) for r in held) or not within_limit(amount, held, limits):
            continue
        rungs = [
            (APPROVAL_LADDER.index(r), -depth[(staff_id, r)])
            for r in held
            if _approves(r) and r in APPROVAL_LADDER and r in limits and within_limit(amount, [r], limits)
        ]
        if rungs:
            ranked[staff_id] = min(rungs)
    if not ranked:
        return []
    best = min(ranked.values())
    return sorted(staff_id for staff_id, rank in ranked.items() if rank == best)
