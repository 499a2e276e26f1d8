"""Triage ML: CFPB product classification, duplicate detection (CFPB, ATEC), suggest throughput and latency.

    .venv/bin/python bench/triage.py [--data DIR] [--grid 1,3,10,30] [--folds 5]
                                     [--parts cfpb,duplicates,semantic,speed] [--semantic-pairs 1500] [--save-dedupe]

Data (read only; default ``../shared/data`` from the project root): ``cfpb/cfpb_5class_processed.csv``,
the raw CFPB files beside it, and ``atec/atec_nlp_sim_train.csv`` (see each folder's README).

1. CFPB 5 classes: train on ``ibm_train`` + ``kaggle_halpert3_sample``, test on ``ibm_test``. The project's
   pipeline (``TextClassifier`` with the ``ENGLISH`` config) with C chosen by 5-fold cross-validation on the
   TRAINING rows only, folds grouped by near-duplicate clusters (word Jaccard ≥ 0.8: the Kaggle sample files
   one complaint against each credit bureau), beside a plain TF-IDF + LinearSVC baseline. ``ibm_test`` is
   used once, at the end.
2. Duplicates. CFPB: positives = exact duplicates and word-Jaccard ≥ 0.8 pairs in the raw files,
   negatives = 5× as many random pairs of different texts. ATEC: a fixed random sample of 3,000 pairs
   (seed 0), and a disjoint 3,000 to choose the threshold. ROC-AUC of ``similarity`` beside character
   1–3-gram TF-IDF cosine; precision/recall at the F1-best threshold chosen on the other split.
2b. Duplicates with the semantic model (``triage.ml.semantic``): the logistic combination of e5 cosine,
   Jaccard, character 1–2-gram cosine and length ratio, fitted on 1,000 ATEC pairs disjoint from both
   draws above (bench/_atec.py; ``--save-dedupe`` writes the shipped coefficients), scored on the first
   ``--semantic-pairs`` of the same 3,000 test pairs (embedding budget on a shared machine), beside the
   old score on the same pairs; thresholds on the first 500 tuning pairs. Also the e5 cost a registration
   adds (one text embedded, candidates scored against stored vectors).
3. ``suggest`` throughput (texts/s) and the latency a registration adds: one ``suggest`` plus one
   ``NearDuplicateIndex.query`` against 10,000 indexed texts.

The last line is ``cfpb_macro_f1=<v> atec_auc=<v> atec_auc_semantic=<v>`` (parts not run print nan).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("REDRESSAL_DATA_DIR", tempfile.mkdtemp(prefix="bench-triage-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redressal.settings")

import django  # noqa: E402

django.setup()

import _atec  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from redressal.triage import ml  # noqa: E402
from redressal.triage.ml import corpus as demo_corpus  # noqa: E402
from redressal.triage.ml import embed, semantic  # noqa: E402
from redressal.triage.ml.pipeline import ENGLISH, TextClassifier, tune_C  # noqa: E402

TRAIN_SPLITS = ("ibm_train", "kaggle_halpert3_sample")
TEST_SPLITS = ("ibm_test",)


def cfpb_rows(data: Path, splits: Sequence[str]) -> list[dict[str, str]]:
    """The rows of the processed CFPB file whose ``source_split`` is one of ``splits`` (the others are
    dropped as they are read)."""
    with (data / "cfpb" / "cfpb_5class_processed.csv").open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["source_split"] in splits]


def cfpb_classification(data: Path, grid: Sequence[float], folds: int) -> float:
    train, test = cfpb_rows(data, TRAIN_SPLITS), cfpb_rows(data, TEST_SPLITS)
    xt, yt = [r["narrative"] for r in train], [r["product"] for r in train]
    xs, ys = [r["narrative"] for r in test], [r["product"] for r in test]
    print(f"CFPB product classification: {len(train)} training rows, {len(test)} test rows (ibm_test)")

    vec = TfidfVectorizer()
    base = LinearSVC().fit(vec.fit_transform(xt), yt)
    bp = base.predict(vec.transform(xs))
    b_acc, b_f1 = accuracy_score(ys, bp), f1_score(ys, bp, average="macro")
    print(f"  baseline TF-IDF + LinearSVC        accuracy {b_acc:.3f}  macro-F1 {b_f1:.3f}")

    t0 = time.perf_counter()
    groups = near_duplicate_groups(xt)
    config, by_c = tune_C(xt, yt, ENGLISH, grid, folds=folds, groups=groups)
    took = time.perf_counter() - t0
    print(
        f"  C by {folds}-fold CV on training rows ({len(set(groups))} near-duplicate groups): "
        f"{json.dumps(by_c)} → C={config.C} ({took:.0f} s)"
    )
    model = TextClassifier(config).fit(xt, {"product": yt})
    pp = model.predict(xs)["product"]
    acc, f1 = accuracy_score(ys, pp), f1_score(ys, pp, average="macro")
    print(f"  project pipeline ({config.model}, word 1-{config.word_max_n} + char_wb {config.char_ngrams}) "
          f"accuracy {acc:.3f}  macro-F1 {f1:.3f}")
    return float(f1)


def _near(a: frozenset[str], b: frozenset[str]) -> bool:
    """Word Jaccard ≥ 0.8 (the data README's near-duplicate definition); the size check first is cheap."""
    return min(len(a), len(b)) >= 0.8 * max(len(a), len(b)) and len(a & b) >= 0.8 * len(a | b)


def near_duplicate_groups(texts: Sequence[str]) -> list[int]:
    """A cluster id per text: texts joined by a chain of near-duplicate pairs share one (union-find)."""
    sets = [frozenset(t.split()) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            if _near(sets[i], sets[j]):
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(texts))]


