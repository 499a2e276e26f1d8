"""Library entries through their services: marked typical, anonymised, reviewed by a second person,
published with a version history, withdrawn — and refused where they must be."""

from __future__ import annotations

import random

import pytest

from redressal.audit.models import AuditEvent
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.library import selectors
from redressal.library.models import EntryVersion, LibraryEntry
from redressal.library.services.entries import (
    EntryInput,
    edit_entry,
    mark_typical,
    publish_entry,
    return_entry,
    submit_entry,
    withdraw_entry,
)
from tests.branches import add_shanghai
from tests.library.helpers import ADDRESS, CARD, ID, NAME, PERSONAL, PHONE, TELLER, closed_case

pytestmark = pytest.mark.django_db


def _all_text(entry) -> str:
    return "\n".join(entry.texts())


def _input(entry, **changes) -> EntryInput:
    fields = {name: getattr(entry, name) for name in ("title", "summary", "facts", "handling", "outcome", "lessons")}
    fields.update(business_code=entry.business_code, cause_code=entry.cause_code, tags=list(entry.tags))
    fields.update(changes)
    return EntryInput(**fields)


def _published(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"), rng=random.Random(3))
    entry = edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, lessons="对老年客户须耐心、通俗解释。"))
    submit_entry(entry.pk, actor=bank.actor("sup"))
    publish_entry(entry.pk, actor=bank.actor("compliance"))
    entry.refresh_from_db()
    return case, entry


def test_the_draft_is_written_from_the_case_and_already_anonymised(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"), rng=random.Random(3))
    text = _all_text(entry)
    for personal in PERSONAL:
        assert personal not in text, personal
    assert "客户甲" in text and "员工" in text
    assert entry.business_code == "B0301" and entry.cause_code == "C01"
    assert "老年客户" in entry.tags
    # The story is there: the facts, the handling note, the outcome and remedy.
    assert "态度不耐烦" in entry.facts and "调取录像" in entry.handling and "再培训" in entry.outcome
    # Dates moved by whole weeks, in the past.
    assert entry.date_offset_days % 7 == 0 and entry.date_offset_days < 0
    assert "2024年9月6日" not in entry.facts
    assert entry.anonymised["name"] >= 3 and entry.anonymised["date"] >= 1
    assert entry.state == LibraryEntry.State.DRAFT
    assert AuditEvent.objects.filter(type="library.entry_created", object_id=str(entry.pk)).exists()


def test_only_a_closed_case_in_scope_and_only_once(bank):
    case = closed_case(bank)
    with pytest.raises(PermissionDenied):
        mark_typical(case.pk, actor=bank.actor("handler"))  # no library.write
    add_shanghai(bank)
    with pytest.raises(PermissionDenied):
        mark_typical(case.pk, actor=bank.actor("shsup"))  # the supervisor of another branch
    mark_typical(case.pk, actor=bank.actor("sup"))
    with pytest.raises(Conflict) as exc:
        mark_typical(case.pk, actor=bank.actor("compliance"))
    assert exc.value.code == "library.already_typical"


def test_an_open_case_is_refused(bank):
    from redressal.cases import services as svc

    case = svc.register_case(
        svc.RegisterInput(
            request_type="complaint", channel="hotline", description="年费重复收取", complainant_name="李四"
        ),
        actor=bank.actor("agent"),
    )
    with pytest.raises(ValidationFailed) as exc:
        mark_typical(case.pk, actor=bank.actor("sup"))
    assert exc.value.code == "library.case_not_closed"
    assert not LibraryEntry.objects.exists()


def test_an_edit_typing_personal_data_back_is_scrubbed(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"))
    typed = f"{NAME}再次来电{PHONE}，卡号{CARD}，身份证{ID}，地址{ADDRESS}；{TELLER}已再培训。"
    entry = edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, lessons=typed, tags=["适老化", NAME]))
    for personal in PERSONAL:
        assert personal not in _all_text(entry)
    assert "客户甲再次来电" in entry.lessons
    assert entry.tags == ["适老化", "客户甲"]


def test_bad_codes_and_tags_name_their_field(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"))
    for changes, field in (
        ({"business_code": "C01"}, "business_code"),
        ({"title": " "}, "title"),
        ({"tags": ["x" * 21]}, "tags"),
        ({"tags": [f"t{i}" for i in range(11)]}, "tags"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, **changes))
        assert exc.value.field == field


def test_review_needs_lessons_and_a_second_person(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("compliance"))
    with pytest.raises(ValidationFailed) as exc:
        submit_entry(entry.pk, actor=bank.actor("compliance"))
    assert exc.value.field == "lessons"
    edit_entry(entry.pk, actor=bank.actor("compliance"), data=_input(entry, lessons="耐心解释"))
    submit_entry(entry.pk, actor=bank.actor("compliance"))
    # The author holds library.publish but may not publish their own write-up.
    with pytest.raises(PermissionDenied) as exc:
        publish_entry(entry.pk, actor=bank.actor("compliance"))
    assert exc.value.code == "library.four_eyes"
    # A supervisor may write but not publish.
    with pytest.raises(PermissionDenied):
        publish_entry(entry.pk, actor=bank.actor("sup"))
    assert not EntryVersion.objects.exists()
    version = publish_entry(entry.pk, actor=bank.actor("senior"))
    assert version.number == 1


def test_anyone_who_edited_the_draft_may_not_publish_it(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"))
    # compliance edits the supervisor's draft: now compliance is one of its writers too.
    edit_entry(entry.pk, actor=bank.actor("compliance"), data=_input(entry, lessons="耐心解释"))
    submit_entry(entry.pk, actor=bank.actor("sup"))
    with pytest.raises(PermissionDenied):
        publish_entry(entry.pk, actor=bank.actor("compliance"))


def test_returned_with_a_reason_then_published(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"))
    edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, lessons="耐心解释"))
    submit_entry(entry.pk, actor=bank.actor("sup"))
    with pytest.raises(Conflict):
        edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, lessons="x"))
    with pytest.raises(ValidationFailed):
        return_entry(entry.pk, actor=bank.actor("compliance"), reason=" ")
    return_entry(entry.pk, actor=bank.actor("compliance"), reason="补充处理过程")
    assert LibraryEntry.objects.get(pk=entry.pk).state == LibraryEntry.State.DRAFT
    audit = AuditEvent.objects.get(type="library.entry_returned")
    assert audit.reason == "补充处理过程" and audit.actor_id == bank.people["compliance"].pk


