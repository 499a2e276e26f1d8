"""Near-duplicate score with the semantic model: a logistic combination of the e5 cosine of the two
texts' stored vectors (``triage.ml.embed``), the shingle Jaccard index (``dedupe.similarity``), the
cosine of their character 1–2-gram sets and their length ratio.

The coefficients (five numbers) are fitted on 1,500 ATEC pairs disjoint from the pairs bench/triage.py
scores (bench/_atec.py) and shipped as JSON (``triage/data/models/dedupe-<version>.json``): plain
numbers need no trusted-type list, unlike a pickled or skops estimator. The output is P(same meaning)
in [0, 1]; callers take the larger of it and the Jaccard score (``duplicate_score``), so every pair
the lexical score found before is still found (an exact re-submission still scores 1).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from redressal.core.text import normalize
from redressal.triage.ml import embed
from redressal.triage.ml.dedupe import similarity

VERSION = "1"
FEATURES = ("e5_cosine", "jaccard", "char_cosine", "length_ratio")


def coefficients_path() -> Path:
    return Path(str(resources.files("redressal.triage").joinpath("data", "models", f"dedupe-{VERSION}.json")))


@cache
def coefficients() -> dict[str, Any]:
    return dict(json.loads(coefficients_path().read_text(encoding="utf-8")))


def _grams(text: str) -> frozenset[str]:
    t = "".join(normalize(text or "").lower().split())
    return frozenset([*t, *(t[i : i + 2] for i in range(len(t) - 1))])


def features(a: str, b: str, va: np.ndarray, vb: np.ndarray) -> list[float]:
    ga, gb = _grams(a), _grams(b)
    char_cos = len(ga & gb) / math.sqrt(len(ga) * len(gb)) if ga and gb else 0.0
    la, lb = len(a.strip()), len(b.strip())
    ratio = min(la, lb) / max(la, lb) if max(la, lb) else 0.0
    return [embed.cosine(va, vb), similarity(a, b), char_cos, ratio]


def probability(values: Sequence[float], model: dict[str, Any] | None = None) -> float:
    m = model or coefficients()
    z = float(m["intercept"]) + sum(float(w) * v for w, v in zip(m["weights"], values, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def semantic_similarity(a: str, b: str, va: np.ndarray, vb: np.ndarray) -> float:
    """P(the two texts say the same thing), from their texts and their e5 vectors."""
    return probability(features(a, b, va, vb))


def duplicate_score(a: str, b: str, va: np.ndarray | None, vb: np.ndarray | None) -> float:
    """The score the duplicate and repeat checks threshold on: the larger of the Jaccard index and, when
    both texts have a stored vector, the semantic probability."""
    lexical = similarity(a, b)
    if va is None or vb is None:
        return lexical
    return max(lexical, semantic_similarity(a, b, va, vb))


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int]) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    # Barely regularised: the e5 cosine spans ~0.9–1.0, so its weight must be large; an L2 penalty of
    # ordinary strength shrinks it and lets the noisier lexical features take over (CV ROC-AUC 0.73 vs 0.77).
    lr = LogisticRegression(C=1e4, max_iter=5000).fit(np.asarray(rows), np.asarray(labels))
    return {
        "version": VERSION,
        "features": list(FEATURES),
        "weights": [round(float(w), 5) for w in lr.coef_[0]],
        "intercept": round(float(lr.intercept_[0]), 5),
        "embedding": embed.MODEL_NAME,
    }
