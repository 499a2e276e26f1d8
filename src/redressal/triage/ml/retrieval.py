"""Retrieval of standard questions for a customer's question: BM25 fused with e5 sentence vectors.

Free of any knowledge-base model: an index holds :class:`Document` s (an id, a standard question, its
similar phrasings) and answers ``search(question, k)`` with the best ids and a confidence in [0, 1]
the caller thresholds (e.g. hand over to a person below 0.5).

- Lexical: BM25 (``bm25s``) over the jieba words (``core.text.words``, rjieba) and the Chinese
  character pairs of the text, after the bank synonym list (``domain/triage/synonyms.yaml``) has folded
  他行/入账/掌上银行 to 跨行/到账/手机银行 — in documents and questions alike. Each phrasing of a
  document is indexed as its own row; a document scores its best row.
- Semantic: the cosine of e5 vectors (``triage.ml.embed``) of the texts as written (the model knows
  its synonyms; the list is for BM25). A document's vectors are computed once,
  when it is added (``Document.vectors`` may carry stored ones: ``vectors_bytes`` /
  ``from_vectors_bytes``), and saved with the index, so a restart never re-embeds; only the question
  is embedded per search (~20 ms).
- Fusion: weighted normalised scores, ``w · (cosine − 0.75) / 0.25 + (1 − w) · bm25 / max bm25``, with ``w`` and the
  confidence's logistic coefficients chosen on a development half of ATEC pairs and measured on the
  other half (bench/faq.py; decision 0024). Reciprocal rank fusion was measured beside it and lost.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from redressal.core.text import CJK, normalize, words
from redressal.domain.triage.synonyms import canonical
from redressal.triage.ml import embed

# Chosen on the development half of bench/faq.py (see decision 0024); the held-out half is reported.
SEMANTIC_WEIGHT = 0.9
# confidence = σ(a · fused score + b · lead over the best other document + c), fitted on the development half.
CONFIDENCE = (-2.48, 18.12, 0.62)
RRF_K = 60
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
# e5 cosines of unrelated Chinese questions sit around 0.75–0.85 (the model's vectors share a direction):
# the semantic score is the cosine mapped from [FLOOR, 1] to [0, 1], so it spans the range BM25's does.
SEMANTIC_FLOOR = 0.75


def tokens(text: str) -> list[str]:
    """Words and Chinese character pairs of ``text`` after the synonym list."""
    folded = canonical(normalize(text).lower())
    out = words(folded)
    han = "".join(ch for ch in folded if CJK.match(ch))
    out.extend(han[i : i + 2] for i in range(len(han) - 1))
    return out or ["∅"]


@dataclass(frozen=True)
class Document:
    id: str
    question: str
    phrasings: tuple[str, ...] = ()
    vectors: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.question, *self.phrasings)


def vectors_bytes(vectors: np.ndarray) -> bytes:
    """A document's vectors (one a text) as bytes to store beside the entry (float16)."""
    return np.asarray(vectors, dtype=np.float16).tobytes()


def from_vectors_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).astype(np.float32).reshape(-1, embed.DIM)


