import pytest

from redressal.conversations.models import Conversation, ConversationMessage
from redressal.conversations.services import transcript_text
from redressal.core.errors import NotFound
from redressal.faq import assistant, index, services
from redressal.faq.models import AssistantExchange, OpenQuestion
from redressal.faq.selectors import open_question_groups

pytestmark = pytest.mark.django_db

def test_a_clear_question_is_answered_with_the_best_and_two_more(kb):
    reply = assistant.ask("信用卡的年费是怎么收的", None, channel="portal", party=None)
    assert not reply.handover and reply.reason == ""
    assert len(reply.answers) == 3
    assert reply.answers[0].question == "信用卡年费怎么收取？"
    assert reply.answers[0].score >= reply.answers[1].score
    conversation = Conversation.objects.get(pk=reply.conversation_id)
    assert conversation.status == "answered"  # nobody needs to answer it
    kinds = list(conversation.messages.values_list("direction", "kind"))
    assert kinds == [("in", "text"), ("out", "assistant")]


def test_asking_for_a_person_hands_over_and_the_conversation_waits(kb):
    first = assistant.ask("信用卡的年费是怎么收的", None, channel="portal", party=None)
    reply = assistant.ask("转人工", first.conversation, channel="portal", party=None)
    assert reply.handover and reply.reason == "asked_for_person"
    assert reply.conversation_id == first.conversation_id
    assert Conversation.objects.get(pk=reply.conversation_id).status == "waiting"
    # The bot answering another question does not take it off the staff's waiting list.
    assistant.ask("跨行转账多久到账", reply.conversation, channel="portal", party=None)
    assert Conversation.objects.get(pk=reply.conversation_id).status == "waiting"


def test_complaint_intent_hands_over_with_reasons(kb):
    reply = assistant.ask("你们乱扣了我500元年费，再不退我就去银保监会投诉！", None, channel="portal", party=None)
    assert reply.handover and reply.reason == "complaint_intent"
    assert any(r.startswith("threat_") or r == "money_lost" for r in reply.details)


def test_an_unknown_question_hands_over_and_is_collected(kb):
    reply = assistant.ask("请问外币兑换牌价在哪里查询", None, channel="portal", party=None)
    assert reply.handover and reply.reason == "low_confidence"
    assert OpenQuestion.objects.filter(kind="unanswered", text="请问外币兑换牌价在哪里查询").exists()


def test_thumbs_down_is_collected_and_grouped_with_similar_questions(kb):
    a = assistant.ask("信用卡年费怎么收", None, channel="portal", party=None)
    b = assistant.ask("信用卡年费是怎么收取的", None, channel="portal", party=None)
    assistant.feedback(a.conversation, a.answers[0].faq_id, False, channel="portal", party=None)
    assistant.feedback(b.conversation, b.answers[0].faq_id, False, channel="portal", party=None)
    ok = assistant.ask("跨行转账多久到账", None, channel="portal", party=None)
    assistant.feedback(ok.conversation, ok.answers[0].faq_id, True, channel="portal", party=None)
    assert AssistantExchange.objects.get(pk=ok.exchange_id).helpful is True
    groups = open_question_groups()
    assert len(groups) == 1 and groups[0].size == 2 and groups[0].kinds == {"unhelpful"}


def test_a_reference_continues_only_its_own_customers_conversation(kb):
    mine = assistant.ask("信用卡年费怎么收", None, channel="portal", party="13800000001")
    other = assistant.ask("信用卡年费怎么收", mine.conversation, channel="portal", party="13800000002")
    assert other.conversation_id != mine.conversation_id
    anonymous = assistant.ask("信用卡年费怎么收", mine.conversation, channel="portal", party=None)
    assert anonymous.conversation_id != mine.conversation_id
    with pytest.raises(NotFound):
        assistant.feedback(mine.conversation, mine.answers[0].faq_id, False, channel="portal", party="13800000002")
    assert assistant.ask("x", "forged", channel="portal", party=None).conversation_id != mine.conversation_id


def test_internal_entries_and_new_publications_reach_the_index(bank, kb):
    version = services.create_entry(
        bank.actor("sup"),
        services.EntryInput("网点柜员如何办理大额取现预约？", "内部流程：提前一天登记。", "B05", audience="internal"),
    )
    services.submit(bank.actor("sup"), version.pk)
    services.approve(bank.actor("compliance"), version.pk)
    public_ids = {e for e in index.index_for("zh-hans")[1]}
    staff_ids = {e for e in index.index_for("zh-hans", internal=True)[1]}
    assert str(version.entry_id) in staff_ids - public_ids
    services.retire(bank.actor("compliance"), version.entry_id)
    assert str(version.entry_id) not in index.index_for("zh-hans", internal=True)[1]


def test_the_transcript_names_the_assistant(kb):
    reply = assistant.ask("信用卡年费怎么收", None, channel="portal", party=None)
    conversation = Conversation.objects.get(pk=reply.conversation_id)
    text = transcript_text(conversation, list(ConversationMessage.objects.filter(conversation=conversation)))
    assert "智能助手" in text


def test_a_handed_over_conversation_becomes_a_case_with_the_assistants_transcript(bank, kb, settings):
    from redressal.cases.models import Evidence
    from redressal.conversations import services as conv

    settings.INTAKE_UNIT = "BJ"
    first = assistant.ask("信用卡年费怎么收", None, channel="portal", party="13800000009")
    reply = assistant.ask(
        "年费被多扣了300元，我要投诉到银保监会", first.conversation, channel="portal", party="13800000009"
    )
    assert reply.handover
    case = conv.turn_into_case(
        bank.actor("handler"), reply.conversation_id, conv.CaseFromConversation(customer_name="李娜")
    )
    evidence = Evidence.objects.get(case=case)
    text = evidence.file.read().decode()
    assert "智能助手" in text and "客户服务门户" in text and "普卡首年免年费" in text
