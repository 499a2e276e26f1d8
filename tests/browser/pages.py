"""How the journeys work the workbench's pages: one function per thing a person does on a page.

Selectors are the pages' stable ones (ids, names, ``data-testid``); when a page changes, this is the
one file to follow it. Nothing here calls a service: every step is a click or a keystroke.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from tests.browser.conftest import Person
from tests.catalogue import ui_msgids
from tests.pagetext import page_text, raw_codes, untranslated


def case_number_on(person: Person) -> str:
    return person.page.locator("#case-number").inner_text().strip()


def case_url(case_id: int) -> str:
    return f"/cases/{case_id}/"


def open_case(person: Person, case_id: int) -> None:
    person.goto(case_url(case_id))


def state_badge(person: Person) -> str:
    """The case page's state label (the first state badge in the page heading)."""
    return person.page.locator("h1 .state").first.inner_text().strip()


def timeline(person: Person) -> str:
    return person.page.locator("#timeline, [data-testid=timeline], ol.timeline").first.inner_text()


def submit_case_action(person: Person, action: str, fields: dict[str, Any]) -> None:
    """Fill and send one action form of the case page (``form[data-action=…]``), then wait for htmx."""
    form = person.page.locator(f"form[data-action='{action}']")
    if form.count() == 0:
        # The action may sit in a collapsed panel until opened.
        opener = person.page.locator(f"[data-open-action='{action}'], summary[data-action='{action}']")
        if opener.count():
            opener.first.click()
    form = form.first
    for name, value in fields.items():
        field = form.locator(f"[name='{name}']")
        kind = (field.first.get_attribute("type") or field.first.evaluate("e => e.tagName")).lower()
        if kind == "checkbox":
            if value:
                field.first.check()
            else:
                field.first.uncheck()
        elif kind == "radio":
            form.locator(f"[name='{name}'][value='{value}']").check()
        elif kind == "select":
            field.first.select_option(str(value))
        else:
            field.first.fill(str(value))
    with person.page.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit]").first.click()
    person.page.wait_for_load_state("load")


def xlsx_cells(data: bytes) -> str:
    """All the text in an XLSX file (shared strings and inline strings of every sheet)."""
    assert data[:4] == b"PK\x03\x04", "not an XLSX (zip) file"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml")]
        assert "xl/workbook.xml" in names, names
        xml = " ".join(z.read(n).decode("utf-8") for n in names)
    return re.sub(r"<[^>]+>", " ", xml)


def english_problems(person: Person, data: frozenset[str]) -> list[str]:
    """Chinese UI strings and raw codes on the person's current page (the page must be in English)."""
    pieces = page_text(person.page.content())
    return untranslated(pieces, ui_msgids(2), data) + raw_codes(pieces)
