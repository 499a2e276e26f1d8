"""``redressal train-classifier``: train a triage model, report held-out accuracy and macro-F1, save it.

Sources: ``--from-db`` (the codes staff confirmed on cases, ``Case.classification[axis]["confirmed"]``),
``--csv FILE --text-col C --label-col L`` (one axis, ``--axis``), or ``--starter`` (rebuild the shipped
starter model from the demo corpus). Bad input is one line and exit status 1; no file is written.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from redressal.cases.models import Case
from redressal.triage.ml import AXES, starter, store
from redressal.triage.ml.pipeline import CHINESE, ENGLISH
from redressal.triage.ml.training import Dataset, Result, TrainingDataError, save, train


def from_csv(path: Path, text_col: str, label_col: str, axis: str) -> Dataset:
    if not path.is_file():
        raise CommandError(f"CSV file not found: {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            missing = [c for c in (text_col, label_col) if c not in columns]
            if missing:
                raise CommandError(f"column(s) {', '.join(missing)} not in {path.name} (columns: {', '.join(columns)})")
            rows = [(r[text_col] or "", (r[label_col] or "").strip()) for r in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CommandError(f"cannot read {path.name} as UTF-8 CSV: {exc}") from exc
    rows = [(t, y) for t, y in rows if t.strip() and y]
    return Dataset([t for t, _ in rows], {axis: [y for _, y in rows]})


def from_db(axes: tuple[str, ...]) -> Dataset:
    """Cases with at least one confirmed code; an axis without a confirmation is left out for that case."""
    texts: list[str] = []
    labels: dict[str, list[str | None]] = {a: [] for a in axes}
    names: dict[str, dict[str, str]] = {a: {} for a in axes}
    for description, classification in Case.objects.exclude(classification={}).values_list(
        "description", "classification"
    ).iterator():
        confirmed = {a: _confirmed(classification, a) for a in axes}
        if not description or not any(confirmed.values()):
            continue
        texts.append(description)
        for axis, found in confirmed.items():
            labels[axis].append(found[0] if found else None)
            if found:
                names[axis][found[0]] = found[1]
    return Dataset(texts, labels, label_names=names)


def _confirmed(classification: Any, axis: str) -> tuple[str, str] | None:
    entry = classification.get(axis) if isinstance(classification, dict) else None
    confirmed = entry.get("confirmed") if isinstance(entry, dict) else None
    if isinstance(confirmed, dict) and confirmed.get("code"):
        return str(confirmed["code"]), str(confirmed.get("label") or confirmed["code"])
    return None


class Command(BaseCommand):
    help = "Train the triage classifier and save a new versioned model with its held-out metrics."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--from-db", action="store_true", help="train from codes staff confirmed on cases")
        source.add_argument("--csv", type=Path, help="train one axis from a UTF-8 CSV file")
        source.add_argument("--starter", action="store_true", help="rebuild the starter model from the demo corpus")
        parser.add_argument("--text-col", default="text")
        parser.add_argument("--label-col", default="label")
        parser.add_argument("--axis", choices=AXES, help="the axis the CSV labels are (default business), or "
                            "the only axis to train from the database")
        parser.add_argument("--language", choices=("zh", "en"), default="zh",
                            help="feature set: zh (short Chinese texts, the default) or en (long English narratives)")
        parser.add_argument("--test-size", type=float, default=0.2)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", type=Path, help="output directory (default: <data dir>/models)")

    def handle(self, *args: Any, **opts: Any) -> None:
        console = Console(file=self.stdout)  # type: ignore[arg-type]  # OutputWrapper is a TextIO
        if opts["starter"]:
            path, result = starter.build(out_dir=opts["out"], seed=opts["seed"])
            self._report(console, result, path, "demo corpus, held out by template")
            return
        if opts["csv"]:
            data = from_csv(opts["csv"], opts["text_col"], opts["label_col"], opts["axis"] or "business")
            source = f"csv:{opts['csv'].name}"
        elif opts["from_db"]:
            data = from_db((opts["axis"],) if opts["axis"] else AXES)
            source = "confirmed case classifications"
        else:
            raise CommandError("choose a source: --from-db, --csv FILE or --starter")
        try:
            config = ENGLISH if opts["language"] == "en" else CHINESE
            result = train(data, config, test_size=opts["test_size"], seed=opts["seed"])
        except TrainingDataError as exc:
            raise CommandError(str(exc)) from exc
        path = save(result, data, opts["out"] or store.trained_dir(), source=source)
        self._report(console, result, path, f"{result.test_size} held-out rows")

    def _report(self, console: Console, result: Result, path: Path, split: str) -> None:
        table = Table(title=f"Held-out evaluation ({split})")
        for column in ("axis", "rows", "accuracy", "macro-F1"):
            table.add_column(column, justify="left" if column == "axis" else "right")
        for axis, m in result.metrics.items():
            table.add_row(axis, str(int(m["n"])), f"{m['accuracy']:.3f}", f"{m['macro_f1']:.3f}")
        console.print(table)
        console.print(f"model written: {path} (trained on {result.train_size + result.test_size} rows)")
