"""Triage's door to the learned part (``redressal.triage.ml``): suggestions and text similarity.

The rules and services call these few functions rather than the model package itself, so what
triage needs from a model is stated in one place.
"""

from __future__ import annotations

from redressal.core.text import normalize
from redressal.domain.triage import intent, load_config
from redressal.domain.triage.signals import Context, Flag, amounts_in, combined_emotion, risk_flags
from redressal.domain.triage.signals import emotion as rule_emotion
from redressal.triage.ml import AXES, embed, emotion, jaccard, model_info, semantic, shingles, text_bands
from redressal.triage.ml import Suggestion as Suggested
from redressal.triage.ml import similarity as _similarity
from redressal.triage.ml import suggest as _suggest

__all__ = [
    "AXES",
    "Suggested",
    "complaint_intent",
    "duplicate_score",
    "emotion_of",
    "jaccard",
    "model_labels",
    "model_version",
    "shingles",
    "similarity",
    "suggest",
    "text_bands",
    "text_vector",
    "vector_model",
]


def suggest(text: str) -> dict[str, Suggested]:
    return {axis: s for axis, s in _suggest(text).items() if axis in AXES and s.code}


def model_version() -> str:
    return str(model_info().get("version") or "")


def similarity(a: str, b: str) -> float:
    return max(0.0, min(1.0, float(_similarity(a, b))))


def model_labels(axis: str) -> list[str]:
    """The labels the loaded model can suggest on an axis (its metadata's ``labels``)."""
    known = (model_info().get("labels") or {}).get(axis)
    return [str(x) for x in known] if isinstance(known, (dict, list, tuple)) else []


def text_vector(text: str) -> bytes:
    """The stored form of a text's e5 vector (``triage.ml.embed``); ~20–60 ms a text on one core."""
    return embed.to_bytes(embed.embed(text))


def vector_model() -> str:
    return embed.MODEL_NAME


def duplicate_score(a: str, b: str, va: bytes | None, vb: bytes | None) -> float:
    """Near-duplicate score in [0, 1]: the Jaccard index, raised by the semantic model when both texts
    have a stored vector (``triage.ml.semantic``)."""
    vectors = (embed.from_bytes(va), embed.from_bytes(vb)) if va is not None and vb is not None else (None, None)
    return max(0.0, min(1.0, float(semantic.duplicate_score(a, b, *vectors))))


def emotion_of(text: str) -> tuple[str, tuple[str, ...]]:
    """The emotion model's reading of a text: level and evidence (``triage.ml.emotion``)."""
    reading = emotion.read(text)
    return reading.level, reading.evidence


def complaint_intent(text: str, *, learned_emotion: bool = True) -> tuple[bool, tuple[Flag, ...]]:
    """Is ``text`` (a customer's words, e.g. to the assistant) a complaint to hand to a person, and why:
    threats of the regulator, media or a court (the rules), money lost, anger or distress (the rules
    and, with ``learned_emotion``, the model). Reasons are :class:`Flag` s with the evidence words.

    ``learned_emotion`` False: the lexicon alone judges the emotion. The model learned negativity from
    product reviews, and reads a plain question about a problem ("账单日能不能改到月底") as angry with
    high confidence (bench/faq_kb.py); a question to the assistant is exactly that kind of text."""
    config = load_config()
    folded = normalize(text)
    flags = risk_flags(folded, Context(), config, raw=text)
    ruled = rule_emotion(folded, config, raw=text)
    mood = combined_emotion(ruled, emotion_of(text)) if learned_emotion else ruled
    amounts = [words for _, words in amounts_in(folded, config)]
    return intent.complaint_intent(folded, flags, mood, amounts)
