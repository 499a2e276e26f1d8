"""The shipped starter model: trained on the demo corpus, measured on templates it never saw."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from redressal.cases.models import Case
from redressal.domain.codes import load_codes
from redressal.triage.ml import AXES, store
from redressal.triage.ml import corpus as demo_corpus
from redressal.triage.ml.pipeline import CHINESE, TextClassifier
from redressal.triage.ml.training import Dataset, Result, evaluate, save

STARTER_VERSION = "starter-1"


def label_names() -> dict[str, dict[str, str]]:
    """Code → Chinese label for the axes with fixed code lists."""
    table = load_codes()
    with translation.override("zh-hans"):
        return {
            "request_type": {str(v): str(label) for v, label in Case.RequestType.choices},
            "channel": {str(v): str(label) for v, label in Case.Channel.choices},
            "business": {c.code: c.zh for c in table.axis("B")},
            "cause": {c.code: c.zh for c in table.axis("C")},
        }


def dataset(corpus: demo_corpus.Corpus) -> Dataset:
    return Dataset(corpus.texts, {a: corpus.labels(a) for a in AXES}, [e.group for e in corpus.examples], label_names())


def build(out_dir: Path | None = None, n: int = 3000, seed: int = 0) -> tuple[Path, Result]:
    """Held-out figures by template (a quarter of each situation's templates never seen in training),
    then the model fitted on the whole corpus."""
    full = demo_corpus.build(n=n, seed=seed)
    train_part, test_part = full.split(demo_corpus.holdout_groups(full, seed=seed))
    data = dataset(full)
    held = TextClassifier(CHINESE).fit(train_part.texts, dataset(train_part).labels)
    metrics = evaluate(held, test_part.texts, dataset(test_part).labels)
    en_test = demo_corpus.Corpus([e for e in test_part.examples if e.language == "en"])
    if en_test.examples:
        metrics["business_en"] = evaluate(held, en_test.texts, {"business": en_test.labels("business")})["business"]
    final = TextClassifier(CHINESE).fit(data.texts, data.labels)
    result = Result(final, metrics, len(train_part.examples), len(test_part.examples))
    path = save(
        result,
        data,
        out_dir or store.shipped_dir(),
        prefix="",
        source="demo corpus (redressal.demo templates), held out by template",
        version=STARTER_VERSION,
    )
    return path, result
