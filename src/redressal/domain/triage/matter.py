"""The same matter (SPEC §6), one rule for both places the spec uses it.

SPEC §6 names "the same matter" twice: a repeat contact is the third complaint about the same matter
(the ``repeat`` risk flag), and a duplicate is the same customer's open case about the same matter
within the open period (a merge suggestion: near-duplicate text, same product, same transaction).
Both ask :func:`same_matter` about a pair of complaints; which pairs they ask about is theirs
(docs/decisions/0008-one-same-matter-rule.md).

Two complaints are about the same matter when they name the same transaction, when their texts are
near-duplicates, or when they are about the same product and their texts are related. A shared
product alone is not enough: most of a customer's complaints are about the one card or account they
hold, and two unrelated complaints about it a year apart are two matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from redressal.domain.triage.config import MatterRule

SAME_TRANSACTION = "same_transaction"
SAME_PRODUCT = "same_product"
TEXT_PREFIX = "text≈"


@dataclass(frozen=True)
class Complaint:
    """The facts of one complaint the rule compares; blank means not stated, which matches nothing."""

    transaction_ref: str = ""
    product: str = ""


def text_reason(similarity: float) -> str:
    """The text's part in a match, with its score (the case page shows it as 文本相似度 0.83)."""
    return f"{TEXT_PREFIX}{similarity:.2f}"


def same_matter(mine: Complaint, other: Complaint, similarity: float, rule: MatterRule) -> tuple[str, ...]:
    """Why ``mine`` and ``other`` are about the same matter; empty when they are not.

    ``similarity`` is their texts' near-duplicate score in [0, 1], computed by the caller. The reasons
    are ``same_transaction``; ``same_product`` when the product is shared and the text is related
    (at least ``rule.product_similarity_min``); and ``text≈0.83`` when the text counted, either as a
    near-duplicate (at least ``rule.similarity_min``) or as the related text of the same product.
    """
    reasons: list[str] = []
    if mine.transaction_ref and mine.transaction_ref == other.transaction_ref:
        reasons.append(SAME_TRANSACTION)
    related = similarity >= rule.product_similarity_min
    same_product = bool(mine.product) and mine.product == other.product and related
    if same_product:
        reasons.append(SAME_PRODUCT)
    if same_product or similarity >= rule.similarity_min:
        reasons.append(text_reason(similarity))
    return tuple(reasons)
