"""Retrieval and handover on the demo knowledge base (``faq/data``): the knowledge base a bank would have.

    .venv/bin/python bench/faq_kb.py

The index holds the 144 standard questions with their similar phrasings (``demo_faq.csv``) as the
assistant indexes them; the queries are ``demo_faq_eval.csv``: customer questions in new wording, written
for the project, each naming the entry that answers it, and questions no entry answers (which should be
handed over). No fitting happens here: the fusion weight and the confidence are those shipped (chosen on
ATEC by bench/faq.py), so these figures are a held-out measurement.

Prints, for BM25 alone, e5 alone and fused: Recall@1, Recall@3 and MRR on the answerable questions; and
for the shipped handover rule (``domain.assistant``: confidence below its threshold, or complaint intent)
how many answerable questions it hands over and how many unanswerable ones it catches.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("REDRESSAL_DATA_DIR", tempfile.mkdtemp(prefix="bench-faq-kb-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redressal.settings")

import django  # noqa: E402

django.setup()

from redressal.domain import assistant  # noqa: E402
from redressal.faq.assistant import complaint_reasons  # noqa: E402
from redressal.triage.ml.retrieval import Document, RetrievalIndex  # noqa: E402

DATA = REPO / "src" / "redressal" / "faq" / "data"


def main() -> None:
    with (DATA / "demo_faq.csv").open(encoding="utf-8") as f:
        entries = list(csv.DictReader(f))
    with (DATA / "demo_faq_eval.csv").open(encoding="utf-8") as f:
        evaluation = list(csv.DictReader(f))
    ids = {row["question"]: str(n) for n, row in enumerate(entries)}
    docs = [
        Document(ids[row["question"]], row["question"], tuple(p for p in row["similar_questions"].split("|") if p))
        for row in entries
    ]
    started = time.perf_counter()
    index = RetrievalIndex()
    index.add(docs)
    built = time.perf_counter() - started
    answerable = [r for r in evaluation if r["expected_question"]]
    unanswerable = [r for r in evaluation if not r["expected_question"]]
    print(f"entries {len(docs)} (phrasings {sum(len(d.texts) for d in docs)}), index built in {built:.1f} s")
    print(f"questions: {len(answerable)} answerable, {len(unanswerable)} that no entry answers")
    print(f"{'method':8} | R@1   | R@3   | MRR")
    for mode in ("lexical", "semantic", "fused"):
        r1 = r3 = rr = 0.0
        for row in answerable:
            hits = [h.id for h in index.search(row["customer_question"], k=len(docs), mode=mode)]
            rank = hits.index(ids[row["expected_question"]]) + 1
            r1 += rank == 1
            r3 += rank <= 3
            rr += 1 / rank
        n = len(answerable)
        print(f"{mode:8} | {r1 / n:.3f} | {r3 / n:.3f} | {rr / n:.3f}")

    def handed_over(text: str) -> bool:
        hits = index.search(text, k=3)
        decision = assistant.decide(text, hits[0].confidence if hits else None, complaint_reasons(text))
        return bool(decision.handover)

    wrong = sum(handed_over(r["customer_question"]) for r in answerable)
    caught = sum(handed_over(r["customer_question"]) for r in unanswerable)
    print(f"handover: {wrong}/{len(answerable)} answerable questions handed over; "
          f"{caught}/{len(unanswerable)} unanswerable ones handed over")


if __name__ == "__main__":
    main()
