import pytest

from redressal.faq import index as faq_index
from redressal.faq import services as faq_services


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


ENTRIES = [
    ("信用卡年费怎么收取？", ("信用卡要交年费吗", "信用卡年费多少钱"), "普卡首年免年费。", "B0302"),
    ("跨行转账多久到账？", ("转账什么时候到账", "他行转账要多久"), "一般实时到账，大额可能次日到账。", "B04"),
    ("忘记手机银行登录密码怎么办？", ("手机银行密码忘了", "登录密码重置"), "在登录页点“忘记密码”重设。", "B01"),
    ("借记卡挂失怎么办理？", ("银行卡丢了怎么办", "借记卡丢失挂失"), "拨打客服热线或在手机银行中挂失。", "B0301"),
]


@pytest.fixture
def kb(bank):
    faq_index.clear()
    for question, similar, answer, category in ENTRIES:
        version = faq_services.create_entry(
            bank.actor("sup"), faq_services.EntryInput(question, answer, category, similar)
        )
        faq_services.submit(bank.actor("sup"), version.pk)
        faq_services.approve(bank.actor("compliance"), version.pk)
    yield
    faq_index.clear()


from tests.portal.conftest import known  # noqa: E402, F401
from tests.wechat.conftest import wechat_api, wechat_env  # noqa: E402, F401  (the WeChat callback's settings)
