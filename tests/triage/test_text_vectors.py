"""The e5 vector of a case's text is computed once, at registration (before the lock), stored, and used
by the duplicate and repeat checks of the complainant's later cases — never computed again."""

from __future__ import annotations

from redressal.triage import classifier
from redressal.triage.ml import embed
from redressal.triage.models import TextVector
from redressal.triage.selectors import duplicate_candidates
from tests.triage.conftest import register

FIRST = "我的信用卡年费被重复收取了两次，要求退还多收的那一次"
# Words alone score it 0.57, under the 0.6 of a near-duplicate; the semantic model ~0.7.
PARAPHRASE = "我的信用卡年费被收了两次，请退还多收的一次年费"


def test_the_vector_is_stored_at_registration(bank, frozen):
    case = register(bank, FIRST, product="信用卡")
    row = TextVector.objects.get(case=case)
    assert row.model == classifier.vector_model()
    assert len(bytes(row.vector)) == embed.DIM * 2  # float16
    assert embed.cosine(embed.from_bytes(bytes(row.vector)), embed.embed(FIRST)) > 0.999


def test_a_paraphrase_is_found_by_the_stored_vectors_and_only_the_new_text_is_embedded(bank, frozen, monkeypatch):
    first = register(bank, FIRST)
    embedded: list[str] = []
    real = embed.embed_many

    def spy(texts):
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(embed, "embed_many", spy)
    second = register(bank, PARAPHRASE, customer_id=first.customer_id)
    assert embedded == [PARAPHRASE]
    (cand,) = duplicate_candidates(second)
    assert cand["case_number"] == first.case_number
    assert classifier.similarity(FIRST, PARAPHRASE) < 0.6 <= cand["score"]


def test_without_a_stored_vector_the_words_alone_decide(bank, frozen):
    first = register(bank, FIRST)
    TextVector.objects.filter(case=first).delete()
    second = register(bank, PARAPHRASE, customer_id=first.customer_id)
    assert duplicate_candidates(second) == []
