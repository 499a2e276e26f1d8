"""Triage's door to the learned part (``redressal.triage.ml``): suggestions and text similarity.

The rules and services call these few functions rather than the model package itself, so what
triage needs from a model is stated in one place.
"""

from __future__ import annotations

from redressal.triage.ml import AXES, jaccard, model_info, shingles, text_bands
from redressal.triage.ml import Suggestion as Suggested
from redressal.triage.ml import similarity as _similarity
from redressal.triage.ml import suggest as _suggest

__all__ = [
    "AXES",
    "Suggested",
    "jaccard",
    "model_labels",
    "model_version",
    "shingles",
    "similarity",
    "suggest",
    "text_bands",
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
