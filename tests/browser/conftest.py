"""Browser tests: Playwright drives Debian's Chromium against the live test server (SPEC §13, issue 4).

One browser per session; each person in a journey gets a fresh context (own cookies), logs in through
the real login form and is watched for Content-Security-Policy violations and script errors, which fail
the test. Screenshots go to ``$REDRESSAL_ARTIFACTS`` (default ``test-artifacts/screenshots/``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.artifacts import screenshots_dir
from tests.catalogue import pending_translations
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000



def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium (apt-get install chromium); "
            "they are part of the suite and are not skipped",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to run in
    # a thread with a running loop unless told it is safe. The journeys' set-up (services) runs here,
    # synchronously, so it is — for the browser tests' session only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    except Exception:
        pw.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        raise
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Person:
    """One staff member at their own browser: a context, a page, and what the page complained about."""

    def __init__(self, browser: Any, base_url: str, journey: str, username: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.journey = journey
        self.username = username
        self.context = browser.new_context(
            base_url=self.base_url, locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))

    def _console(self, msg: Any) -> None:
        text = msg.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"CSP violation on {self.page.url}: {text}")
        elif msg.type == "error" and "Failed to load resource" not in text:
            self.problems.append(f"console error on {self.page.url}: {text}")

    # -- navigation -------------------------------------------------------------------------------
    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 500, f"{path}: HTTP {response and response.status}"
        return response

    def login(self) -> Person:
        self.goto("/login/")
        self.page.fill("#id_username", self.username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button.primary")
        assert "/login/" not in self.page.url, f"{self.username} could not log in: {self.text('main')[:200]}"
        self.assert_scripts_run()
        return self

    def assert_scripts_run(self) -> None:
        """htmx and the page JS are served and executed (static files and the CSP both work)."""
        self.page.wait_for_load_state("load")
        assert self.page.evaluate("typeof window.htmx") == "object", "htmx did not load"

    def text(self, selector: str = "body") -> str:
        return str(self.page.inner_text(selector))

    def shot(self, step: str, *, full_page: bool = True) -> Path:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{self.journey}-{step}-{self.username}") + ".png"
        path = screenshots_dir() / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def switch_language(self) -> None:
        """The header's language button (a POST form to Django's set_language)."""
        button = self.page.locator("header form[action*='i18n'] button[name=language]")
        with self.page.expect_navigation():
            button.click()

    def close(self) -> None:
        self.context.close()


class Browsers:
    """Opens one ``Person`` per login and checks, at the end, that no page broke the CSP or threw."""

    def __init__(self, browser: Any, base_url: str, journey: str) -> None:
        self.browser, self.base_url, self.journey = browser, base_url, journey
        self.people: list[Person] = []

    def __call__(self, username: str) -> Person:
        person = Person(self.browser, self.base_url, self.journey, username)
        self.people.append(person)
        return person.login()

    def problems(self) -> list[str]:
        return [p for person in self.people for p in person.problems]

    def close(self) -> None:
        for person in self.people:
            person.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def as_user(chromium: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Browsers]:
    """``as_user("handler1")`` → a logged-in ``Person``; CSP violations and script errors fail the test."""
    journey = request.node.name.removeprefix("test_")
    browsers = Browsers(chromium, live_server.url, journey)
    with pending_translations():
        try:
            yield browsers
            if request.node.stash.get(FAILED, False):
                for person in browsers.people:  # what each person saw when the test failed
                    person.shot("FAILED")
            problems = browsers.problems()
            assert not problems, "\n".join(problems)
        finally:
            browsers.close()


@pytest.fixture
def this_year_calendar(calendar: None) -> None:
    """Journeys run in real time: the calendar must cover today and the 60 days an extension may reach."""
    from django.utils import timezone

    from redressal.workdays.services import sync_year

    year = timezone.localdate().year
    for y in (year, year + 1):
        if y > 2026:
            sync_year(y)
