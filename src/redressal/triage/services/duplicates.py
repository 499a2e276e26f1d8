"""Duplicates (SPEC §6): the same complainant and the same matter (``domain.triage.matter``) among
their open cases.

Candidates are stored with a score and the reasons for the case page; only an exact re-submission
(same complainant, same text once normalised, no new facts, an open case to join) is merged without
asking, through the ordinary merge service, by the system, naming the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from redressal.cases.models import Case
from redressal.domain.lifecycle import OPEN_STATES
from redressal.domain.triage import load_config
from redressal.domain.triage.matter import SAME_TRANSACTION, Complaint, same_matter, text_reason
from redressal.triage import classifier
from redressal.triage.services.facts import same_person_customers, text_hash
from redressal.triage.services.triage import stored_vectors

OPEN = [s.value for s in OPEN_STATES]
EXACT_RULE = "exact_resubmission"


@dataclass(frozen=True)
class Found:
    case_id: int
    case_number: str
    score: float
    reasons: tuple[str, ...]
    exact: bool


def _new_facts(case: Case, other: Case) -> list[str]:
    """Facts the new submission brings that the open case does not have."""
    out = []
    if case.amount is not None and case.amount != other.amount:
        out.append("amount")
    for name in ("transaction_ref", "product", "respondent_staff_id", "respondent_unit_id"):
        value = getattr(case, name)
        if value and value != getattr(other, name):
            out.append(name)
    if case.transaction_date and case.transaction_date != other.transaction_date:
        out.append("transaction_date")
    if set(case.demand) - set(other.demand):
        out.append("demand")
    return out


def find_duplicates(case: Case, limit: int = 50, vector: bytes | None = None) -> list[Found]:
    """``vector``: the case's text vector (computed by the caller before the lock); the candidates'
    stored vectors are read, never computed again — a candidate without one is compared by words."""
    people = same_person_customers(case.customer)
    if not people:
        return []
    others = list(
        Case.objects.filter(customer_id__in=people, status__in=OPEN, kind=Case.Kind.PRIMARY)
        .exclude(pk=case.pk)
        .order_by("-received_at")[:limit]
    )
    rule = load_config().same_matter
    mine = text_hash(case.description)
    facts = Complaint(case.transaction_ref, case.product)
    found = []
    theirs = stored_vectors([int(o.pk) for o in others]) if vector is not None else {}
    for other in others:
        sim = classifier.duplicate_score(case.description, other.description, vector, theirs.get(int(other.pk)))
        matter = same_matter(facts, Complaint(other.transaction_ref, other.product), sim, rule)
        if not matter:
            continue
        person = "same_customer" if other.customer_id == case.customer_id else "same_person_index"
        # Staff see how alike the texts are even when the transaction alone made it the same matter.
        text = text_reason(sim)
        reasons = (person, *matter) if text in matter else (person, *matter, text)
        # Hashed from the text as it stands now, not stored at triage: the description is read for the
        # similarity anyway, and a stored hash would fall behind a corrected description.
        exact = (
            other.customer_id == case.customer_id
            and text_hash(other.description) == mine
            and not _new_facts(case, other)
        )
        # The same transaction is the surest sign, whatever the wording.
        score = max(sim, 0.9) if SAME_TRANSACTION in matter else sim
        found.append(Found(int(other.pk), other.case_number, round(score, 4), reasons, exact))
    return sorted(found, key=lambda f: (-f.score, f.case_number))
