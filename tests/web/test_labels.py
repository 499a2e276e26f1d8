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