def document_vectors(doc: Document) -> np.ndarray:
    """Computed when an entry is published, not per question."""
    return embed.embed_many(list(doc.texts))


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    confidence: float
    lexical: float
    semantic: float


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class RetrievalIndex:
    def __init__(self, semantic_weight: float = SEMANTIC_WEIGHT) -> None:
        self.semantic_weight = semantic_weight
        self._ids: list[str] = []
        self._docs: dict[str, Document] = {}
        self._row_doc: list[int] = []  # row → index of the document in _ids
        self._row_text: list[str] = []
        self._vectors = np.zeros((0, embed.DIM), dtype=np.float32)
        self._bm25: bm25s.BM25 | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, docs: Iterable[Document]) -> None:
        """Index ``docs`` (a document with an id already indexed replaces it); embeds those without vectors."""
        docs = list(docs)
        if any(d.id in self._docs for d in docs):
            keep = [self._docs[i] for i in self._ids if i not in {d.id for d in docs}]
            self._reset()
            self.add(keep)
        todo = [d for d in docs if d.vectors is None or len(d.vectors) != len(d.texts)]
        fresh = embed.embed_many([t for d in todo for t in d.texts]) if todo else None
        at = 0
        blocks = [self._vectors]
        for doc in docs:
            if doc.vectors is None or len(doc.vectors) != len(doc.texts):
                assert fresh is not None
                vecs = fresh[at : at + len(doc.texts)]
                at += len(doc.texts)
                doc = Document(doc.id, doc.question, doc.phrasings, vecs)
            self._docs[doc.id] = doc
            self._ids.append(doc.id)
            for text in doc.texts:
                self._row_doc.append(len(self._ids) - 1)
                self._row_text.append(text)
            blocks.append(np.asarray(doc.vectors, dtype=np.float32))
        self._vectors = np.vstack(blocks)
        self._bm25 = None

    def _reset(self) -> None:
        self._ids, self._docs, self._row_doc, self._row_text = [], {}, [], []
        self._vectors = np.zeros((0, embed.DIM), dtype=np.float32)
        self._bm25 = None

    def document(self, doc_id: str) -> Document:
        return self._docs[doc_id]

    def _lexical_index(self) -> bm25s.BM25:
        with self._lock:
            if self._bm25 is None:
                bm = bm25s.BM25()
                bm.index([tokens(t) for t in self._row_text], show_progress=False)
                self._bm25 = bm
            return self._bm25

    def _per_doc(self, row_scores: np.ndarray) -> np.ndarray:
        out = np.full(len(self._ids), -np.inf, dtype=np.float64)
        np.maximum.at(out, np.asarray(self._row_doc, dtype=np.int64), row_scores)
        return out

    def scores(self, question: str, vector: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per document: (BM25 score, cosine). ``vector``: the question's, if already embedded."""
        if not self._ids:
            return np.zeros(0), np.zeros(0)
        lexical = self._per_doc(np.asarray(self._lexical_index().get_scores(tokens(question)), dtype=np.float64))
        qv = vector if vector is not None else embed.embed(question)
        semantic = self._per_doc(self._vectors @ qv)
        return lexical, semantic

    def search(self, question: str, k: int = 3, mode: str = "fused", vector: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best documents, best first; ``mode`` "lexical", "semantic", "fused" or "rrf"."""
        lexical, semantic = self.scores(question, vector)
        fused = fuse(lexical, semantic, self.semantic_weight, mode)
        order = np.argsort(-fused, kind="stable")[:k]
        top = float(fused[order[0]]) if len(order) else 0.0
        second = float(fused[order[1]]) if len(order) > 1 else 0.0
        hits = []
        for n, i in enumerate(order):
            score = float(fused[i])
            # Each hit's lead over the best other document: the first's over the second, the others' negative.
            lead = score - (second if n == 0 else top)
            confidence = confidence_of(score, lead) if mode == "fused" else float("nan")
            hits.append(Hit(self._ids[i], round(score, 4), round(confidence, 4),
                            round(float(lexical[i]), 4), round(float(semantic[i]), 4)))
        return hits

    def save(self, path: Path) -> None:
        """The documents and their vectors (float16): loading rebuilds BM25 (fast) and embeds nothing."""
        docs = [{"id": d.id, "question": d.question, "phrasings": list(d.phrasings)} for d in self._docs.values()]
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(
            tmp, vectors=self._vectors.astype(np.float16), docs=np.array(json.dumps(docs, ensure_ascii=False))
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, semantic_weight: float = SEMANTIC_WEIGHT) -> RetrievalIndex:
        with np.load(path, allow_pickle=False) as z:
            vectors = z["vectors"].astype(np.float32)
            docs = json.loads(str(z["docs"]))
        index = cls(semantic_weight)
        at, out = 0, []
        for d in docs:
            n = 1 + len(d["phrasings"])
            out.append(Document(d["id"], d["question"], tuple(d["phrasings"]), vectors[at : at + n]))
            at += n
        index.add(out)
        return index


def fuse(lexical: np.ndarray, semantic: np.ndarray, weight: float, mode: str = "fused") -> np.ndarray:
    if mode == "lexical":
        return lexical
    if mode == "semantic":
        return semantic
    if mode == "rrf":
        ranks_l = np.argsort(np.argsort(-lexical, kind="stable"), kind="stable")
        ranks_s = np.argsort(np.argsort(-semantic, kind="stable"), kind="stable")
        return 1.0 / (RRF_K + 1 + ranks_l) + 1.0 / (RRF_K + 1 + ranks_s)
    top = float(lexical.max()) if len(lexical) else 0.0
    lex = lexical / top if top > 0 else np.zeros_like(lexical)
    sem = np.clip((semantic - SEMANTIC_FLOOR) / (1.0 - SEMANTIC_FLOOR), 0.0, 1.0)
    return weight * sem + (1.0 - weight) * lex


def confidence_of(score: float, lead: float, coefficients: Sequence[float] = CONFIDENCE) -> float:
    """How likely a hit is the right document, from its fused score and its lead over the best other."""
    a, b, c = coefficients
    return _sigmoid(a * score + b * lead + c)
