"""The library's and training's pages: the journey by form posts, and a published entry's page with
none of the source case's personal data on it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from redressal.library.models import Course, Enrolment, LibraryEntry
from tests.branches import add_shanghai
from tests.catalogue import ui_msgids
from tests.library.helpers import PERSONAL, closed_case
from tests.pagetext import page_text, raw_codes, untranslated
from tests.web.test_case_page import login

pytestmark = pytest.mark.django_db


def _entry_form(entry: LibraryEntry, **changes) -> dict[str, str]:
    data = {
        f"entry-{name}": getattr(entry, name) for name in (*LibraryEntry.TEXT_FIELDS, "business_code", "cause_code")
    }
    data["entry-tags"] = "，".join(entry.tags)
    data.update({f"entry-{k}": v for k, v in changes.items()})
    return data


def _mark_and_publish(client, bank):
    case = closed_case(bank)
    login(client, "supervisor1")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="mark-typical"' in page
    r = client.post(f"/cases/{case.pk}/typical/")
    assert r.status_code == 302
    entry = LibraryEntry.objects.get(source_case=case)
    page = client.get(f"/library/{entry.pk}/work/").content.decode()
    for personal in PERSONAL:
        assert personal not in page
    r = client.post(f"/library/{entry.pk}/work/", {**_entry_form(entry, lessons="对老年客户耐心解释"), "submit": "1"})
    assert r.status_code == 302
    client.logout()
    login(client, "compliance1")
    r = client.post(f"/library/{entry.pk}/review/", {"decision": "publish", "review-reason": ""})
    assert r.status_code == 302
    client.logout()
    return case, entry


def test_a_published_entry_page_and_api_hold_nothing_personal(client, bank):
    case, entry = _mark_and_publish(client, bank)
    login(client, "handler1")
    listing = client.get("/library/?business=B03").content.decode()
    assert f"/library/{entry.pk}/" in listing
    page = client.get(f"/library/{entry.pk}/").content.decode()
    assert "态度不耐烦" in page and "对老年客户耐心解释" in page
    api = client.get(f"/api/v1/library/entries/{entry.pk}").content.decode()
    api_list = client.get("/api/v1/library/entries?business=B0301").content.decode()
    for text in (listing, page, api, api_list):
        for personal in PERSONAL:
            assert personal not in text, personal
        assert case.case_number not in text
    assert '"title"' in api and str(entry.pk) in api_list


def test_the_button_is_only_for_writers_in_scope_on_closed_cases(client, bank):
    case = closed_case(bank)
    login(client, "handler1")
    assert 'data-testid="mark-typical"' not in client.get(f"/cases/{case.pk}/").content.decode()
    r = client.post(f"/cases/{case.pk}/typical/")
    assert r.status_code == 403
    assert not LibraryEntry.objects.exists()


def test_the_author_sees_no_publish_button_and_a_post_is_refused(client, bank):
    case = closed_case(bank)
    login(client, "compliance1")
    client.post(f"/cases/{case.pk}/typical/")
    entry = LibraryEntry.objects.get()
    client.post(f"/library/{entry.pk}/work/", {**_entry_form(entry, lessons="耐心"), "submit": "1"})
    page = client.get(f"/library/{entry.pk}/work/").content.decode()
    assert 'data-testid="entry-publish"' not in page and 'data-testid="review-blocked"' in page
    r = client.post(f"/library/{entry.pk}/review/", {"decision": "publish"})
    assert r.status_code == 403 and "另一人审核" in r.content.decode()
    assert LibraryEntry.objects.get().current_version is None


def test_a_bad_code_is_shown_beside_its_field(client, bank):
    case = closed_case(bank)
    login(client, "supervisor1")
    client.post(f"/cases/{case.pk}/typical/")
    entry = LibraryEntry.objects.get()
    r = client.post(f"/library/{entry.pk}/work/", _entry_form(entry, title=""))
    assert r.status_code == 422 and 'id="err-entry-title"' in r.content.decode()


def test_training_by_forms_and_the_record_page(client, bank):
    from tests.library.test_training_causes import measures

    _case, entry = _mark_and_publish(client, bank)
    (measure,) = measures(bank, "training")
    login(client, "supervisor1")
    r = client.post(
        "/training/",
        {
            "course-topic": "老年客户服务规范",
            "course-unit": "BJ",
            "course-pass_mark": "70",
            "course-entries": [str(entry.pk)],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    course = Course.objects.get()
    assert list(course.entries.all()) == [entry]
    r = client.post(
        f"/training/courses/{course.pk}/sessions/",
        {
            "session-starts_at": "2024-10-15T14:00",
            "session-ends_at": "2024-10-15T16:00",
            "session-trainer": str(bank.people["handler2"].pk),
            "session-place": "三楼培训室",
        },
    )
    assert r.status_code == 302
    session = course.sessions.get()
    assert timezone.localtime(session.starts_at).hour == 14  # entered as Beijing time
    r = client.post(
        f"/training/courses/{course.pk}/sessions/{session.pk}/enrol/",
        {
            f"s{session.pk}-session": str(session.pk),
            f"s{session.pk}-staff": str(bank.people["teller"].pk),
            f"s{session.pk}-reason_kind": "accountability",
            f"s{session.pk}-reason_ref": f"AM-{measure.pk}",
            f"s{session.pk}-reason_text": "适老化服务再培训",
        },
    )
    assert r.status_code == 302
    enrolment = Enrolment.objects.get()
    r = client.post(
        f"/training/enrolments/{enrolment.pk}/result/",
        {
            f"r{enrolment.pk}-attendance": "present",
            f"r{enrolment.pk}-score": "85",
        },
    )
    assert r.status_code == 302
    client.logout()
    login(client, "teller1")
    page = client.get("/training/me/").content.decode()
    assert "老年客户服务规范" in page and re.search(r'data-testid="record-score">\s*85', page)
    # The teller may not record their own score, nor read a colleague's record.
    r = client.post(
        f"/training/enrolments/{enrolment.pk}/result/",
        {
            f"r{enrolment.pk}-attendance": "present",
            f"r{enrolment.pk}-score": "100",
        },
    )
    assert r.status_code == 403
    assert Enrolment.objects.get().score == 85
    assert client.get(f"/training/staff/{bank.people['handler'].pk}/").status_code == 403
    # The measure the retraining followed from is carried out, and the teller's record shows the retraining.
    measure.refresh_from_db()
    assert measure.state == "carried_out"
    page = client.get(reverse("web:staff_record", args=["teller1"])).content.decode()
    assert re.search(r'data-testid="retraining-score">85<', page) and "老年客户服务规范" in page


def test_enrolling_outside_scope_by_form_is_refused(client, bank):
    add_shanghai(bank)
    login(client, "supervisor1")
    client.post("/training/", {"course-topic": "服务规范", "course-unit": "BJ", "course-pass_mark": "60"})
    course = Course.objects.get()
    client.post(
        f"/training/courses/{course.pk}/sessions/",
        {
            "session-starts_at": "2024-10-15T14:00",
            "session-ends_at": "2024-10-15T16:00",
            "session-trainer": str(bank.people["sup"].pk),
            "session-place": "培训室",
        },
    )
    session = course.sessions.get()
    r = client.post(
        f"/training/courses/{course.pk}/sessions/{session.pk}/enrol/",
        {
            f"s{session.pk}-session": str(session.pk),
            f"s{session.pk}-staff": str(bank.people["shhandler"].pk),
            f"s{session.pk}-reason_kind": "other",
        },
    )
    assert r.status_code == 403 and "不在您管理的机构范围内" in r.content.decode()
    assert not Enrolment.objects.exists()


def test_pages_answer_in_english_too(client, bank):
    _mark_and_publish(client, bank)
    login(client, "supervisor1")
    client.cookies["django_language"] = "en"
    page = client.get("/library/").content.decode()
    assert "Case library" in page and "案例库" not in page
    # The entry titles offered to a new course are data, not untranslated interface text.
    for path in ("/library/", "/training/", "/library/drafts/"):
        pieces = page_text(client.get(path).content.decode())
        problems = untranslated(pieces, ui_msgids(2), frozenset()) + raw_codes(pieces)
        assert problems == [], (path, problems)
