"""The learned text understanding (issue 14 items 3, 4): model files load, retrieval ranks a paraphrase
first and applies the synonym list, the emotion model reads new sentences, the rules still win."""

from __future__ import annotations

import numpy as np
import pytest

from redressal.core.text import normalize
from redressal.domain.triage import load_config
from redressal.domain.triage.signals import combined_emotion, emotion
from redressal.domain.triage.synonyms import canonical
from redressal.triage import classifier
from redressal.triage.ml import embed, semantic
from redressal.triage.ml import emotion as em
from redressal.triage.ml.retrieval import Document, RetrievalIndex, from_vectors_bytes, tokens, vectors_bytes

DOCS = [
    Document("fee", "信用卡年费怎么收取", ("信用卡年费可以免吗",)),
    Document("transfer", "跨行转账多久到账", ("转账到别的银行要多长时间",)),
    Document("lost", "银行卡丢了怎么挂失", ()),
    Document("app", "手机银行登录不了怎么办", ("手机银行打不开",)),
    Document("loan", "房贷提前还款怎么申请", ()),
]


@pytest.fixture(scope="module")
def index():
    built = RetrievalIndex()
    built.add(DOCS)
    return built


def test_model_files_load_and_are_small():
    model = em.load()
    assert model.threshold > 0 and model.meta["version"] == em.VERSION
    assert em.model_path().stat().st_size < 20_000_000
    coef = semantic.coefficients()
    assert len(coef["weights"]) == len(semantic.FEATURES)
    assert embed.embed("信用卡").shape == (embed.DIM,)


def test_synonyms_fold_to_the_first_spelling_in_documents_and_questions():
    assert canonical("他行转账什么时候入账") == "跨行转账什么时候到账"
    assert canonical("掌上银行") == "手机银行"
    assert "跨行" in tokens("他行") and "到账" in tokens("多久入账")


def test_an_exact_paraphrase_ranks_first(index):
    (hit, *_) = index.search("信用卡年费怎么收取", k=3)
    assert hit.id == "fee" and hit.confidence > 0.5


def test_a_synonym_question_finds_its_standard_question(index):
    assert index.search("他行转账几天能入账", k=1)[0].id == "transfer"
    assert index.search("掌上银行登陆不上", k=1)[0].id == "app"
    assert index.search("房子贷款想早点还清", k=3)[0].id == "loan"


def test_lexical_alone_misses_what_the_synonyms_do_not_cover_less_than_fused(index):
    hits = index.search("卡片遗失了要怎么办", k=3)
    assert hits[0].id == "lost"
    assert hits[0].confidence >= hits[1].confidence


def test_index_saves_its_vectors_and_loads_without_embedding(index, tmp_path, monkeypatch):
    path = tmp_path / "index.npz"
    index.save(path)
    monkeypatch.setattr(embed, "embed_many", lambda texts: pytest.fail("re-embedded on load"))
    loaded = RetrievalIndex.load(path)
    assert len(loaded) == len(DOCS)
    vec = np.asarray(index.document("fee").vectors)
    assert np.allclose(from_vectors_bytes(vectors_bytes(vec)), vec, atol=2e-3)
    monkeypatch.undo()
    assert loaded.search("信用卡年费怎么收取", k=1)[0].id == "fee"


# New sentences written for this test (not in the labelled set).
ANGRY = [
    "你们银行把我的钱扣了又不说原因，打了八个电话都没人管，简直欺人太甚，今天不给我退回来我就天天来！",
    "第三次来办这个业务了，每次都让我回去补材料，你们是不是故意刁难人？",
]
DISTRESSED = ["孩子在医院等着交钱，卡却被锁了取不出来，我实在没有办法了，求你们快帮帮我"]
CALM = ["请问办理一张借记卡需要带什么证件？", "麻烦帮我查一下这个月工资是否已经到账，谢谢。"]


@pytest.mark.parametrize("text", ANGRY + DISTRESSED)
def test_the_model_reads_new_angry_or_distressed_text_as_not_calm(text):
    reading = em.read(text)
    assert reading.level != "calm", reading
    assert reading.evidence and any(not e.startswith("model(") for e in reading.evidence)


def test_the_model_reads_distress_as_distress():
    assert em.read(DISTRESSED[0]).level == "distressed"


@pytest.mark.parametrize("text", CALM)
def test_the_model_reads_a_neutral_question_as_calm(text):
    assert em.read(text).level == "calm"
    assert em.read(text).evidence == ()


def test_rules_still_win_nothing_caught_today_is_lost():
    config = load_config()
    # Every lexicon word of the rules, in a calm sentence: the combined reading is at least the rules'.
    for level, words in config.emotion_words:
        for word in words:
            text = f"关于信用卡账单的问题，{word}。"
            rules = emotion(normalize(text), config, raw=text)
            combined = combined_emotion(rules, classifier.emotion_of(text))
            order = ("calm", "dissatisfied", "angry", "distressed")
            assert order.index(combined[0]) >= order.index(rules[0]), (word, rules, combined)
            assert set(rules[1]) <= set(combined[1])


def test_combined_reading_keeps_both_evidences():
    level, evidence = combined_emotion(("dissatisfied", ("不满",)), ("angry", ("凭什么", "model(0.97)")))
    assert level == "angry" and evidence == ("不满", "凭什么", "model(0.97)")
    assert combined_emotion(("angry", ("骗子",)), ("calm", ())) == ("angry", ("骗子",))
    assert combined_emotion(("calm", ()), None) == ("calm", ())


def test_complaint_intent_names_threats_money_and_emotion():
    yes, reasons = classifier.complaint_intent("卡被盗刷了5000元，你们再不处理我就向银保监会投诉，还要找媒体曝光！")
    codes = {r.code for r in reasons}
    assert yes and {"threat_regulator", "threat_media", "money_lost"} <= codes
    assert all(r.evidence for r in reasons)
    no, none = classifier.complaint_intent("请问周末网点几点开门？")
    assert not no and none == ()


def test_semantic_score_raises_a_paraphrase_and_keeps_an_exact_copy_at_one():
    a, b = "信用卡的年费能不能免掉", "信用卡年费可以减免吗"
    other = "房贷利率什么时候调整"
    va, vb, vo = (classifier.text_vector(t) for t in (a, b, other))
    assert classifier.duplicate_score(a, b, va, vb) > classifier.similarity(a, b)
    assert classifier.duplicate_score(a, b, va, vb) > classifier.duplicate_score(a, other, va, vo)
    assert classifier.duplicate_score(a, a, va, va) == 1.0
    assert classifier.duplicate_score(a, b, va, None) == classifier.similarity(a, b)
