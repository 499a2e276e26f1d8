import pytest

from redressal.faq import assistant
from redressal.faq.models import FaqVersion
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username):
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:300]


FORM = {
    "question": "网银盾丢了怎么办？",
    "similar": "U盾丢失\n网银盾遗失怎么补办",
    "answer": '<b>请</b>携带身份证到网点补办，见[说明](https://bank.example/u)。',
    "category": "B01",
    "language": "zh-hans",
    "audience": "public",
}


def test_write_submit_and_publish_by_a_second_person_through_the_pages(client, bank):
    login(client, "supervisor1")
    r = client.post("/faq/new/", FORM)
    assert r.status_code == 302
    version = FaqVersion.objects.get()
    page = client.get(r["Location"]).content.decode()
    assert "&lt;b&gt;请&lt;/b&gt;" in page and '<a href="https://bank.example/u"' in page and "<b>请</b>" not in page
    assert client.post(f"/faq/versions/{version.pk}/submit/").status_code == 302
    queue = client.get("/faq/review/").content.decode()
    assert "需由另一位审核人发布" in queue  # the author sees no approve button
    refused = client.post(f"/faq/versions/{version.pk}/approve/")
    assert refused.status_code == 403
    client.logout()
    login(client, "compliance1")
    assert client.post(f"/faq/versions/{version.pk}/approve/", {"next": "/faq/review/"}).status_code == 302
    assert FaqVersion.objects.get().state == "published"
    listing = client.get("/faq/?state=published").content.decode()
    assert "网银盾丢了怎么办？" in listing and "已发布" in listing


def test_a_bad_form_shows_the_refusal_and_keeps_the_input(client, bank):
    login(client, "supervisor1")
    r = client.post("/faq/new/", {**FORM, "category": "B77"})
    assert r.status_code == 200 and "网银盾丢了怎么办？" in r.content.decode()
    assert FaqVersion.objects.count() == 0


def test_staff_without_the_knowledge_base_permissions_are_refused(client, bank):
    login(client, "handler1")
    for url in ("/faq/", "/faq/review/", "/faq/open-questions/", "/faq/new/"):
        assert client.get(url).status_code == 403, url


def test_open_questions_page_lists_what_the_assistant_could_not_answer(client, kb):
    assistant.ask("请问外币兑换牌价在哪里查询", None, channel="portal", party=None)
    login(client, "compliance1")
    page = client.get("/faq/open-questions/").content.decode()
    assert "请问外币兑换牌价在哪里查询" in page and "未答出" in page


def test_the_portal_assistant_box_answers_takes_feedback_and_hands_over(client, kb, known):
    from redressal.conversations.models import Conversation
    from redressal.faq.models import AssistantExchange, OpenQuestion
    from redressal.portal.auth import open_session
    from redressal.portal.views import COOKIE, COOKIE_SALT

    token, _session = open_session("13800138000", via="otp")
    response = client.get("/portal/")
    response.set_signed_cookie(COOKIE, token, salt=COOKIE_SALT)
    client.cookies[COOKIE] = response.cookies[COOKIE].value
    page = client.post("/portal/assistant/", {"question": "信用卡年费怎么收"}).content.decode()
    assert page.count('data-testid="assistant-answer"') == 3 and "普卡首年免年费" in page and "有帮助" in page
    exchange = AssistantExchange.objects.get()
    conversation = Conversation.objects.get(pk=exchange.conversation_id)
    assert conversation.channel == "portal" and conversation.party == "13800138000"
    import re

    ref = re.search(r'name="conversation" value="([^"]+)"', page).group(1)
    faq_id = exchange.answers[0]["faq_id"]
    thanks = client.post("/portal/assistant/feedback/", {"conversation": ref, "faq_id": faq_id, "helpful": "no"})
    assert thanks.status_code == 200 and "感谢您的反馈" in thanks.content.decode()
    assert OpenQuestion.objects.filter(kind="unhelpful").count() == 1
    handover = client.post("/portal/assistant/", {"person": "1", "conversation": ref}).content.decode()
    assert 'data-testid="assistant-handover"' in handover
    assert Conversation.objects.get(pk=conversation.pk).status == "waiting"
