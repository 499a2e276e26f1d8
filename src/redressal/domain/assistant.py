"""When the FAQ assistant hands a customer over to a person (SPEC §11, decision 0025). Pure rules.

Three reasons, checked in this order (the first one found is the reason given):

- ``asked_for_person``: the customer asks for a person (人工, 转人工, 客服, "agent", "human" …);
- ``complaint_intent``: the text reads as a complaint (threats of the regulator, media or a court,
  money lost, anger or distress — ``triage.classifier.complaint_intent`` supplies the reasons);
- ``low_confidence``: the best answer's confidence is below ``CONFIDENCE_THRESHOLD`` (or nothing
  was found). The retrieval's confidence is calibrated on ATEC pairs (decision 0024); 0.5 is the
  point where a match is as likely right as wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONFIDENCE_THRESHOLD = 0.5
MAX_ANSWERS = 3
MAX_QUESTION = 500  # characters of a customer's question kept and searched
# Anonymous questions (public API, portal before signing in) per address and hour; a signed-in
# customer is bound to their conversation and limited per customer instead.
ANONYMOUS_PER_HOUR = 60
SIGNED_IN_PER_HOUR = 200

# Whole-text requests (a bare "agent") and phrases inside a sentence ("我要转人工").
PERSON_WORDS_ZH = ("转人工", "人工客服", "人工服务", "找人工", "要人工", "真人", "人工")
PERSON_WORDS_EN = ("agent", "human", "real person", "operator", "speak to someone", "talk to someone")
_EN = re.compile(r"\b(" + "|".join(re.escape(w) for w in PERSON_WORDS_EN) + r")\b", re.IGNORECASE)

REASONS = ("asked_for_person", "complaint_intent", "low_confidence")


@dataclass(frozen=True)
class Handover:
    handover: bool
    reason: str  # "" when answered, else one of REASONS
    details: tuple[str, ...] = ()  # the complaint-intent reason codes, the words asking for a person


def asks_for_person(text: str) -> tuple[str, ...]:
    found = [w for w in PERSON_WORDS_ZH if w in text]
    found += [m.group(1).lower() for m in _EN.finditer(text)]
    return tuple(dict.fromkeys(found))


def decide(text: str, best_confidence: float | None, intent_reasons: tuple[str, ...] = ()) -> Handover:
    """``best_confidence`` is None when no entry matched at all."""
    words = asks_for_person(text)
    if words:
        return Handover(True, "asked_for_person", words)
    if intent_reasons:
        return Handover(True, "complaint_intent", tuple(intent_reasons))
    if best_confidence is None or best_confidence < CONFIDENCE_THRESHOLD:
        return Handover(True, "low_confidence")
    return Handover(False, "")
