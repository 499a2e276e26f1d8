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


def case_url(case_id: int) -> str:
    return f"/cases/{case_id}/"


def open_case(person: Person, case_id: int) -> None:
    person.goto(case_url(case_id))


def state(person: Person) -> str:
    """The case page's state label."""
    return person.page.locator("[data-testid=case-state]").inner_text().strip()


def timeline(person: Person) -> str:
    return person.page.locator("[data-testid=timeline]").inner_text()


def deadline_text(person: Person) -> str:
    """The decision deadline as the page shows it (countdown line and deadline table)."""
    parts = [person.page.locator("[data-testid=deadlines]").inner_text()]
    countdown = person.page.locator("[data-testid=countdown]")
    if countdown.count():
        parts.append(countdown.inner_text())
    return "\n".join(parts)


def fill(scope: Any, fields: dict[str, Any], prefix: str = "") -> None:
    """Fill a form's fields by name: text, textarea, select (by value or visible label), checkbox, radio."""
    for short, value in fields.items():
        name = f"{prefix}-{short}" if prefix else short
        field = scope.locator(f"[name='{name}']")
        assert field.count(), f"no field named {name!r}"
        first = field.first
        kind = (first.get_attribute("type") or first.evaluate("e => e.tagName")).lower()
        if kind == "checkbox" and field.count() > 1:  # a multiple choice: check exactly these values
            wanted = {str(v) for v in (value if isinstance(value, list | tuple | set) else [value])}
            for i in range(field.count()):
                box = field.nth(i)
                box.set_checked(box.get_attribute("value") in wanted)
        elif kind == "checkbox":
            first.set_checked(bool(value))
        elif kind == "radio":
            scope.locator(f"[name='{name}'][value='{value}']").check()
        elif kind == "select":
            values = first.evaluate("e => Array.from(e.options).map(o => o.value)")
            if str(value) in values:
                first.select_option(value=str(value))
            else:
                first.select_option(label=str(value))
        else:
            first.fill(str(value))


def open_action(person: Person, action: str) -> None:
    """Open the case page's action panel; its form is fetched when first opened (htmx swaps the section)."""
    section = person.page.locator(f"#action-{action}")
    if section.locator("details").first.get_attribute("open") is None:
        section.locator("summary").first.click()
    person.page.locator(f"#action-{action} [data-testid=submit-{action}]").first.wait_for()


def act(person: Person, action: str, fields: dict[str, Any] | None = None, *, ok: bool = True) -> int:
    """Open the case page's action panel ``action``, fill it, send it; wait for the page it leads to.

    On success the action answers htmx with a redirect to the case page, which the browser loads; a
    refusal re-renders the panel with the messages (returned status ≥ 400, ``ok=False`` expected).
    """
    page = person.page
    section = page.locator(f"#action-{action}")
    assert section.count() == 1, f"{person.username} has no action {action!r} here; actions: {actions(person)}"
    open_action(person, action)
    form = page.locator(f"#action-{action} form").first
    fill(form, fields or {}, prefix=action)  # the page prefixes each panel's fields with its action
    page.evaluate("window.__redressalBefore = true")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        form.locator(f"[data-testid=submit-{action}]").click()
    status = response.value.status
    if ok:
        assert status < 400, f"{action}: HTTP {status}: {page.locator(f'#action-{action}').inner_text()[:600]}"
        page.wait_for_function("() => window.__redressalBefore === undefined")
        page.wait_for_load_state("load")
    else:
        assert status >= 400, f"{action} was accepted (HTTP {status})"
        page.locator(f"#action-{action} [role=alert]").first.wait_for()
    return int(status)


def respond(person: Person, fields: dict[str, Any], action: str = "respond") -> None:
    """Fill the decision, look at the notice as it will be sent, confirm it; wait for the case page."""
    page = person.page
    open_action(person, action)
    form = page.locator(f"#action-{action} form").first
    fill(form, fields, prefix=action)
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        form.locator(f"[data-testid=submit-{action}]").click()
    status = response.value.status
    assert status == 200, f"{action} preview: HTTP {status}: {section_text(person, action)}"
    page.locator(f"#action-{action} [data-testid=notice-preview]").wait_for()
    page.evaluate("window.__redressalBefore = true")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.locator(f"#action-{action} [data-testid=submit-{action}]").click()
    assert response.value.status < 400, f"{action}: HTTP {response.value.status}: {section_text(person, action)}"
    page.wait_for_function("() => window.__redressalBefore === undefined")
    page.wait_for_load_state("load")


def section_text(person: Person, action: str) -> str:
    return str(person.page.locator(f"#action-{action}").inner_text())[:600]


def confirm_codes(person: Person) -> None:
    """In the triage panel, confirm the B and C codes (the suggestion, or the first code offered)."""
    page = person.page
    for axis in ("business", "cause"):
        details = page.locator("#classification-details")
        if details.get_attribute("open") is None:
            details.locator("summary").first.click()
        row = page.locator(f"#axis-{axis}")
        if row.get_attribute("data-confirmed"):
            continue
        accept = row.locator(f"[data-testid=accept-{axis}]")
        if accept.count():
            accept.click()
        else:
            row.locator("summary").first.click()
            select = row.locator("select[name=code]")
            values = select.evaluate("e => Array.from(e.options).map(o => o.value).filter(v => v)")
            select.select_option(value=values[0])
            row.locator(f"[data-testid=correct-{axis}]").click()
        page.locator(f"#axis-{axis}[data-confirmed]:not([data-confirmed=''])").wait_for()


def actions(person: Person) -> list[str]:
    """The action panels offered on the case page."""
    ids = person.page.locator("#actions section.action").evaluate_all("els => els.map(e => e.id)")
    return [i.removeprefix("action-") for i in ids]


def approve_in_inbox(person: Person, table: str, case_number: str, case_id: int, reason: str = "") -> None:
    """In the approvals inbox, approve the row of ``case_number`` in ``#proposals`` / ``#extension-requests``."""
    person.goto("/approvals/")
    row = person.page.locator(f"#{table} tr[data-case='{case_number}']")
    assert row.count() == 1, f"{case_number} is not in {person.username}'s {table}: {person.text('main')[:500]}"
    if reason:
        row.locator("input[name=reason]").fill(reason)
    with person.page.expect_navigation():
        row.locator(f"[data-testid=approve-{case_id}]").click()


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
