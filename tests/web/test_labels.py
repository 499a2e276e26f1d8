"""Every code a page shows has a translated label (issue 4 crawl findings)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "redressal"


def written_event_types() -> set[str]:
    """The event types the services write: ``Done("type", …)`` and ``append_event(case, "type", …)``."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"Done": 0, "append_event": 1}.get(name or "")
            if position is None:
                continue
            args = list(node.args)
            kw = {k.arg: k.value for k in node.keywords}
            arg = args[position] if len(args) > position else kw.get("event_type") or kw.get("type")
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def test_every_written_event_type_has_a_label():
    from redressal.web.templatetags.redressal import EVENT_LABELS

    types = written_event_types()
    assert {"registered", "triaged", "responded"} <= types  # the scan finds the services' events
    assert sorted(types - set(EVENT_LABELS)) == []


@pytest.mark.parametrize(
    ("code", "english"),
    [("extension_l2", "Extension (level 2)"), ("pause", "Moved by a paused clock"), ("restart", "Clock restarted")],
)
def test_deadline_history_reasons_are_labelled(code, english):
    from redressal.web.templatetags.redressal import deadline_move

    with translation.override("en"):
        assert str(deadline_move(code)) == english


def test_root_causes_are_labelled_as_words_or_codes():
    from redressal.domain.codes import load_codes
    from redressal.web.templatetags.case_labels import root_cause

    with translation.override("en"):
        assert str(root_cause("system_failure")) == "System failure"
        leaf = load_codes().leaves("C")[0]
        assert str(root_cause(leaf.code)) == f"{leaf.code} {leaf.label('en')}"


def test_a_deadline_warning_is_worded_in_the_readers_language(client, bank):
    import time_machine

    from redressal.cases.services.warnings import sweep_warnings
    from redressal.notify.models import StaffNotification
    from tests.conftest import local
    from tests.flows import accept
    from tests.services.test_lifecycle import register
    from tests.web.test_shell import login

    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False):
        case = register(bank)
        accept(case.pk, bank.actor("handler"))
    with time_machine.travel(local(2026, 1, 18, 10, 0), tick=False):
        sweep_warnings()
    warnings = StaffNotification.objects.filter(kind="deadline_warning", case=case, key__contains=":decision:80%:")
    note = warnings.select_related("recipient").first()
    assert note is not None and note.payload["case_number"] == case.case_number
    assert note.payload["deadline"] == "decision" and note.payload["label"] == "80%"
    # A row from before the payload existed keeps its stored text, shown as data.
    StaffNotification.objects.create(
        recipient=note.recipient, kind="deadline_warning", message="TS-OLD: first_contact deadline warning",
        created_at=note.created_at,
    )
    login(client, note.recipient.username)
    chinese = client.get("/notifications/").content.decode()
    # Worded as the distance to the due moment when the warning came (its moment is the notification's).
    left = (case.deadlines.get(kind="decision").due_at - note.created_at).days
    assert left >= 1 and f"{case.case_number}：处理决定并告知时限距到期 {left} 天" in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/notifications/").content.decode()
    assert f"{case.case_number}: Decision and notice due in {left} days" in english
    assert "Deadline warning" in english
    assert "<span data-content>TS-OLD: first_contact deadline warning</span>" in english


def test_unit_names_follow_the_language(bank):
    from redressal.org.models import OrgUnit
    from redressal.web.templatetags.redressal import unit_name

    unit = OrgUnit(name="北京分行", name_en="Beijing Branch")
    with translation.override("en"):
        assert unit_name(unit) == "Beijing Branch"
        assert unit_name(OrgUnit(name="北京分行")) == "北京分行"
    with translation.override("zh-hans"):
        assert unit_name(unit) == "北京分行"


def test_favicon_is_served(client, db):
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r.headers["Location"].endswith("favicon.svg")


def test_contextual_translations_fill_by_context():
    import polib
    from scripts.i18n import fill

    po = polib.POFile()
    po.append(polib.POEntry(msgid="合并", msgctxt="action", msgstr=""))
    po.append(polib.POEntry(msgid="合并", msgctxt="event", msgstr=""))
    po.append(polib.POEntry(msgid="登记", msgstr=""))
    fill(po, {"action|合并": "Merge", "event|合并": "Merged", "登记": "Register"})
    assert [e.msgstr for e in po] == ["Merge", "Merged", "Register"]


def test_iso_local_reads_any_stored_moment_in_shanghai_time():
    from datetime import UTC, datetime

    from redressal.web.templatetags.redressal import iso_local

    # Payloads keep ISO text in UTC; an end-of-day due moment is 24:00 of its last day.
    assert iso_local("2025-01-20T16:00:00+00:00") == "2025-01-20 24:00"
    assert iso_local("2025-01-20T09:30:00+00:00") == "2025-01-20 17:30"
    assert iso_local(datetime(2025, 1, 20, 16, tzinfo=UTC)) == "2025-01-20 24:00"
    assert iso_local("2025-01-21T00:00:00+08:00") == "2025-01-20 24:00"
    assert iso_local(None) == iso_local("") == "—"
