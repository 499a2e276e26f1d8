"""Crawl the workbench as every demo login, in Chinese and in English (issue 4).

On a small demo bank (the seeder, 150 cases) each role follows every same-site link, htmx GET and
filter choice (each option of a GET form's selects) reachable from the home page — bounded: at most
``PER_SHAPE`` pages per URL shape and language (``/cases/#/`` is one shape), ``MAX_PAGES`` per role
and language. Every page must answer below 500 and a link must not be broken (404). The interface
text must show no raw code or template syntax in either language, and in English no Chinese UI
string (see ``tests/pagetext.py``). Counts and times go to ``test-artifacts/crawl.json`` (next to
the screenshots: ``$REDRESSAL_ARTIFACTS/..``), every problem to ``crawl-problems.txt``.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

import pytest
from django.urls import reverse

from tests.artifacts import screenshots_dir
from tests.catalogue import pending_translations, ui_msgids
from tests.conftest import PASSWORD
from tests.pagetext import page_text, raw_codes, untranslated

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
# Pages fetched per URL shape: in English (the strictest check) enough to meet cases in several states
# (their pages differ by state and role) and a list's filters and pages; in Chinese a few of each,
# the same templates having been read once already.
PER_SHAPE = {"en": 6, "zh-hans": 2}
SKIP = re.compile(r"^/(?:logout|i18n|api|static|media)/")
# In the administration site: never a page that deletes, signs out, or changes a password (a GET of a
# delete page only asks for confirmation, but the crawl follows no link that leads towards a loss);
# the history pages show Django's change log as stored, and the jsi18n script is no page.
ADMIN_SKIP = re.compile(r"^/admin/(?:.*/)?(?:delete|logout|password|password_change|jsi18n|autocomplete)/")
NOT_PARSED = re.compile(r"export|download|\.(?:pdf|xlsx|csv|zip)$|/pdf/|/notice", re.I)


class Links(HTMLParser):
    """Links, htmx GETs and row links of a page, and each choice of its GET forms' selects (the filters)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._form: str | None = None  # action of the GET form being read
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("href", "hx-get", "data-href"):
            value = a.get(name)
            if value and (tag != "link" or name != "href"):
                self.urls.append(value)
        if tag == "form":
            get = (a.get("method") or "get").lower() == "get"
            self._form = (a.get("action") or "") if get else None
        elif tag == "select" and self._form is not None:
            self._select = a.get("name")
        elif tag == "option" and self._form is not None and self._select and a.get("value"):
            self.urls.append(f"{self._form}?{urlencode({self._select: a['value']})}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.urls


def same_site(base: str, url: str) -> str | None:
    url = urldefrag(url)[0].strip()
    if not url or url.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.netloc not in ("testserver", ""):
            return None
    path = parts.path or urlsplit(base).path  # "?status=x" (an empty form action) is the same page
    if not path.startswith("/"):
        path = urlsplit(base).path.rsplit("/", 1)[0] + "/" + path
    return path + (f"?{parts.query}" if parts.query else "")


def without_changelist_filters(url: str) -> str:
    """An admin link without ``_changelist_filters`` (the list's filters it returns to): the same page."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "_changelist_filters"]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def shape(url: str) -> str:
    """A URL's shape: numbers in the path are one placeholder; query keys count, their values not."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if k != "page"})
    return re.sub(r"\d+", "#", parts.path) + "?" + "&".join(keys)


def login(client, username: str) -> None:
    r = client.post(reverse("web:login"), {"username": username, "password": PASSWORD})
    assert r.status_code == 302, f"{username} cannot log in: {r.status_code}"


def data_strings() -> frozenset[str]:
    """Stored texts a page may show unmarked: names of people and units, products, complainants."""
    from redressal.cases.models import Case, CaseEvent, CollaborationTask
    from redressal.domain.profiles import available_profiles, load_profile
    from redressal.org.models import OrgUnit, Staff
    from redressal.triage.models import RoutingRule
    from redressal.workdays.models import CalendarDay

    texts = set(OrgUnit.objects.values_list("name", flat=True))
    texts |= set(Staff.objects.values_list("display_name", flat=True))
    texts |= set(Case.objects.values_list("product", flat=True))
    texts |= set(Case.objects.values_list("complainant_name", flat=True))
    texts |= set(CaseEvent.objects.values_list("reason", flat=True))  # "同意" is an approver's reason too
    texts |= set(CollaborationTask.objects.values_list("title", flat=True))
    texts |= {load_profile(code).title for code in available_profiles()}  # a regulation's name
    texts |= set(RoutingRule.objects.values_list("name", flat=True))  # named by the bank, in the admin site
    texts |= set(CalendarDay.objects.values_list("name", flat=True))
    return frozenset(t for t in texts if t)


def crawl(
    client, username: str, language: str, msgids: set[str], data: frozenset[str], *, admin_site: bool = False,
    visited: set[str] | None = None,
) -> tuple[int, list[str]]:
    """The workbench from its home page; with ``admin_site``, the administration site (``/admin/``) from
    its index instead, following only its own links (with its own page budget: its lists multiply into
    many sort and filter links)."""
    django_admin = reverse("admin:index")
    start = django_admin if admin_site else reverse("web:case_list")
    queue: deque[tuple[str, str]] = deque([(start, "(home)")])
    seen = {start}
    shapes: dict[str, int] = {}
    problems: list[str] = []
    pages = 0
    while queue and pages < MAX_PAGES:
        url, source = queue.popleft()
        r = client.get(url)
        pages += 1
        if visited is not None:
            visited.add(url)
        where = f"{username}/{language} {url} (from {source})"
        if r.status_code >= 500:
            problems.append(f"{where}: HTTP {r.status_code}")
            continue
        if r.status_code == 404 and source != "(home)":
            problems.append(f"{where}: broken link, HTTP 404")
            continue
        if r.status_code in (301, 302):  # a role's home may be another page (the collaborator's tasks)
            target = same_site(url, r.headers.get("Location", ""))
            if target and target not in seen and not SKIP.match(target):
                seen.add(target)
                queue.append((target, url))
            continue
        content_type = r.headers.get("Content-Type", "")
        if r.streaming or NOT_PARSED.search(url) or "text/html" not in content_type:
            if r.streaming:
                b"".join(r.streaming_content)  # the export must finish without an error
            continue
        html = r.content.decode()
        pieces = page_text(html)
        problems += [f"{where}: raw code {c}" for c in raw_codes(pieces)]
        if language == "en":
            problems += [f"{where}: untranslated {u}" for u in untranslated(pieces, msgids, data)]
        for link in links(html):
            target = same_site(url, link)
            if admin_site and target:
                target = without_changelist_filters(target)
            if not target or target in seen or SKIP.match(target):
                continue
            if target.startswith(django_admin) != admin_site or ADMIN_SKIP.search(target):
                continue
            key = shape(target)
            if shapes.get(key, 0) >= PER_SHAPE[language]:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            seen.add(target)
            queue.append((target, url))
    return pages, problems


def summary(problems: list[str], limit: int = 60) -> str:
    """One line per distinct problem (the message without the page), with a count and one page."""
    seen: dict[str, tuple[int, str]] = {}
    for p in problems:
        where, _, what = p.partition("): ")
        key = re.sub(r"\d{2,}", "#", what)
        n, example = seen.get(key, (0, where + ")"))
        seen[key] = (n + 1, example)
    ranked = sorted(seen.items(), key=lambda kv: -kv[1][0])
    lines = [f"{n:5d} × {what}   e.g. {example}" for what, (n, example) in ranked]
    return "\n".join(lines[:limit])


def test_every_role_crawls_the_demo_without_errors_or_raw_text(client):
    from redressal.demo.org import DEMO_LOGINS
    from redressal.demo.seeder import SeedOptions, seed
    from redressal.org.admin_site import ADMIN_PERMISSIONS
    from redressal.org.authz import actor_for
    from redressal.org.models import Staff

    t0 = time.monotonic()
    seed(SeedOptions(cases=150, customers=300, password=PASSWORD))
    seeded = time.monotonic() - t0
    msgids = ui_msgids(min_length=2)
    data = data_strings()
    admins = {
        s.username for s in Staff.objects.filter(username__in=DEMO_LOGINS)
        if any(actor_for(s).has(p) for p in ADMIN_PERMISSIONS)
    }
    report: dict[str, object] = {"seed_seconds": round(seeded, 1), "roles": {}}
    problems: list[str] = []
    visited: set[str] = set()
    with pending_translations():
        for username in DEMO_LOGINS:
            for language in ("zh-hans", "en"):
                client.logout()
                client.cookies.clear()
                login(client, username)
                client.post(reverse("set_language"), {"language": language, "next": "/"})
                for admin_site in (False, True) if username in admins else (False,):
                    t = time.monotonic()
                    pages, found = crawl(client, username, language, msgids, data, admin_site=admin_site,
                                         visited=visited)
                    key = f"{username}/{language}" + (" /admin/" if admin_site else "")
                    report["roles"][key] = {  # type: ignore[index]
                        "pages": pages, "seconds": round(time.monotonic() - t, 1), "problems": len(found)
                    }
                    problems += found
    report["total_seconds"] = round(time.monotonic() - t0, 1)
    out = screenshots_dir().parent
    (out / "crawl.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / "crawl-problems.txt").write_text("\n".join(problems), encoding="utf-8")
    # The administrators crawled the administration site: its index, every app index, every model's
    # list, and some of each model's change pages (an add page at least where adding is allowed) — of
    # every model the site offers them (django-axes' lockout records are Django-permission admins).
    from django.contrib.admin import site

    from redressal.org.admin_site import GuardedAdmin

    for model in [m for m, model_admin in site._registry.items() if isinstance(model_admin, GuardedAdmin)]:
        meta = model._meta
        assert f"/admin/{meta.app_label}/" in visited, meta.app_label
        assert f"/admin/{meta.app_label}/{meta.model_name}/" in visited, meta.label
        assert any(re.match(rf"/admin/{meta.app_label}/{meta.model_name}/(?:\d+/change|add)/", u) for u in visited), \
            meta.label
    # The crawl reached the case pages (the seeded cases are visible to the handlers).
    assert report["roles"]["handler1/en"]["pages"] > PER_SHAPE["en"]  # type: ignore[index]
    assert not problems, f"{len(problems)} problems; distinct ones with an example page:\n" + summary(problems)

