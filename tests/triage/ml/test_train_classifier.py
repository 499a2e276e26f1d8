"""``redressal train-classifier``: a small CSV trains a versioned model with metrics; bad input is refused
with one clear line and nothing written; confirmed case classifications are training data."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from redressal.triage.ml import store
from redressal.triage.ml.pipeline import ENGLISH

TEMPLATES = {
    "credit_card": ["信用卡年费被重复收取{n}次", "信用卡账单多扣了{n}元年费", "my card fee was charged {n} times"],
    "wealth": ["理财产品亏损{n}万元，经理说保本", "买的理财到期亏了{n}千", "the wealth product lost {n} percent"],
    "atm": ["ATM吞卡没出钞，扣了{n}百元", "自助取款机吞卡{n}次", "the atm kept my card and {n} yuan"],
}


def write_csv(path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("text", "label")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def rows(per_template: int = 4) -> list[tuple[str, str]]:
    return [(t.format(n=n + 2), label) for label, ts in TEMPLATES.items() for t in ts for n in range(per_template)]


def test_csv_training_writes_a_model_with_metrics(tmp_path, capsys):
    data = write_csv(tmp_path / "train.csv", rows())
    out = tmp_path / "models"
    call_command("train_classifier", csv=data, axis="product", out=out, seed=1)
    printed = capsys.readouterr().out
    assert "macro-F1" in printed and "product" in printed and "model written" in printed
    (model_path,) = out.glob("*.skops")
    meta = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["training_size"] == 36 and meta["version"] and meta["trained_at"]
    assert set(meta["labels"]["product"]) == set(TEMPLATES)
    assert 0.0 <= meta["metrics"]["product"]["macro_f1"] <= 1.0 and meta["metrics"]["product"]["n"] > 0
    loaded = store.load(model_path)
    assert loaded.classifier.predict(["信用卡年费多收了"])["product"] == ["credit_card"]
    assert not list(out.glob("*.tmp"))


@pytest.mark.parametrize(
    ("make", "kwargs", "message"),
    [
        (None, {"text_col": "text", "label_col": "label"}, "CSV file not found"),
        ("rows", {"text_col": "narrative", "label_col": "label"}, "narrative"),
        ("few", {"text_col": "text", "label_col": "label"}, "too few rows"),
        ("one_class", {"text_col": "text", "label_col": "label"}, "at least 2 classes"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(tmp_path, make, kwargs, message):
    path = tmp_path / "train.csv"
    if make == "rows":
        write_csv(path, rows())
    elif make == "few":
        write_csv(path, rows()[:5])
    elif make == "one_class":
        write_csv(path, [(f"信用卡年费第{i}次", "credit_card") for i in range(20)])
    out = tmp_path / "models"
    with pytest.raises(CommandError, match=message):
        call_command("train_classifier", csv=path, out=out, **kwargs)
    assert not out.exists() or not any(out.iterdir())


def test_no_source_is_refused():
    with pytest.raises(CommandError, match="choose a source"):
        call_command("train_classifier")


def test_cli_error_is_one_line_without_traceback(tmp_path):
    env = {**os.environ, "REDRESSAL_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "redressal.cli", "train-classifier", "--csv", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "CSV file not found" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_from_db_trains_on_confirmed_codes_only(bank, tmp_path):
    from redressal.cases import services as svc
    from redressal.cases.models import Case

    texts = rows()
    for i, (text, label) in enumerate(texts):
        case = svc.register_case(
            svc.RegisterInput(request_type="complaint", channel="hotline", description=text, complainant_name="王"),
            actor=bank.actor("agent"),
        )
        confirmed = {"code": label, "label": label.upper(), "by": "handler1", "at": "2025-01-01T00:00:00+08:00"}
        # Every fourth case only has a suggestion: not training data.
        entry = {"suggested": {"code": "atm", "confidence": 0.4}, "confirmed": None if i % 4 == 3 else confirmed}
        # Confirmations are written by the triage app's service; here they are test data.
        Case.objects.filter(pk=case.pk).update(classification={"business": entry})
    out = tmp_path / "models"
    call_command("train_classifier", from_db=True, axis="business", out=out)
    (model_path,) = out.glob("*.skops")
    meta = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["training_size"] == len(texts) - len(texts) // 4
    assert meta["labels"]["business"] == {"atm": "ATM", "credit_card": "CREDIT_CARD", "wealth": "WEALTH"}


def test_english_feature_set_trains_and_loads_with_the_trusted_types(tmp_path):
    data = write_csv(tmp_path / "train.csv", rows(per_template=6))
    out = tmp_path / "models"
    call_command("train_classifier", csv=data, axis="product", language="en", out=out)
    (model_path,) = out.glob("*.skops")
    loaded = store.load(model_path)
    assert loaded.meta["config"]["model"] == ENGLISH.model == "nblr_views"
    proba = loaded.classifier.predict_proba(["the atm kept my card"])["product"][1]
    assert abs(float(proba.sum()) - 1.0) < 1e-6
    # One model per view (word n-grams, character n-grams), side by side over the whole feature width.
    head = loaded.classifier.heads["product"]
    (w0, w1), (c0, c1) = head.views
    width = len(loaded.classifier.word.vocabulary_) + len(loaded.classifier.char.vocabulary_)
    assert (w0, w1, c0, c1) == (0, c0, w1, width) and len(head.members) == 2
