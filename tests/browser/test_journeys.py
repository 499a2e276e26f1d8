"""Each role's main journey through the real pages, in a real browser (issue 4).

Set-up (organisation, staff, customers, and for the later journeys a registered case) goes through the
services; from then on every step is a person at their browser clicking the pages. Deadlines are
checked against the calendar rule of SPEC §5 (decision due 15/30/60 days from receipt, 24:00).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from redressal.cases.models import Case
from redressal.customers.services import CustomerInput
from tests.browser import pages
from tests.catalogue import pending_entries, po_entries

PHONE = "13812345678"
ELDERLY_ID = "110101195001011234"  # born 1950: elderly (SPEC §3 vulnerable customers)


def due_text(case: Case, days: int) -> str:
    """"YYYY-MM-DD 24:00" of ``days`` calendar days after receipt (the start day not counted)."""
    received = timezone.localtime(case.received_at).date()
    return f"{received + timedelta(days=days):%Y-%m-%d} 24:00"


def register_by_service(bank) -> Case:
    from tests.services.test_lifecycle import register

    return register(bank, customer=CustomerInput(name="王秀英", phone=PHONE, id_number=ELDERLY_ID))


def en(msgid: str) -> str:
    english = {**po_entries(), **pending_entries()}.get(msgid)
    assert english, f"{msgid!r} has no English in django.po nor in locale/en/pending/*.json"
    return english


def test_compliance_finds_the_case_and_exports_the_list(bank, this_year_calendar, as_user):
    case = register_by_service(bank)
    other = register_by_service(bank)
    officer = as_user("compliance1")
    officer.goto("/")
    officer.page.fill("#id_q", case.case_number)
    with officer.page.expect_navigation():
        officer.page.click("[data-testid=filter-apply]")
    rows = officer.page.locator("[data-testid=queue-row]")
    assert rows.count() == 1
    assert case.case_number in rows.first.inner_text()
    assert other.case_number not in officer.text("main")
    officer.shot("search")

    with officer.page.expect_download() as info:
        officer.page.click("[data-testid=export-xlsx]")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = open(download.path(), "rb").read()
    cells = pages.xlsx_cells(data)
    assert case.case_number in cells
    assert other.case_number not in cells  # the export is the filtered list


def test_english_user_sees_english_queue_and_case_page(bank, this_year_calendar, as_user):
    case = register_by_service(bank)
    from tests.flows import accept

    accept(case.pk, bank.actor("handler"))  # in handler1's queue
    handler = as_user("handler1")
    handler.goto("/queue/")
    assert handler.page.locator("html").get_attribute("lang") == "zh-CN"
    handler.switch_language()
    assert handler.page.locator("html").get_attribute("lang") == "en"
    data = frozenset({"王秀英", "北京分行", "总行", "张晓东", "handler1"})

    handler.goto("/queue/")
    assert case.case_number in handler.text("main")
    problems = pages.english_problems(handler, data)
    assert not problems, "\n".join(problems)
    assert en("我的工单") in handler.text("header")
    handler.shot("queue-en")

    pages.open_case(handler, case.pk)
    body = handler.text("main")
    assert en("处理决定并告知") in body and en("已受理") in body
    problems = pages.english_problems(handler, data)
    assert not problems, "\n".join(problems)
    handler.shot("case-en")
