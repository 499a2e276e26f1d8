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
