"""Whose customers a member of staff may find, register cases for, and see in clear (SPEC §1, §13).

A customer belongs to a home branch (``Customer.home_unit``), fixed when the record is created: the
branch of the unit the first case was registered in (or the head office for a unit under no branch).
Nothing staff do later moves it; in particular registering a case does not (docs/decisions/0011).

- Find (look-ups, registering a case for an existing customer; ``customer.read``): the customer's home
  branch is within a grant's reach, or the grant's unit lies inside the home branch (every outlet of a
  branch serves the branch's customers), or the customer has a case the actor may read (assigned to
  them or in a unit where they hold ``case.read``; cases only land there through someone who could see
  the customer).
- Reveal (``pii.view``): a grant carrying ``pii.view`` covers the home branch. Cases never widen it.

Anything outside these answers exactly as a customer that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from redressal.core.errors import NotFound
from redressal.customers.models import Customer
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit
from redressal.org.selectors import scope_unit_ids

FIND = "customer.read"
REVEAL = "pii.view"


def home_unit_for(unit: OrgUnit) -> OrgUnit:
    """The branch a unit belongs to (the nearest ancestor-or-self that is a branch), else its root."""
    codes = unit.path.strip("/").split("/")
    branches = {u.code: u for u in OrgUnit.objects.filter(code__in=codes, kind=OrgUnit.Kind.BRANCH)}
    for code in reversed(codes):
        if code in branches:
            return branches[code]
    return unit if unit.parent_id is None else OrgUnit.objects.get(code=codes[0])


def findable_home_units(actor: Actor) -> list[int]:
    """Ids of the home units whose customers ``actor`` may find: those their grants reach, and the
    branches their grants sit in."""
    reached = set(scope_unit_ids(actor, FIND))
    inside = [path for path, _subtree in actor.scopes(FIND)]
    if inside:
        for pk, path in OrgUnit.objects.filter(kind=OrgUnit.Kind.BRANCH).values_list("pk", "path"):
            if any(p.startswith(path) for p in inside):
                reached.add(int(pk))
    return sorted(reached)


def _readable_case_q(actor: Actor) -> Q:
    return Q(cases__assignee_id=actor.id) | Q(cases__unit_id__in=scope_unit_ids(actor, "case.read"))


def findable_q(actor: Actor) -> Q:
    """The customers ``actor`` may find, as a filter (joins cases: use with ``distinct()``)."""
    return Q(home_unit_id__in=findable_home_units(actor)) | _readable_case_q(actor)


def _with_readable_case(actor: Actor, ids: Iterable[int]) -> set[int]:
    rows = Customer.objects.filter(_readable_case_q(actor), pk__in=list(ids)).values_list("pk", flat=True)
    return {int(pk) for pk in rows.distinct()}


def findable(actor: Actor, customers: list[Customer]) -> list[Customer]:
    """The customers of ``customers`` that ``actor`` may find, in the same order."""
    if not customers or not actor.has(FIND):
        return []
    homes = set(findable_home_units(actor))
    rest = [c.pk for c in customers if c.home_unit_id not in homes]
    via_case = _with_readable_case(actor, rest) if rest else set()
    return [c for c in customers if c.home_unit_id in homes or c.pk in via_case]


def findable_customer(actor: Actor, customer_id: int) -> Customer:
    """The customer, if ``actor`` may find it; otherwise the same 404 as for an id that does not exist."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None or not findable(actor, [customer]):
        raise NotFound("not_found", "customer not found", field="customer_id")
    return customer


def may_reveal(actor: Actor, customer: Customer) -> bool:
    """``pii.view`` over the customer's home branch."""
    home = customer.home_unit
    return home is not None and actor.has(REVEAL, home)
