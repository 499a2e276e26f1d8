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
