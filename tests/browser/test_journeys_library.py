"""A case becomes a library entry with nothing personal left, and the entry is taught (issue 15, items
7 and 8): a supervisor marks a closed case typical and writes it up from its anonymised draft,
compliance (a second person) publishes it, a handler finds it by its B code; then a course linked to
the entry gets a session, an enrolment, attendance and a score, shown on the trainee's record."""

from __future__ import annotations

from redressal.library.models import Course, Enrolment, LibraryEntry
from tests.browser import pages
from tests.browser.test_journeys import en
from tests.library.helpers import PERSONAL, closed_case
from tests.library.test_training_causes import measures


def _no_personal_data(text: str) -> None:
    for personal in PERSONAL:
        assert personal not in text, personal


def test_a_case_becomes_a_library_entry_with_nothing_personal_left(bank, this_year_calendar, as_user):
    case = closed_case(bank)

    sup = as_user("supervisor1")
    pages.open_case(sup, case.pk)
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=mark-typical]")
    form = sup.page.locator("[data-testid=entry-form] form")
    form.wait_for()
    # The draft arrives anonymised: the case's story without its people.
    draft = "\n".join(form.locator("textarea").evaluate_all("els => els.map(e => e.value)"))
    assert "态度不耐烦" in draft and "客户甲" in draft
    _no_personal_data(draft)
    assert "姓名" in sup.text("[data-testid=anonymised]")
    sup.shot("draft")
    # The supervisor writes the lessons, and types the customer's phone back in by mistake.
    pages.fill(
        form,
        {"lessons": "对老年客户须放慢语速、通俗解释；回电13812345678致歉。", "tags": "老年客户，适老化"},
        prefix="entry",
    )
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=entry-submit]")
    assert sup.text("[data-testid=entry-state]") == "待审核"
    _no_personal_data(sup.text("main"))
    entry = LibraryEntry.objects.get(source_case=case)
    assert "【手机号】" in entry.lessons
    # The author is no reviewer.
    assert sup.page.locator("[data-testid=entry-publish]").count() == 0

    compliance = as_user("compliance1")
    compliance.goto("/library/drafts/")
    with compliance.page.expect_navigation():
        compliance.page.click(f"[data-entry='{entry.pk}'] [data-testid=draft-link]")
    compliance.shot("review")
    with compliance.page.expect_navigation():
        compliance.page.click("[data-testid=entry-publish]")
    assert compliance.page.locator("[data-testid=library-entry]").count() == 1

    handler = as_user("handler1")
    handler.goto("/library/")
    handler.page.select_option("#id_business", "B03")
    with handler.page.expect_navigation():
        handler.page.click("[data-testid=library-search-submit]")
    results = handler.text("[data-testid=library-results]")
    assert entry.title in results
    with handler.page.expect_navigation():
        handler.page.click(f"[data-entry='{entry.pk}'] [data-testid=library-entry-link]")
    page = handler.text("main")
    assert "B0301" in handler.text("[data-testid=entry-business]") and "适老化" in page
    _no_personal_data(page)
    _no_personal_data(handler.page.content())
    assert case.case_number not in handler.page.content()
    handler.shot("entry")
    handler.switch_language()
    assert en("经验教训") in handler.text("main") and "Debit card" in handler.text("[data-testid=entry-business]")
    problems = pages.english_problems(handler, frozenset())
    assert not problems, "\n".join(problems)
    handler.goto("/library/")
    problems = pages.english_problems(handler, frozenset())
    assert not problems, "\n".join(problems)
    handler.shot("library-en")

    # Training: a course taught from the entry, a session, the teller enrolled for retraining — for the
    # training measure of an accountability finding on her, cited by its reference.
    (measure,) = measures(bank, "training")
    sup.goto("/training/")
    form = sup.page.locator("[data-testid=course-form] form")
    pages.fill(
        form,
        {"topic": "老年客户服务规范", "unit": "BJ", "pass_mark": "70", "entries": [str(entry.pk)]},
        prefix="course",
    )
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=course-create]")
    course = Course.objects.get()
    assert entry.title in sup.text("[data-testid=course-entries]")
    form = sup.page.locator("[data-testid=session-form] form")
    pages.fill(
        form,
        {
            "starts_at": "2026-12-10T14:00",
            "ends_at": "2026-12-10T16:00",
            "trainer": str(bank.people["handler2"].pk),
            "place": "北京分行三楼培训室",
        },
        prefix="session",
    )
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=session-add]")
    session = course.sessions.get()
    form = sup.page.locator(f"[data-session='{session.pk}'] [data-testid=enrol-form]")
    pages.fill(
        form,
        {
            "staff": str(bank.people["teller"].pk),
            "reason_kind": "accountability",
            "reason_ref": f"AM-{measure.pk}",
            "reason_text": "适老化服务再培训",
        },
        prefix=f"s{session.pk}",
    )
    with sup.page.expect_navigation():
        form.locator("[data-testid=enrol-submit]").click()
    enrolment = Enrolment.objects.get()
    row = sup.page.locator(f"[data-enrolment='{enrolment.pk}']")
    pages.fill(row, {"attendance": "present", "score": "86"}, prefix=f"r{enrolment.pk}")
    with sup.page.expect_navigation():
        row.locator("[data-testid=result-save]").click()
    assert "14:00" in sup.text(f"[data-session='{session.pk}'] h2")  # Beijing time, as entered
    sup.shot("course")

    teller = as_user("teller1")
    teller.goto("/training/me/")
    record = teller.text("[data-testid=training-record]")
    assert "老年客户服务规范" in record and "86" in record and "及格" in record and "问责措施" in record
    teller.shot("record")
    enrolment.refresh_from_db()
    assert enrolment.score == 86 and enrolment.recorded_by == bank.people["sup"]
    measure.refresh_from_db()
    assert enrolment.measure == measure and measure.state == "carried_out"  # passed: the measure is done