def _raw_cfpb_texts(data: Path) -> list[str]:
    texts: list[str] = []
    for name, marker in (("ibm_cfpb_train.json", "Narrative:"), ("ibm_cfpb_test.json", "Comment:")):
        for item in json.loads((data / "cfpb" / name).read_text(encoding="utf-8")):
            body = item["input"].split(marker, 1)[-1].rsplit("Product:", 1)[0]
            texts.append(body.strip())
    with (data / "cfpb" / "complaints_processed_1499.csv").open(encoding="utf-8") as f:
        texts += [r["narrative"] for r in csv.DictReader(f) if r["narrative"]]
    return texts


def cfpb_pairs(data: Path, seed: int = 0) -> tuple[list[tuple[str, str]], list[int], int, int]:
    texts = _raw_cfpb_texts(data)
    by_text: dict[str, int] = {}
    exact = 0
    positives: list[tuple[str, str]] = []
    for t in texts:
        if t in by_text:
            exact += 1
            positives.append((t, t))
        by_text[t] = by_text.get(t, 0) + 1
    unique = list(by_text)
    sets = [frozenset(t.split()) for t in unique]
    near = 0
    for i in range(len(unique)):
        for j in range(i + 1, len(unique)):
            if _near(sets[i], sets[j]):
                positives.append((unique[i], unique[j]))
                near += 1
    rng = random.Random(seed)
    negatives: list[tuple[str, str]] = []
    while len(negatives) < 5 * len(positives):
        a, b = rng.sample(unique, 2)
        negatives.append((a, b))
    return positives + negatives, [1] * len(positives) + [0] * len(negatives), exact, near


Pairs = list[tuple[str, str]]


