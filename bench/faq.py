"""Retrieval of standard questions (triage.ml.retrieval): BM25 alone, e5 alone, fused, on ATEC pairs.

    .venv/bin/python bench/faq.py [--data DIR] [--pairs 1000] [--distractors 1000]

Development set from public data (``../shared/data/atec``): ATEC positive pairs (disjoint from the pairs
bench/triage.py scores and the near-duplicate training pairs, see bench/_atec.py), one side as the
standard question, the other as the customer's question. Every standard question is indexed, plus one
side of as many ATEC negative pairs as distractors. The queries are split in two halves (seed 3): the
fusion weight and the confidence's coefficients are chosen on the development half; the figures are on
the other half. e5 vectors come from a cache (``TEXTML_E5_CACHE``) when known.

Prints Recall@1, Recall@3 and MRR per method, index build time, query latency p50/p95, and the
confidence's calibration (Brier score; accuracy of the answers above 0.5 and the share handed over).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("REDRESSAL_DATA_DIR", tempfile.mkdtemp(prefix="bench-faq-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redressal.settings")

import django  # noqa: E402

django.setup()

import _atec  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from redressal.triage.ml import embed, retrieval  # noqa: E402
from redressal.triage.ml.retrieval import Document, RetrievalIndex, fuse  # noqa: E402


def metrics(fused_rows: list[np.ndarray], gold: list[int]) -> tuple[float, float, float]:
    r1 = r3 = mrr = 0.0
    for scores, g in zip(fused_rows, gold, strict=True):
        rank = int((scores > scores[g]).sum()) + 1
        r1 += rank == 1
        r3 += rank <= 3
        mrr += 1.0 / rank
    n = max(len(gold), 1)
    return r1 / n, r3 / n, mrr / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--distractors", type=int, default=1000)
    args = parser.parse_args()
    s = _atec.splits(args.data)
    pos, neg = s["faq_pos"][: args.pairs], s["faq_neg"][: args.distractors]
    standards = list(dict.fromkeys(r[0] for r in pos))
    extra = [t for t in dict.fromkeys(r[0] for r in neg) if t not in set(standards)]
    texts = standards + extra
    doc_of = {t: i for i, t in enumerate(texts)}
    queries = [(r[1], doc_of[r[0]]) for r in pos if r[1] != r[0]]
    print(f"FAQ retrieval, ATEC: {len(standards)} standard questions + {len(extra)} distractors indexed, "
          f"{len(queries)} customer questions")

    vectors = _atec.vectors(texts)
    qvectors = _atec.vectors([q for q, _ in queries])
    t0 = time.perf_counter()
    index = RetrievalIndex()
    index.add(Document(str(i), t, (), vectors[i : i + 1]) for i, t in enumerate(texts))
    index.search("信用卡", vector=qvectors[0])  # builds BM25
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    embed.embed_many(texts[:100])
    per_text = (time.perf_counter() - t0) / 100
    print(f"  index build: BM25 + matrix {build:.2f} s for {len(texts)} documents; embedding "
          f"{per_text * 1000:.0f} ms a text here ({per_text * len(texts):.0f} s for all, once, when published)")

    rows = [index.scores(q, qvectors[n]) for n, (q, _) in enumerate(queries)]
    order = list(range(len(queries)))
    random.Random(3).shuffle(order)
    dev, test = order[: len(order) // 2], order[len(order) // 2 :]
    gold = [g for _, g in queries]

    def evaluate(ids: list[int], mode: str, w: float) -> tuple[float, float, float]:
        return metrics([fuse(rows[i][0], rows[i][1], w, mode) for i in ids], [gold[i] for i in ids])

    grid = [round(x, 2) for x in np.arange(0.0, 1.01, 0.05)]
    by_w = {w: evaluate(dev, "fused", w) for w in grid}
    best_w = max(grid, key=lambda w: (by_w[w][0] + by_w[w][1], by_w[w][2]))
    print("  development half, fused Recall@1 by semantic weight: "
          + " ".join(f"{w:.2f}:{by_w[w][0]:.3f}" for w in grid[::2]))
    print(f"  chosen weight {best_w:.2f} (module default {retrieval.SEMANTIC_WEIGHT})")
    print(f"  held-out half ({len(test)} questions):")
    for name, mode in (("BM25 alone", "lexical"), ("e5 alone", "semantic"), ("reciprocal rank fusion", "rrf"),
                       (f"fused w={best_w:.2f}", "fused")):
        r1, r3, mrr = evaluate(test, mode, best_w)
        print(f"    {name:26} Recall@1 {r1:.3f}  Recall@3 {r3:.3f}  MRR {mrr:.3f}")

    def features(ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        x, y = [], []
        for i in ids:
            f = fuse(rows[i][0], rows[i][1], best_w)
            top2 = np.sort(f)[-2:]
            x.append([top2[1], top2[1] - top2[0]])
            y.append(int(np.argmax(f) == gold[i]))
        return np.array(x), np.array(y)

    xd, yd = features(dev)
    lr = LogisticRegression(C=100.0).fit(xd, yd)
    coef = (float(lr.coef_[0][0]), float(lr.coef_[0][1]), float(lr.intercept_[0]))
    print(f"  confidence coefficients fitted on development half: a={coef[0]:.2f} b={coef[1]:.2f} c={coef[2]:.2f} "
          f"(module {retrieval.CONFIDENCE})")
    xt, yt = features(test)
    for label, cf in (("fitted", coef), ("module", retrieval.CONFIDENCE)):
        p = np.array([retrieval.confidence_of(a, b, cf) for a, b in xt])
        answered = p >= 0.5
        acc = float(yt[answered].mean()) if answered.any() else float("nan")
        print(f"    confidence ({label}): Brier {float(np.mean((p - yt) ** 2)):.3f}; ≥0.5 answers "
              f"{answered.mean():.1%} of questions, right {acc:.3f}; mean confidence {p.mean():.3f} vs "
              f"top-1 accuracy {yt.mean():.3f}")

    lat = []
    for q, _ in queries[:200]:
        t0 = time.perf_counter()
        index.search(q, k=3)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    print(f"  query latency (embedding the question + BM25 + fusion), 200 questions: "
          f"p50 {statistics.median(lat):.1f} ms  p95 {lat[int(0.95 * len(lat)) - 1]:.1f} ms")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "index.npz"
        index.save(path)
        t0 = time.perf_counter()
        RetrievalIndex.load(path).search("信用卡", vector=qvectors[0])
        print(f"  saved index {path.stat().st_size / 1e6:.1f} MB; load + BM25 rebuild {time.perf_counter() - t0:.2f} s")
    r1, r3, mrr = evaluate(test, "fused", best_w)
    print(f"faq_recall1={r1:.3f} faq_recall3={r3:.3f} faq_mrr={mrr:.3f}")


if __name__ == "__main__":
    main()
