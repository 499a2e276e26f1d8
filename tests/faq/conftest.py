import pytest


@pytest.fixture
def faq_data():
    from redressal.faq.services import EntryInput

    def make(question="信用卡年费怎么收取？", **kw):
        base = dict(
            question=question,
            answer="普卡首年免年费，刷卡满5次免次年年费。详见[收费标准](https://bank.example/fees)。",
            category="B0302",
            similar=("信用卡要交年费吗", "年费多少钱"),
        )
        base.update(kw)
        return EntryInput(**base)

    return make


_EMBEDDED: dict = {}


@pytest.fixture(autouse=True)
def _embed_once(monkeypatch):
    """The real e5 model, each text embedded once per test run (the machine is shared and slow)."""
    from redressal.triage.ml import embed

    real = embed.embed_many

    def embed_many(texts):
        import numpy as np

        missing = [t for t in texts if t not in _EMBEDDED]
        if missing:
            for text, vec in zip(missing, real(missing), strict=True):
                _EMBEDDED[text] = vec
        return np.stack([_EMBEDDED[t] for t in texts]) if texts else real(texts)

    monkeypatch.setattr(embed, "embed_many", embed_many)
