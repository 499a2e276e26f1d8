"""Training: a held-out evaluation, then the model fitted on every row, saved with its metrics.

Shared by ``redressal train-classifier`` (bank data: CSV or confirmed classifications) and the starter
model build (demo corpus, held out by template).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redressal.core import clock
from redressal.triage.ml import store
from redressal.triage.ml.pipeline import CHINESE, Config, TextClassifier, scores

MIN_ROWS = 10
MIN_PER_CLASS = 2


class TrainingDataError(ValueError):
    """The rows cannot train a model (too few, one class, missing labels); nothing is written."""


@dataclass
class Dataset:
    texts: list[str]
    labels: dict[str, list[str | None]]
    groups: list[str] | None = None  # rows of one group are never split between train and test
    label_names: dict[str, dict[str, str]] = field(default_factory=dict)  # axis → code → label


@dataclass
class Result:
    classifier: TextClassifier
    metrics: dict[str, dict[str, float]]
    train_size: int
    test_size: int


def check(data: Dataset) -> None:
    if len(data.texts) < MIN_ROWS:
        raise TrainingDataError(f"too few rows to train: {len(data.texts)} (at least {MIN_ROWS} needed)")
    usable = 0
    for axis, ys in data.labels.items():
        counts = Counter(y for y in ys if y)
        kept = [c for c, n in counts.items() if n >= MIN_PER_CLASS]
        if len(kept) >= 2:
            usable += 1
        elif len(data.labels) == 1:
            raise TrainingDataError(
                f"axis {axis!r} needs at least 2 classes with {MIN_PER_CLASS}+ rows each (found {len(kept)})"
            )
    if not usable:
        raise TrainingDataError("no axis has at least 2 classes with enough rows")


def _split(data: Dataset, test_size: float, seed: int) -> tuple[list[int], list[int]]:
    """Indices of train and test rows: whole groups when groups are given, else stratified by the first
    axis's label (classes too small to stratify go to training)."""
    rng = random.Random(seed)
    n = len(data.texts)
    if data.groups is not None:
        groups = sorted(set(data.groups))
        rng.shuffle(groups)
        held = set(groups[: max(1, round(len(groups) * test_size))])
        test = [i for i in range(n) if data.groups[i] in held]
        return [i for i in range(n) if data.groups[i] not in held], test
    first = next(iter(data.labels.values()))
    by_class: dict[str, list[int]] = {}
    for i in range(n):
        by_class.setdefault(str(first[i] or ""), []).append(i)
    train, test = [], []
    for rows in by_class.values():
        rng.shuffle(rows)
        k = round(len(rows) * test_size) if len(rows) >= 2 * MIN_PER_CLASS else 0
        test += rows[:k]
        train += rows[k:]
    if not test:
        raise TrainingDataError("too few rows to hold out a test split")
    return sorted(train), sorted(test)


def evaluate(classifier: TextClassifier, texts: Sequence[str], labels: Mapping[str, Sequence[str | None]]) -> dict:
    predicted = classifier.predict(texts)
    metrics: dict[str, dict[str, float]] = {}
    for axis in classifier.axes:
        rows = [i for i, y in enumerate(labels.get(axis, [])) if y]
        if rows:
            metrics[axis] = scores([str(labels[axis][i]) for i in rows], [predicted[axis][i] for i in rows])
    return metrics


def train(data: Dataset, config: Config = CHINESE, test_size: float = 0.2, seed: int = 0) -> Result:
    """Fit on a training split, measure on the held-out rows, then refit on all rows."""
    check(data)
    if not 0.0 < test_size < 1.0:
        raise TrainingDataError("--test-size must be between 0 and 1")
    train_rows, test_rows = _split(data, test_size, seed)

    def subset(rows: list[int]) -> tuple[list[str], dict[str, list[str | None]]]:
        return [data.texts[i] for i in rows], {a: [ys[i] for i in rows] for a, ys in data.labels.items()}

    tr_texts, tr_labels = subset(train_rows)
    te_texts, te_labels = subset(test_rows)
    held_out = TextClassifier(config).fit(tr_texts, tr_labels)
    if not held_out.axes:
        raise TrainingDataError("the training split has fewer than 2 classes on every axis")
    metrics = evaluate(held_out, te_texts, te_labels)
    final = TextClassifier(config).fit(data.texts, data.labels)
    return Result(final, metrics, len(train_rows), len(test_rows))


def save(
    result: Result, data: Dataset, out_dir: Path, prefix: str = "model-", source: str = "", version: str = ""
) -> Path:
    labels = {
        axis: {c: data.label_names.get(axis, {}).get(c, c) for c in result.classifier.classes(axis)}
        for axis in result.classifier.axes
    }
    meta: dict[str, Any] = {
        "version": version,
        "trained_at": clock.now().isoformat(timespec="seconds"),
        "source": source,
        "training_size": len(data.texts),
        "evaluation": {"train_rows": result.train_size, "test_rows": result.test_size},
        "metrics": result.metrics,
        "labels": labels,
        "config": result.classifier.config.to_dict(),
    }
    return store.save(result.classifier, meta, out_dir, prefix=prefix)