def test_publishing_refuses_personal_data_that_reached_the_draft_another_way(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"))
    edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, lessons="耐心解释"))
    submit_entry(entry.pk, actor=bank.actor("sup"))
    LibraryEntry.objects.filter(pk=entry.pk).update(facts=f"联系电话{PHONE}")  # not through the services
    with pytest.raises(ValidationFailed) as exc:
        publish_entry(entry.pk, actor=bank.actor("compliance"))
    assert exc.value.code == "library.personal_data"
    assert not EntryVersion.objects.exists()


def test_versions_are_kept_and_the_library_shows_the_current_one(bank):
    _case, entry = _published(bank)
    reader = bank.actor("handler")
    assert [v.entry_id for v in selectors.published(reader)] == [entry.pk]
    # A revision: the published text stays in the library until the next one is published.
    edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, lessons="第二版：耐心解释并复述确认"))
    assert selectors.published_entry(reader, entry.pk).number == 1
    submit_entry(entry.pk, actor=bank.actor("sup"))
    publish_entry(entry.pk, actor=bank.actor("senior"), note="补充经验")
    shown = selectors.published_entry(reader, entry.pk)
    assert shown.number == 2 and shown.lessons.startswith("第二版")
    assert [v.number for v in selectors.history(entry)] == [2, 1]


def test_withdrawn_entries_leave_the_library(bank):
    _case, entry = _published(bank)
    with pytest.raises(PermissionDenied):
        withdraw_entry(entry.pk, actor=bank.actor("sup"), reason="过时")
    with pytest.raises(ValidationFailed):
        withdraw_entry(entry.pk, actor=bank.actor("compliance"), reason="")
    withdraw_entry(entry.pk, actor=bank.actor("compliance"), reason="制度已更新")
    assert not selectors.published(bank.actor("handler")).exists()
    with pytest.raises(NotFound):
        selectors.published_entry(bank.actor("handler"), entry.pk)
    with pytest.raises(Conflict):
        withdraw_entry(entry.pk, actor=bank.actor("compliance"), reason="again")
    # Editing a withdrawn entry does not bring it back; publishing its next version does.
    edit_entry(entry.pk, actor=bank.actor("sup"), data=_input(entry, lessons="按新制度修订"))
    assert not selectors.published(bank.actor("handler")).exists()
    submit_entry(entry.pk, actor=bank.actor("sup"))
    publish_entry(entry.pk, actor=bank.actor("compliance"))
    assert selectors.published(bank.actor("handler")).count() == 1


def test_search_by_codes_tags_and_text(bank):
    _published(bank)
    reader = bank.actor("agent")
    Q = selectors.Query
    assert selectors.published(reader, Q(business="B03")).count() == 1  # a prefix finds its children
    assert selectors.published(reader, Q(business="b0301")).count() == 1
    assert selectors.published(reader, Q(business="B04")).count() == 0
    assert selectors.published(reader, Q(cause="C01")).count() == 1
    assert selectors.published(reader, Q(cause="C11")).count() == 0
    assert selectors.published(reader, Q(tag="老年客户")).count() == 1
    assert selectors.published(reader, Q(tag="老年")).count() == 0  # a tag is matched whole
    assert selectors.published(reader, Q(text="不耐烦 再培训")).count() == 1
    assert selectors.published(reader, Q(text="不耐烦 信用卡年费")).count() == 0
    assert selectors.published(reader, Q(text=NAME)).count() == 0


def test_working_copies_are_for_their_writers_and_publishers_in_scope(bank):
    case = closed_case(bank)
    entry = mark_typical(case.pk, actor=bank.actor("sup"))
    assert selectors.working_entry(bank.actor("compliance"), entry.pk) == entry
    add_shanghai(bank)
    with pytest.raises(NotFound):
        selectors.working_entry(bank.actor("shsup"), entry.pk)  # another branch's supervisor
    with pytest.raises(PermissionDenied):
        selectors.working_entries(bank.actor("handler"))
    with pytest.raises(NotFound):  # a draft is not in the library
        selectors.published_entry(bank.actor("handler"), entry.pk)


def test_the_library_is_for_staff_with_library_read(bank):
    from redressal.org.authz import Actor

    nobody = Actor(staff=bank.people["handler"], grants=())
    with pytest.raises(PermissionDenied):
        selectors.published(nobody)
