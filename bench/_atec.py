"""ATEC splits shared by bench/faq.py and bench/triage.py, and an on-disk cache of e5 vectors.

The splits are disjoint: ``triage`` is the 2 × 3,000 pairs bench/triage.py has always drawn (seed 0:
figures on the first 3,000, thresholds on the second); ``dedupe_train`` fits the near-duplicate combiner
shipped in the package; ``faq`` builds the retrieval development set. Vectors are cached in
``$TEXTML_E5_CACHE`` (default a file under the system temp folder) so a re-run does not re-embed.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

Row = tuple[str, str, int]


def rows(data: Path) -> list[Row]:
    with (data / "atec" / "atec_nlp_sim_train.csv").open(encoding="utf-8") as f:
        raw = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return [(r[1], r[2], int(r[3])) for r in raw]


def splits(data: Path) -> dict[str, list[Row]]:
    """``triage_test``/``triage_tune`` (bench/triage.py's draw), ``dedupe_train`` (1,000 pairs),
    ``faq_pos`` (positive pairs) and ``faq_neg`` (negative pairs, for distractors)."""
    with (data / "atec" / "atec_nlp_sim_train.csv").open(encoding="utf-8") as f:
        raw = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    picked = random.Random(0).sample(raw, 6000)  # exactly bench/triage.py's draw
    taken = {r[0] for r in picked}
    rest = [r for r in raw if r[0] not in taken]
    random.Random(1).shuffle(rest)
    as_rows = lambda rs: [(r[1], r[2], int(r[3])) for r in rs]  # noqa: E731
    train, rest = rest[:1000], rest[1000:]
    pos = [r for r in rest if r[3] == "1"][:2000]
    neg = [r for r in rest if r[3] == "0"][:2000]
    return {
        "triage_test": as_rows(picked[:3000]),
        "triage_tune": as_rows(picked[3000:]),
        "dedupe_train": as_rows(train),
        "faq_pos": as_rows(pos),
        "faq_neg": as_rows(neg),
    }


def _cache_file() -> Path:
    return Path(os.environ.get("TEXTML_E5_CACHE", Path(tempfile.gettempdir()) / "redressal-e5-cache.npz"))


_memo: dict[str, np.ndarray] | None = None


def vectors(texts: Sequence[str]) -> np.ndarray:
    """e5 vectors (``query:`` prefix, as the product embeds) of ``texts``, from the cache when known."""
    global _memo
    from redressal.triage.ml import embed

    path = _cache_file()
    if _memo is None:
        _memo = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as z:
                _memo = dict(zip(z["texts"].tolist(), z["vectors"], strict=True))
    missing = sorted({t for t in texts if t not in _memo})
    for i in range(0, len(missing), 128):
        chunk = missing[i : i + 128]
        for t, v in zip(chunk, embed.embed_many(chunk), strict=True):
            _memo[t] = v
        # Saved after every chunk: the machine is shared and a run may be stopped.
        keys = list(_memo)
        np.savez(path, texts=np.array(keys), vectors=np.stack([_memo[k] for k in keys]).astype(np.float32))
    return np.stack([_memo[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)
