"""The one door to the learned part of triage (``redressal.triage.ml``): suggestions and text similarity.

Everything else in triage calls these functions, never ``ml`` directly, so the rules work the same
whether the model package is installed or not. Without it there are no suggestions (classification
stays empty for staff to fill in) and similarity falls back to the overlap of character pairs, which
is enough to recognise a re-submitted text but is not the model.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

AXES = ("request_type", "business", "cause", "channel", "product")


@dataclass(frozen=True)
class Suggested:
    code: str
    label: str
    confidence: float
    model_version: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "confidence": round(float(self.confidence), 4),
            "model_version": self.model_version,
        }


@cache
def _ml() -> ModuleType | None:
    try:
        module = importlib.import_module("redressal.triage.ml")
    except ImportError:
        return None
    return module if hasattr(module, "suggest") and hasattr(module, "similarity") else None


def available() -> bool:
    return _ml() is not None


def suggest(text: str) -> dict[str, Suggested]:
    ml = _ml()
    if ml is None:
        return {}
    out: dict[str, Suggested] = {}
    for axis, s in ml.suggest(text).items():
        if axis in AXES and s is not None and s.code:
            out[axis] = Suggested(str(s.code), str(s.label), float(s.confidence), str(s.model_version))
    return out


def model_version() -> str:
    ml = _ml()
    if ml is None:
        return ""
    info = ml.model_info() if hasattr(ml, "model_info") else {}
    if isinstance(info, dict):
        return str(info.get("version") or info.get("model_version") or "")
    return str(getattr(info, "version", "") or getattr(info, "model_version", ""))


def _pairs(text: str) -> set[str]:
    chars = [c for c in text.lower() if not c.isspace()]
    return {a + b for a, b in itertools.pairwise(chars)} or set(chars)


def _fallback_similarity(a: str, b: str) -> float:
    pa, pb = _pairs(a), _pairs(b)
    if not pa or not pb:
        return 0.0
    return len(pa & pb) / len(pa | pb)


def similarity(a: str, b: str) -> float:
    ml = _ml()
    value = ml.similarity(a, b) if ml is not None else _fallback_similarity(a, b)
    return max(0.0, min(1.0, float(value)))


class _FallbackIndex:
    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.items: list[tuple[Any, str]] = []

    def add(self, key: Any, text: str) -> None:
        self.items.append((key, text))

    def query(self, text: str) -> list[tuple[Any, float]]:
        scored = [(key, _fallback_similarity(text, other)) for key, other in self.items]
        return [(k, s) for k, s in scored if s >= self.threshold]


def near_duplicate_index(threshold: float) -> Any:
    ml = _ml()
    factory: Callable[[float], Any] = ml.NearDuplicateIndex if ml is not None else _FallbackIndex
    return factory(threshold)


def model_labels(axis: str) -> list[str]:
    """The labels the model can suggest on an axis, if the model says (``model_info()["labels"]``)."""
    ml = _ml()
    if ml is None or not hasattr(ml, "model_info"):
        return []
    info = ml.model_info()
    labels = info.get("labels") if isinstance(info, dict) else getattr(info, "labels", None)
    known = labels.get(axis) if isinstance(labels, dict) else None
    if isinstance(known, (dict, list, tuple, set)):  # {code: label} or [code, …]
        return [str(x) for x in known]
    return []
