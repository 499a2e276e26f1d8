import pytest

from redressal.core.errors import Conflict, PermissionDenied, ValidationFailed
from redressal.faq import services
from redressal.faq.markup import plain, render
from redressal.faq.models import FaqVersion
from redressal.triage.ml import retrieval

pytestmark = pytest.mark.django_db


def publish(bank, version, author="sup", reviewer="compliance"):
    services.submit(bank.actor(author), version.pk)
    return services.approve(bank.actor(reviewer), version.pk)


def test_a_second_person_publishes_and_vectors_are_stored(bank, faq_data):
    draft = services.create_entry(bank.actor("sup"), faq_data())
    assert draft.state == "draft" and draft.number == 1
    before = services.generation()
    published = publish(bank, draft)
    assert published.state == "published" and published.reviewer_id == bank.people["compliance"].pk
    vectors = retrieval.from_vectors_bytes(bytes(FaqVersion.objects.get(pk=draft.pk).vectors))
    assert vectors.shape[0] == 3  # the question and its two similar phrasings
    assert services.generation() == before + 1


def test_publishing_a_new_version_retires_the_previous_one(bank, faq_data):
    first = publish(bank, services.create_entry(bank.actor("sup"), faq_data()))
    second = services.revise(bank.actor("sup"), first.entry_id, faq_data(answer="改了的答案"))
    assert second.number == 2 and second.state == "draft"
    publish(bank, second)
    states = dict(FaqVersion.objects.filter(entry=first.entry).values_list("number", "state"))
    assert states == {1: "retired", 2: "published"}


def test_the_author_cannot_publish_their_own_version(bank, faq_data):
    version = services.create_entry(bank.actor("compliance"), faq_data())
    services.submit(bank.actor("compliance"), version.pk)
    with pytest.raises(PermissionDenied) as exc:
        services.approve(bank.actor("compliance"), version.pk)
    assert exc.value.code == "faq.own_version"
    assert FaqVersion.objects.get(pk=version.pk).state == "in_review"


def test_without_the_permissions_nothing_is_written_or_published(bank, faq_data):
    with pytest.raises(PermissionDenied):
        services.create_entry(bank.actor("handler"), faq_data())
    version = services.create_entry(bank.actor("sup"), faq_data())
    services.submit(bank.actor("sup"), version.pk)
    with pytest.raises(PermissionDenied):
        services.approve(bank.actor("senior"), version.pk)  # edits, does not publish
    with pytest.raises(PermissionDenied):
        services.approve(bank.actor("handler"), version.pk)


def test_unknown_category_and_missing_answer_are_refused(bank, faq_data):
    with pytest.raises(ValidationFailed) as exc:
        services.create_entry(bank.actor("sup"), faq_data(category="B77"))
    assert exc.value.code == "faq.unknown_category" and exc.value.field == "category"
    with pytest.raises(ValidationFailed) as exc:
        services.create_entry(bank.actor("sup"), faq_data(category="A01"))  # a channel code, not a business
    assert exc.value.field == "category"
    with pytest.raises(ValidationFailed) as exc:
        services.create_entry(bank.actor("sup"), faq_data(answer="  "))
    assert exc.value.field == "answer"


def test_only_a_version_in_review_is_published_and_a_rejection_needs_a_reason(bank, faq_data):
    version = services.create_entry(bank.actor("sup"), faq_data())
    with pytest.raises(Conflict):
        services.approve(bank.actor("compliance"), version.pk)
    services.submit(bank.actor("sup"), version.pk)
    with pytest.raises(ValidationFailed):
        services.reject(bank.actor("compliance"), version.pk, " ")
    rejected = services.reject(bank.actor("compliance"), version.pk, "链接错了")
    assert rejected.state == "rejected"


def test_retiring_an_entry_keeps_its_history(bank, faq_data):
    version = publish(bank, services.create_entry(bank.actor("sup"), faq_data()))
    services.retire(bank.actor("compliance"), version.entry_id)
    assert FaqVersion.objects.get(pk=version.pk).state == "retired"
    with pytest.raises(Conflict):
        services.retire(bank.actor("compliance"), version.entry_id)


def test_answers_are_escaped_and_only_links_become_html():
    html = render('<script>alert(1)</script> 见[说明](https://bank.example/a?x=1&y=2)\n\n第二段 http://bank.example/b')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://bank.example/a?x=1&amp;y=2" rel="noopener noreferrer" target="_blank">说明</a>' in html
    assert html.count("<p>") == 2 and 'href="http://bank.example/b"' in html
    assert '<a' not in render("[x](javascript:alert(1))")
    assert plain("见[说明](https://bank.example/a)") == "见说明: https://bank.example/a"
