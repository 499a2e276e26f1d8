"""Triage as the case page and the API show it (SPEC §6): suggestions beside confirmations, flags
with their evidence, duplicate candidates, mass incidents."""

from __future__ import annotations

from typing import Any

from redressal.cases.models import Case
from redressal.triage.classifier import AXES
from redressal.triage.models import DuplicateCandidate, MassIncident, TriageRecord


def classification_view(case: Case) -> dict[str, Any]:
    """Every axis, always present: ``{"suggested": {…} | None, "confirmed": {…} | None}``."""
    stored = case.classification or {}
    out: dict[str, Any] = {}
    for axis in AXES:
        entry = stored.get(axis) or {}
        out[axis] = {"suggested": entry.get("suggested") or None, "confirmed": entry.get("confirmed") or None}
    return out


def triage_view(case: Case, *, with_evidence: bool = False) -> dict[str, Any]:
    """From the case row (cheap, for lists); ``with_evidence`` adds the why from the triage record."""
    out: dict[str, Any] = {
        "emotion": case.emotion,
        "risk_flags": list(case.risk_flags),
        "vulnerable": list(case.vulnerable),
        "priority": case.priority,
        "priority_factors": list(case.priority_factors),
        "flags": None,
        "vulnerable_evidence": None,
        "emotion_evidence": None,
    }
    if with_evidence:
        record = TriageRecord.objects.filter(case=case).first()
        if record is not None:
            out["flags"] = record.flags
            out["vulnerable_evidence"] = record.vulnerable
            out["emotion_evidence"] = record.emotion_evidence
    return out


def duplicate_candidates(case: Case) -> list[dict[str, Any]]:
    rows = (
        DuplicateCandidate.objects.filter(case=case)
        .order_by("-score", "candidate_id")
        .values_list("candidate__case_number", "candidate__status", "score", "reasons")
    )
    return [
        {"case_number": number, "status": status, "score": score, "reasons": reasons}
        for number, status, score, reasons in rows
    ]


def case_mass_incidents(case: Case) -> list[dict[str, Any]]:
    rows = MassIncident.objects.filter(links__case=case).order_by("pk").values("pk", "key", "status")
    return [{"id": m["pk"], "key": m["key"], "status": m["status"]} for m in rows]

