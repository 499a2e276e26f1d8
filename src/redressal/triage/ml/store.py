"""Model files: a skops file with the fitted :class:`TextClassifier` and a JSON file beside it with its
version, date, metrics per axis, label sets and training-set size.

skops instead of pickle: loading a pickle runs whatever code it names, and model files are data a bank
copies between machines. Loading trusts exactly the types listed in ``TRUSTED`` and refuses any other.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import skops.io as sio

from redressal.core import clock
from redressal.core.config import data_dir
from redressal.triage.ml.pipeline import TextClassifier

STARTER_PREFIX = "starter-"

# The types our model files hold beyond what skops trusts by default (public scikit-learn estimators,
# numpy arrays): ``skops.io.get_untrusted_types`` on a Chinese (lr) and an English (ensemble) model.
TRUSTED = [
    "redressal.triage.ml.pipeline.Config",
    "redressal.triage.ml.pipeline.TextClassifier",
    "redressal.triage.ml.pipeline.WordGrams",
    "redressal.triage.ml.pipeline._Average",
    "redressal.triage.ml.pipeline._NBLogistic",
    "redressal.triage.ml.pipeline._PerView",
    "redressal.triage.ml.pipeline.prepare",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
]


@dataclass(frozen=True)
class StoredModel:
    classifier: TextClassifier
    meta: dict[str, Any]
    path: Path

    @property
    def version(self) -> str:
        return str(self.meta["version"])


def shipped_dir() -> Path:
    return Path(str(resources.files("redressal.triage").joinpath("data", "models")))


def trained_dir() -> Path:
    """Where ``train-classifier`` writes the bank's own models by default."""
    return data_dir() / "models"


def meta_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def save(classifier: TextClassifier, meta: dict[str, Any], out_dir: Path, prefix: str = "model-") -> Path:
    """Write ``<prefix><version>.skops`` and its ``.json``; the version is the UTC time of training
    unless ``meta`` names one. Written to temporary names first, so no half-written model is ever found."""
    out_dir.mkdir(parents=True, exist_ok=True)
    version = str(meta.get("version") or clock.now().strftime("%Y%m%d%H%M%S"))
    meta = {**meta, "version": version}
    path = out_dir / f"{prefix}{version}.skops"
    tmp_model, tmp_meta = path.with_suffix(".skops.tmp"), path.with_suffix(".json.tmp")
    sio.dump(classifier, tmp_model, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    tmp_meta.write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp_meta, meta_path(path))
    os.replace(tmp_model, path)
    return path


def load(path: Path) -> StoredModel:
    classifier = sio.load(path, trusted=TRUSTED)
    if not isinstance(classifier, TextClassifier):
        raise TypeError(f"{path} does not hold a TextClassifier")
    meta = json.loads(meta_path(path).read_text(encoding="utf-8"))
    return StoredModel(classifier, meta, path)


def _newest(folder: Path, pattern: str) -> Path | None:
    found = sorted(p for p in folder.glob(pattern) if meta_path(p).exists()) if folder.is_dir() else []
    return found[-1] if found else None


def default_path() -> Path:
    """The model ``suggest`` uses: ``REDRESSAL_TRIAGE_MODEL`` if set, else the newest model the bank
    trained (``<data dir>/models``), else the newest shipped starter model."""
    explicit = os.environ.get("REDRESSAL_TRIAGE_MODEL")
    if explicit:
        return Path(explicit)
    found = _newest(trained_dir(), "*.skops") or _newest(shipped_dir(), f"{STARTER_PREFIX}*.skops")
    if found is None:
        raise FileNotFoundError("no triage model found (the starter model is missing from the package)")
    return found
