"""Administration: the workbench page, the grant-gated Django admin (no case content), audited changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from redressal.audit.models import AuditEvent
from redressal.org.models import OrgUnit
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src/redressal"


def test_admin_home_and_config_pages_for_the_admin(client, bank):
    login(client, "admin")
    body = client.get("/admin-home/").content.decode()
    for link in ("/admin/org/orgunit/", "/admin/org/staff/", "/admin/workdays/calendarday/"):
        assert link in body
    codes = client.get("/admin-home/codes/").content.decode()
    assert "A0301" in codes and "网上银行" in codes
    profiles = client.get("/admin-home/profiles/").content.decode()
    assert "CN-2020-3" in profiles and "¥5,000.00" in profiles and "不限" in profiles
    notices = client.get("/admin-home/notices/").content.decode()
    assert "arbitration" in notices and "申请仲裁" in notices


def test_admin_index_and_every_app_index_open_for_the_admin(client, bank):
    """/admin/org/ and /admin/workdays/ answered 500: the site's app index (one app's dict) was mangled."""
    login(client, "admin")
    index = client.get("/admin/")
    assert index.status_code == 200
    labels = set(re.findall(r'<a href="/admin/(\w+)/" class="section"', index.content.decode()))
    assert {"org", "workdays"} <= labels
    for label in sorted(labels):
        r = client.get(f"/admin/{label}/")
        assert r.status_code == 200, (label, r.content.decode()[:2000])
        assert f'href="/admin/{label}/' in r.content.decode()
    assert "组织与人员" in client.get("/admin/org/").content.decode()
    assert "工作日历" in client.get("/admin/workdays/").content.decode()


@pytest.mark.parametrize("who", ["handler1", "supervisor1", "senior1", "compliance1", "auditor1", "collab1"])
def test_admin_pages_refused_to_others(client, bank, who):
    login(client, who)
    for url in ("/admin-home/", "/admin-home/codes/", "/admin-home/profiles/", "/admin/", "/admin/org/staff/"):
        assert client.get(url).status_code == 403, url


def test_anonymous_admin_goes_to_the_one_login_page(client, bank):
    r = client.get("/admin/")
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_admin_sees_org_staff_calendar_but_no_cases(client, bank):
    case = register(bank)
    login(client, "admin")
    index = client.get("/admin/").content.decode()
    assert "/admin/org/orgunit/" in index and "/admin/workdays/calendaryear/" in index
    assert "/admin/cases/" not in index and "/admin/customers/" not in index
    assert client.get("/admin/cases/case/").status_code == 404
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 404
    assert client.get("/admin/audit/auditevent/").status_code == 404
    staff = client.get(f"/admin/org/staff/{bank.people['handler'].pk}/change/").content.decode()
    assert "argon2" not in staff and "md5$" not in staff and 'name="password"' not in staff
    assert client.get(f"/cases/{case.pk}/").status_code == 403  # and none in the workbench either


def test_admin_change_is_audited_with_before_and_after(client, bank):
    login(client, "admin")
    unit = OrgUnit.objects.get(code="BJ01")
    r = client.post(f"/admin/org/orgunit/{unit.pk}/change/", {
        "code": "BJ01", "name": "北京朝阳门支行", "name_en": "", "kind": "outlet", "parent": bank.branch.pk,
        "region": "北京", "is_outlet": "on",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    event = AuditEvent.objects.filter(type="admin.change").get()
    assert event.actor_id == bank.people["admin"].pk and event.object_id == str(unit.pk)
    assert event.payload["changes"]["name"] == {"before": "北京朝阳支行", "after": "北京朝阳门支行"}


def test_existing_unit_code_and_parent_cannot_be_changed(client, bank):
    """A unit's path (and its subtree's paths, which every scope matches on) comes from its code and
    parent: the admin form offers them when adding a unit, and only shows them when editing one."""
    login(client, "admin")
    unit = OrgUnit.objects.get(code="BJ01")
    form = client.get(f"/admin/org/orgunit/{unit.pk}/change/").content.decode()
    assert 'name="code"' not in form and 'name="parent"' not in form and 'name="is_outlet"' not in form
    assert "机构代码" in form and "上级机构" in form
    r = client.post(f"/admin/org/orgunit/{unit.pk}/change/", {
        "code": "BJ99", "name": "北京朝阳支行", "name_en": "", "kind": "outlet", "parent": bank.tech.pk,
        "region": "北京",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    unit.refresh_from_db()
    assert (unit.code, unit.parent_id, unit.path) == ("BJ01", bank.branch.pk, "/HO/BJ/BJ01/")
    assert unit.is_outlet
    add = client.get("/admin/org/orgunit/add/").content.decode()
    assert 'name="code"' in add and 'name="parent"' in add and 'name="is_outlet"' not in add
    r = client.post("/admin/org/orgunit/add/", {
        "code": "BJ02", "name": "北京海淀支行", "name_en": "", "kind": "outlet", "parent": bank.branch.pk,
        "region": "北京",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    added = OrgUnit.objects.get(code="BJ02")
    assert added.path == "/HO/BJ/BJ02/" and added.is_outlet


def test_admin_delete_is_audited(client, bank):
    from redressal.org.models import RoleAssignment

    login(client, "admin")
    ra = RoleAssignment.objects.get(staff=bank.people["handler2"])
    r = client.post(f"/admin/org/roleassignment/{ra.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    event = AuditEvent.objects.filter(type="admin.delete").get()
    assert event.payload["before"]["role"] == "handler"


def test_staff_and_units_cannot_be_deleted(client, bank):
    login(client, "admin")
    assert client.get(f"/admin/org/staff/{bank.people['handler'].pk}/delete/").status_code == 403
    assert client.get(f"/admin/org/orgunit/{bank.outlet.pk}/delete/").status_code == 403


def test_unconfirmed_next_year_alert(client, bank):
    import time_machine

    from tests.conftest import local

    with time_machine.travel(local(2026, 11, 10, 10, 0), tick=False):
        login(client, "admin")
        body = client.get("/admin-home/").content.decode()
    assert 'data-testid="calendar-alert"' in body and "2027" in body
    with time_machine.travel(local(2026, 6, 10, 10, 0), tick=False):
        login(client, "admin")
        assert 'data-testid="calendar-alert"' not in client.get("/admin-home/").content.decode()


def test_admin_site_in_english(client, bank):
    login(client, "admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/admin/").content.decode()
    assert 'lang="en"' in body and "Recent actions" in body


def test_admin_site_is_chinese_by_default(client, bank):
    login(client, "admin")
    body = client.get("/admin/").content.decode()
    assert "最近动作" in body and "系统管理" in body and "工作日历" in body


def test_every_msgid_of_the_workbench_is_in_the_catalogue():
    """Every Chinese string marked for translation in the web templates and views (and the admin) is in
    the English catalogue: a string added without running ``scripts/i18n.py`` fails here."""
    import polib

    known = {e.msgid for e in polib.pofile(str(SRC / "locale/en/LC_MESSAGES/django.po"))}
    files = [*SRC.glob("web/templates/web/**/*.html"), *SRC.glob("web/views/*.py"), *SRC.glob("web/forms/*.py"),
             SRC / "org/admin.py", SRC / "org/admin_site.py", SRC / "workdays/admin.py", SRC / "triage/admin.py",
             SRC / "web/nav.py", *SRC.glob("org/templates/admin/**/*.html")]
    missing = set()
    for f in files:
        text = f.read_text(encoding="utf-8")
        found = re.findall(r'(?:translate|_t?\()\s*["\']([^"\']*[\u4e00-\u9fff][^"\']*)["\']', text)
        if f.suffix == ".html":  # {% translate %} looks a literal up with its percent signs doubled
            found = [m.replace("%", "%%") for m in found]
        for block in re.findall(r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate) %}", text, re.S):
            found.append(re.sub(r"{{ (\w+) }}", r"%(\1)s", block))
        missing |= {m for m in found if m not in known}
    assert sorted(missing) == []


def test_list_filters_are_titled_in_the_interface_language(client, bank):
    """The filters were titled with the bare field name ("以 kind", "以 role", "以 available") in Chinese."""
    login(client, "admin")
    for url, titles in {
        "/admin/org/orgunit/": ["类型"], "/admin/org/roleassignment/": ["角色"], "/admin/org/staff/": ["启用", "在岗"],
        "/admin/workdays/calendarday/": ["类型", "地区"],
    }.items():
        html = client.get(url).content.decode()
        panel = re.sub(r"<[^>]+>", " ", html[html.find('id="changelist-filter"'):])
        assert not re.search(r"以\s+[a-z_]+\b", panel), (url, panel[:300])
        for title in titles:
            assert f"以 {title}" in " ".join(panel.split()), (url, title)
    roles = client.get("/admin/org/roleassignment/").content.decode()
    assert "分行/部门负责人" in roles and ">branch_head<" not in roles


def test_routing_rules_are_in_the_administration_and_audited(client, bank):
    """Routing rules are the administrator's (SPEC §1) and documented under 分类与分派 in /admin/, but their
    admin asked Django's model permissions, which nobody holds: the list answered 403 to the admin."""
    from redressal.triage.services.routing import ensure_default_rules

    rule = ensure_default_rules()[0]
    login(client, "admin")
    assert 'href="/admin/triage/"' in client.get("/admin/").content.decode()
    listing = client.get("/admin/triage/routingrule/")
    assert listing.status_code == 200
    assert f'href="/admin/triage/routingrule/{rule.pk}/change/' in listing.content.decode()
    assert "分派规则" in listing.content.decode()
    form = client.get(f"/admin/triage/routingrule/{rule.pk}/change/")
    assert form.status_code == 200
    r = client.post(f"/admin/triage/routingrule/{rule.pk}/change/", {
        "name": rule.name, "order": "5", "active": "on", "trigger": rule.trigger, "channels": "[]", "sources": "[]",
        "request_types": "[]", "business_codes": "[]", "cause_codes": "[]", "products": "[]", "units": "[]",
        "priorities": "[]", "risk_flags": "[]", "vulnerable": "[]", "languages": "[]",
        "target_unit": rule.target_unit_id or "", "required_skill": rule.required_skill,
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    event = AuditEvent.objects.get(type="admin.change", object_type="triage.routingrule")
    assert event.payload["changes"]["order"]["after"] == 5


@pytest.mark.parametrize("who", ["handler1", "supervisor1"])
def test_routing_rules_refused_to_others(client, bank, who):
    login(client, who)
    assert client.get("/admin/triage/routingrule/").status_code == 403
