"""The text classifier: one shared feature space, one linear model per classification axis.

Features are what works for short Chinese (and English) complaint texts without a neural model:
word 1–2-grams over jieba-segmented text (``redressal.core.text.words``, the same segmentation as
search) and character n-grams (which catch words the dictionary splits badly: 年费, 吞卡, 双录), both
sublinear TF-IDF. Each axis gets a logistic regression, whose probabilities are the confidences shown
to staff; ``svc`` swaps in a linear SVM calibrated by cross-validation, ``ensemble`` averages both,
``nblr`` scales the features by naive-Bayes log-count ratios first (NB-LR), ``nblr_views`` fits one
NB-LR on the word features and one on the character features and averages their probabilities.
"""

from __future__ import annotations

import copy
import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import softmax
from sklearn.base import ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.svm import LinearSVC

from redressal.core.text import normalize, words

_DIGITS = re.compile(r"\d+")


def prepare(text: str) -> str:
    """Normalised text with every number folded to ``0``: amounts, dates and card tails are what
    differs between two copies of the same complaint, and would otherwise fill the vocabulary."""
    return _DIGITS.sub("0", normalize(text))


class WordGrams:
    """Analyzer for TfidfVectorizer: segmented words and their n-grams up to ``max_n``.

    A class rather than a closure so that skops can persist it (its state is one integer)."""

    def __init__(self, max_n: int = 2) -> None:
        self.max_n = max_n

    def __call__(self, text: str) -> list[str]:
        tokens = words(prepare(text))
        grams = list(tokens)
        for n in range(2, self.max_n + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams


@dataclass(frozen=True)
class Config:
    """Feature and model settings; stored with every trained model."""

    word_max_n: int = 2
    char_ngrams: tuple[int, int] = (1, 2)
    char_weight: float = 1.0
    min_df: int = 2
    max_features: int | None = 50_000
    model: str = "lr"  # lr | svc | ensemble | nblr | nblr_views
    C: float = 4.0
    class_weight: str | None = "balanced"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        data = dict(data)
        data["char_ngrams"] = tuple(data.get("char_ngrams", (1, 2)))
        return cls(**data)


# Chinese complaint texts: most words are one or two characters, so character 1–2-grams beside the
# segmented words (measured on templates held out of the demo corpus: 1–2 ≥ 1–3 on every axis).
CHINESE = Config()
# English narratives are long; longer character grams add spelling-robust word pieces. The head was
# chosen on the CFPB training rows only (ibm_train + kaggle sample, 1,737 rows), by 5-fold CV grouped by
# near-duplicate clusters (bench/triage.py; the Kaggle sample files one complaint against each credit
# bureau, and ungrouped folds scored copies of training texts, which favoured memorising, C=10), twice:
# macro-F1 over all folds / over the folds' ibm_train rows (the test's source). One NB-LR per view,
# averaged, C=3: 0.803 / 0.780; NB-LR on the joined features C=3 0.800 / 0.775, C=10 0.794 / 0.769;
# LR C=10 on the joined features – / 0.744; calibrated linear SVM added to the views – / 0.768.
# Everything else measured (embeddings, LSA, weighting, priors, biases, more views) is in decision 0009.
ENGLISH = Config(char_ngrams=(2, 5), char_weight=1.0, min_df=2, model="nblr_views", C=3.0)


def _vectorizers(config: Config) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    word = TfidfVectorizer(
        analyzer=WordGrams(config.word_max_n),
        sublinear_tf=True,
        min_df=config.min_df,
        max_features=config.max_features,
        dtype=np.float32,
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        preprocessor=prepare,
        ngram_range=config.char_ngrams,
        sublinear_tf=True,
        min_df=config.min_df,
        max_features=config.max_features,
        dtype=np.float32,
    )
    return word, char


def _head(
    config: Config, y: Sequence[str], C: float | None = None, views: Sequence[tuple[int, int]] = ()
) -> ClassifierMixin:
    """The linear model of one axis; ``views``: the column ranges of the word and character features."""
    c = config.C if C is None else C
    lr = LogisticRegression(C=c, max_iter=3000, class_weight=config.class_weight)
    if config.model == "lr":
        return lr
    if config.model == "nblr":
        return _NBLogistic(C=c, class_weight=config.class_weight)
    if config.model == "nblr_views":
        return _PerView(_NBLogistic(C=c, class_weight=config.class_weight), list(views))
    smallest = min(np.unique(np.asarray(y), return_counts=True)[1])
    if smallest < 3:  # calibration needs every class in every fold
        return lr
    svc = CalibratedClassifierCV(LinearSVC(C=c / 10, class_weight=config.class_weight), cv=3, method="sigmoid")
    if config.model == "svc":
        return svc
    return _Average([lr, svc])


class _Average(ClassifierMixin):
    """Soft vote of already-probabilistic linear models (their errors differ: hinge vs log loss)."""

    def __init__(self, members: list[Any]) -> None:
        self.members = members

    def fit(self, X: Any, y: Sequence[str]) -> _Average:
        self.members = [clone(m).fit(X, y) for m in self.members]
        self.classes_ = self.members[0].classes_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        return np.mean([m.predict_proba(X) for m in self.members], axis=0)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class _PerView(ClassifierMixin):
    """One copy of ``member`` per feature view (a column range: word n-grams, character n-grams), their
    probabilities averaged. Fitted apart, the word model and the character model each keep their own
    decisive features instead of sharing one regularisation budget, and their errors differ."""

    def __init__(self, member: Any, views: list[tuple[int, int]]) -> None:
        self.member, self.views = member, views

    def fit(self, X: Any, y: Sequence[str]) -> _PerView:
        self.members = [copy.deepcopy(self.member).fit(X[:, a:b], y) for a, b in self.views]
        self.classes_ = self.members[0].classes_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        pairs = zip(self.members, self.views, strict=True)
        return np.mean([m.predict_proba(X[:, a:b]) for m, (a, b) in pairs], axis=0)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class _NBLogistic(ClassifierMixin):
    """NB-LR (Wang & Manning 2012): per class, every feature is scaled by its naive-Bayes log-count
    ratio (how much more often it occurs in that class than in the rest) before a one-vs-rest logistic
    regression. It lets a linear model trust the rare but decisive n-grams a plain TF-IDF model
    under-weights. The probabilities are the one-vs-rest ones, normalised to sum to one."""

    def __init__(self, C: float = 1.0, alpha: float = 1.0, class_weight: str | None = "balanced") -> None:
        self.C, self.alpha, self.class_weight = C, alpha, class_weight

    def fit(self, X: Any, y: Sequence[str], sample_weight: Sequence[float] | None = None) -> _NBLogistic:
        """``sample_weight``: a row of weight 2 counts as two copies of it, in the ratios' document counts
        and in the regression (whose "balanced" class weights count sample weights since scikit-learn 1.7)."""
        y_arr = np.asarray(y)
        self.classes_ = np.unique(y_arr)
        present = X.copy()
        present.data[:] = 1  # the ratio counts documents, not weights
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.ratios_: list[np.ndarray] = []
        self.models_: list[LogisticRegression] = []
        for c in self.classes_:
            pos = y_arr == c
            if w is None:
                p = self.alpha + np.asarray(present[pos].sum(axis=0)).ravel()
                q = self.alpha + np.asarray(present[~pos].sum(axis=0)).ravel()
            else:
                p = self.alpha + np.asarray(present[pos].T @ w[pos]).ravel()
                q = self.alpha + np.asarray(present[~pos].T @ w[~pos]).ravel()
            ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
            Xr = sparse.csr_matrix(X.multiply(ratio))
            model = LogisticRegression(C=self.C, max_iter=3000, class_weight=self.class_weight)
            self.ratios_.append(ratio)
            self.models_.append(model.fit(Xr, pos) if w is None else model.fit(Xr, pos, sample_weight=w))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        pairs = zip(self.ratios_, self.models_, strict=True)
        ovr = np.column_stack([m.predict_proba(sparse.csr_matrix(X.multiply(r)))[:, 1] for r, m in pairs])
        return ovr / np.maximum(ovr.sum(axis=1, keepdims=True), 1e-12)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


@dataclass
class TextClassifier:
    """Shared features + one probabilistic linear model per axis.

    ``fit(texts, {"business": [...], "cause": [...]})``; a label of ``None`` leaves that text out of that
    axis (a consultation has no cause), but still counts for the shared vocabulary."""

    config: Config = field(default_factory=Config)
    heads: dict[str, Any] = field(default_factory=dict)
    word: Any = None
    char: Any = None
    views: list[tuple[int, int]] = field(default_factory=list)

    def _features(self, texts: Sequence[str], fit: bool = False) -> sparse.csr_matrix:
        if fit:
            self.word, self.char = _vectorizers(self.config)
            w = self.word.fit_transform(texts)
            c = self.char.fit_transform(texts)
            self.views = [(0, w.shape[1]), (w.shape[1], w.shape[1] + c.shape[1])]
            # The pruned terms: only for introspection, and the bulk of a saved model.
            self.word.stop_words_ = self.char.stop_words_ = None
        else:
            w = self.word.transform(texts)
            c = self.char.transform(texts)
        return sparse.hstack([w, c * self.config.char_weight], format="csr")

    def fit(self, texts: Sequence[str], labels: Mapping[str, Sequence[str | None]]) -> TextClassifier:
        X = self._features(list(texts), fit=True)
        self.heads = {}
        for axis, ys in labels.items():
            rows = [i for i, y in enumerate(ys) if y]
            y = [str(ys[i]) for i in rows]
            if len(set(y)) < 2:
                continue
            self.heads[axis] = _head(self.config, y, views=self.views).fit(X[rows], y)
        return self

    @property
    def axes(self) -> list[str]:
        return list(self.heads)

    def classes(self, axis: str) -> list[str]:
        return [str(c) for c in self.heads[axis].classes_]

    def predict_proba(self, texts: Sequence[str]) -> dict[str, tuple[list[str], np.ndarray]]:
        X = self._features(list(texts))
        stacked = _stacked(self)
        out: dict[str, tuple[list[str], np.ndarray]] = {}
        if stacked is not None:
            # Every head a multinomial logistic regression: their decision functions in one product,
            # each head's slice through the softmax — what scikit-learn's predict_proba computes per
            # head, without its per-call validation (most of the cost for a single text).
            weights, intercepts, slices = stacked
            decisions = np.asarray(X @ weights) + intercepts
            for axis, (a, b) in slices.items():
                out[axis] = (self.classes(axis), softmax(decisions[:, a:b], axis=1))
            return out
        return {axis: (self.classes(axis), head.predict_proba(X)) for axis, head in self.heads.items()}

    def predict(self, texts: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for axis, (classes, proba) in self.predict_proba(texts).items():
            out[axis] = [classes[i] for i in np.argmax(proba, axis=1)]
        return out


Stacked = tuple[np.ndarray, np.ndarray, dict[str, tuple[int, int]]]
# A loaded classifier's heads stacked for prediction, by the classifier's identity; kept beside the
# object, not in it, so a model saved after predicting does not carry them (the weak reference tells
# a classifier from a later one that happens to get the same id).
_STACKED: dict[int, tuple[weakref.ref[TextClassifier], Stacked | None]] = {}


def _stacked(model: TextClassifier) -> Stacked | None:
    known = _STACKED.get(id(model))
    if known is not None and known[0]() is model:
        return known[1]
    heads = list(model.heads.values())
    stacked: Stacked | None = None
    if heads and all(type(h) is LogisticRegression and len(h.classes_) > 2 for h in heads):
        slices, start = {}, 0
        for axis, head in model.heads.items():
            slices[axis] = (start, start + len(head.classes_))
            start += len(head.classes_)
        weights = np.ascontiguousarray(np.vstack([h.coef_ for h in heads]).T)
        stacked = (weights, np.concatenate([h.intercept_ for h in heads]), slices)
    _STACKED[id(model)] = (weakref.ref(model), stacked)
    return stacked


def scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, float]:
    return {
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(float(f1_score(y_true, y_pred, average="macro", zero_division=0)), 4),
        "n": len(y_true),
    }


def tune_C(
    texts: Sequence[str],
    y: Sequence[str],
    config: Config,
    grid: Sequence[float],
    folds: int = 5,
    seed: int = 0,
    groups: Sequence[int] | None = None,
) -> tuple[Config, dict[float, float]]:
    """Pick C by stratified cross-validated macro-F1 on the rows given (training rows only).

    ``groups`` (e.g. clusters of near-duplicate texts) keeps each group inside one fold, so that a
    copy of a validation text is never trained on. The features are fitted once per fold (inside the
    fold, so no vocabulary leaks from the validation part); only the linear heads are refitted per C."""
    texts, y_arr = list(texts), np.asarray(y)
    by_c: dict[float, list[float]] = {c: [] for c in grid}
    if groups is None:
        splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y_arr)
    else:
        splits = StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(texts, y_arr, groups)
    for train, val in splits:
        model = TextClassifier(config)
        Xt = model._features([texts[i] for i in train], fit=True)
        Xv = model._features([texts[i] for i in val])
        for c in grid:
            head = _head(config, list(y_arr[train]), C=c, views=model.views).fit(Xt, y_arr[train])
            by_c[c].append(float(f1_score(y_arr[val], head.predict(Xv), average="macro")))
    means = {c: round(float(np.mean(v)), 4) for c, v in by_c.items()}
    best = max(means, key=lambda c: means[c])
    return replace(config, C=best), means