def atec_pairs(data: Path, n: int, seed: int) -> tuple[Pairs, list[int], Pairs, list[int]]:
    with (data / "atec" / "atec_nlp_sim_train.csv").open(encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    rng = random.Random(seed)
    picked = rng.sample(rows, 2 * n)
    test, tune = picked[:n], picked[n:]
    pairs = lambda rs: [(r[1], r[2]) for r in rs]  # noqa: E731
    return pairs(test), [int(r[3]) for r in test], pairs(tune), [int(r[3]) for r in tune]


def char_cosine(fit_texts: Sequence[str]) -> Callable[[str, str], float]:
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit(fit_texts)

    def score(a: str, b: str) -> float:
        m = vec.transform([a, b])
        return float((m[0] @ m[1].T).toarray()[0, 0])

    return score


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    best, best_f1 = 0.5, -1.0
    for t in np.unique(np.round(scores, 3)):
        pred = [s >= t for s in scores]
        f1 = f1_score(labels, pred)
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return best


def pr_at(scores: Sequence[float], labels: Sequence[int], threshold: float) -> tuple[float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def report_pairs(name: str, pairs: list[tuple[str, str]], labels: list[int], tune: list[tuple[str, str]],
                 tune_labels: list[int], methods: dict[str, Callable[[str, str], float]]) -> dict[str, float]:
    aucs = {}
    for method, fn in methods.items():
        s = [fn(a, b) for a, b in pairs]
        st = [fn(a, b) for a, b in tune]
        th = best_threshold(st, tune_labels)
        p, r = pr_at(s, labels, th)
        aucs[method] = float(roc_auc_score(labels, s))
        print(f"  {name:5} {method:28} ROC-AUC {aucs[method]:.3f}  threshold {th:.3f}  "
              f"precision {p:.3f}  recall {r:.3f}")
    return aucs


def duplicates(data: Path) -> float:
    pairs, labels, exact, near = cfpb_pairs(data)
    idx = list(range(len(pairs)))
    random.Random(1).shuffle(idx)
    half = len(idx) // 2
    a_pairs, a_labels = [pairs[i] for i in idx[:half]], [labels[i] for i in idx[:half]]
    b_pairs, b_labels = [pairs[i] for i in idx[half:]], [labels[i] for i in idx[half:]]
    print(f"Duplicates, CFPB raw files: {exact} exact + {near} near (word Jaccard ≥ 0.8) positive pairs, "
          f"{labels.count(0)} random negatives; threshold on one half, figures on the other")
    texts = sorted({t for p in pairs for t in p})
    report_pairs("CFPB", b_pairs, b_labels, a_pairs, a_labels,
                 {"similarity (project)": ml.similarity, "char 1-3 TF-IDF cosine": char_cosine(texts)})

    test, test_labels, tune, tune_labels = atec_pairs(data, 3000, seed=0)
    print(f"Duplicates, ATEC: 3,000 random pairs ({sum(test_labels)} same meaning), threshold on 3,000 other pairs")
    fit_texts = [t for p in test for t in p]
    aucs = report_pairs("ATEC", test, test_labels, tune, tune_labels,
                        {"similarity (project)": ml.similarity, "char 1-3 TF-IDF cosine": char_cosine(fit_texts)})
    return aucs["similarity (project)"]


def semantic_duplicates(data: Path, n: int, save: bool) -> float:
    s = _atec.splits(data)
    train, test, tune = s["dedupe_train"], s["triage_test"][:n], s["triage_tune"][:500]

    def feats(rows: list[_atec.Row]) -> list[list[float]]:
        va = _atec.vectors([r[0] for r in rows])
        vb = _atec.vectors([r[1] for r in rows])
        return [semantic.features(r[0], r[1], va[i], vb[i]) for i, r in enumerate(rows)]

    ft, fs, fu = feats(train), feats(test), feats(tune)
    model = semantic.fit(ft, [r[2] for r in train])
    print(f"Duplicates with the semantic model: fitted on {len(train)} ATEC pairs ({sum(r[2] for r in train)} same "
          f"meaning): weights {dict(zip(semantic.FEATURES, model['weights'], strict=True))}, "
          f"intercept {model['intercept']}")
    if save:
        path = semantic.coefficients_path()
        path.write_text(json.dumps(model, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"  saved {path}")
    labels, tune_labels = [r[2] for r in test], [r[2] for r in tune]
    methods: dict[str, Callable[[int, list[list[float]]], float]] = {
        "similarity (project, old)": lambda i, f: f[i][1],
        "e5 cosine alone": lambda i, f: f[i][0],
        "char 1-2 cosine": lambda i, f: f[i][2],
        "combination (logistic)": lambda i, f: semantic.probability(f[i], model),
        "max(old, combination) [product]": lambda i, f: max(f[i][1], semantic.probability(f[i], model)),
    }
    print(f"  ATEC: first {len(test)} of the 3,000 test pairs ({sum(labels)} same meaning), "
          f"thresholds on {len(tune)} tuning pairs")
    aucs = {}
    for name, fn in methods.items():
        sc = [fn(i, fs) for i in range(len(test))]
        st = [fn(i, fu) for i in range(len(tune))]
        th = best_threshold(st, tune_labels)
        p, r = pr_at(sc, labels, th)
        aucs[name] = float(roc_auc_score(labels, sc))
        print(f"  ATEC  {name:32} ROC-AUC {aucs[name]:.3f}  threshold {th:.3f}  precision {p:.3f}  recall {r:.3f}")
    probes = demo_corpus.build(n=60, seed=8).texts[:60]
    embed.embed(probes[0])
    t0, c0 = time.perf_counter(), time.process_time()
    vecs = [embed.embed(t) for t in probes[1:]]
    wall, cpu = (time.perf_counter() - t0) / len(vecs) * 1000, (time.process_time() - c0) / len(vecs) * 1000
    t0 = time.perf_counter()
    for i in range(1, len(vecs)):
        semantic.duplicate_score(probes[i], probes[i + 1], vecs[i - 1], vecs[i])
    per_pair = (time.perf_counter() - t0) / (len(vecs) - 1) * 1000
    print(f"  cost per registration: embedding the text {wall:.1f} ms wall, {cpu:.1f} ms CPU (demo complaints); "
          f"scoring one candidate against its stored vector {per_pair:.2f} ms")
    return aucs["max(old, combination) [product]"]


def speed() -> None:
    texts = demo_corpus.build(n=10_000, seed=7).texts
    probes = demo_corpus.build(n=300, seed=8).texts[:300]
    ml.suggest(probes[0])  # load the model once, as a server process does at start-up
    t0 = time.perf_counter()
    for t in probes:
        ml.suggest(t)
    rate = len(probes) / (time.perf_counter() - t0)
    index = ml.NearDuplicateIndex(threshold=0.5)
    t0 = time.perf_counter()
    for i, t in enumerate(texts):
        index.add(i, t)
    build_s = time.perf_counter() - t0
    added = []
    for t in probes[:200]:
        t1 = time.perf_counter()
        ml.suggest(t)
        index.query(t)
        added.append((time.perf_counter() - t1) * 1000)
    q = statistics.quantiles(added, n=20)
    print(f"Speed (model {ml.model_info()['version']}): suggest {rate:.0f} texts/s one at a time; "
          f"index of {len(index)} texts built in {build_s:.1f} s; added per registration (suggest + query): "
          f"median {statistics.median(added):.1f} ms, p95 {q[18]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--grid", default="1,3,10,30")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--parts", default="cfpb,duplicates,semantic,speed")
    parser.add_argument("--semantic-pairs", type=int, default=1500)
    parser.add_argument("--save-dedupe", action="store_true")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if not (args.data / "cfpb").is_dir() or not (args.data / "atec").is_dir():
        parser.error(f"no cfpb/ and atec/ data under {args.data} (pass --data DIR)")
    grid = [float(x) for x in args.grid.split(",")]
    nan = float("nan")
    f1 = cfpb_classification(args.data, grid, args.folds) if "cfpb" in parts else nan
    auc = duplicates(args.data) if "duplicates" in parts else nan
    auc_semantic = semantic_duplicates(args.data, args.semantic_pairs, args.save_dedupe) if "semantic" in parts else nan
    if "speed" in parts:
        speed()
    print(f"cfpb_macro_f1={f1:.3f} atec_auc={auc:.3f} atec_auc_semantic={auc_semantic:.3f}")


if __name__ == "__main__":
    main()
