"""Triage of one case (SPEC §6): suggestions from the model, flags and priority from the rules, and
staff confirming or correcting the suggestions. Suggestions are stored as suggestions, never as facts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from redressal.cases.models import Case
from redressal.cases.services._base import Done, perform, resolve_at
from redressal.cases.steps import Change
from redressal.core.errors import ValidationFailed
from redressal.core.text import normalize
from redressal.domain.codes import load_codes
from redressal.domain.profiles import profile_for
from redressal.domain.triage import Assessment, Context, Flag, assess, load_config
from redressal.domain.triage.channel import channel_known_at_intake
from redressal.domain.triage.matter import Complaint, same_matter
from redressal.domain.triage.priority import Factor, with_flag
from redressal.org.authz import Actor
from redressal.triage import classifier
from redressal.triage.models import MassIncidentCase, TextVector, TriageRecord
from redressal.triage.services.facts import (
    birth_date,
    customer_key,
    dimensions,
    same_person_customers,
)

AXIS_TABLE = {"business": "B", "cause": "C", "channel": "A"}


def same_matter_cases(case: Case, limit: int = 20, vector: bytes | None = None) -> tuple[str, ...]:
    """Earlier cases of the same complainant about the same matter (``domain.triage.matter``).
    Their count makes this one a repeat (a third contact, SPEC §6). Texts are compared by
    ``classifier.duplicate_score``: with the stored vectors where both cases have one."""
    people = same_person_customers(case.customer)
    if not people:
        return ()
    rows = (
        Case.objects.filter(customer_id__in=people, received_at__lte=case.received_at)
        .exclude(pk=case.pk)
        .order_by("-received_at")
        .values_list("pk", "case_number", "product", "transaction_ref", "description")[:limit]
    )
    rule = load_config().same_matter
    mine = Complaint(case.transaction_ref, case.product)
    if vector is None and case.pk:
        vector = stored_vectors([case.pk]).get(case.pk)
    theirs = stored_vectors([row[0] for row in rows]) if vector is not None else {}
    return tuple(
        sorted(
            number
            for pk, number, product, ref, description in rows
            if same_matter(
                mine,
                Complaint(ref, product),
                classifier.duplicate_score(case.description, description, vector, theirs.get(pk)),
                rule,
            )
        )
    )


def stored_vectors(case_ids: list[int]) -> dict[int, bytes]:
    """The stored text vectors of these cases made by the current embedding (``TextVector``)."""
    if not case_ids:
        return {}
    rows = TextVector.objects.filter(case_id__in=case_ids, model=classifier.vector_model())
    return {int(case_id): bytes(vector) for case_id, vector in rows.values_list("case_id", "vector")}


def assessment_context(case: Case, today: Any, vector: bytes | None = None) -> Context:
    profile = profile_for(case.received_at.date())
    # A case being registered (not saved yet) belongs to no incident yet.
    incident = (
        MassIncidentCase.objects.filter(case_id=case.pk)
        .order_by("incident_id")
        .values_list("incident_id", flat=True)
        .first()
        if case.pk
        else None
    )
    return Context(
        source=case.source,
        regulator=case.regulator,
        amount=case.amount,
        birth_date=birth_date(case.customer),
        declared_vulnerable=frozenset(case.customer.vulnerable if case.customer else ()),
        today=today,
        elderly_age=profile.elderly_age,
        same_matter_cases=same_matter_cases(case, vector=vector),
        mass_incident=f"MI-{incident}" if incident else "",
    )


def suggestions_for(case: Case, text: str) -> dict[str, classifier.Suggested]:
    """The model's suggestions on the axes intake left open: a channel of receipt recorded at
    registration is a fact, not something to guess (SPEC §6)."""
    suggestions = classifier.suggest(text)
    if channel_known_at_intake(case.channel):
        suggestions.pop("channel", None)
    return suggestions


def _intake_channel(case: Case) -> dict[str, Any]:
    """The channel of receipt as a confirmed entry, shaped as ``confirm_classification`` writes one:
    confirmed by whoever registered the case, when they registered it."""
    return {
        "code": case.channel,
        "label": _label("channel", case.channel),
        "by": case.registered_by.username if case.registered_by else "",
        "at": case.registered_at.isoformat(),
    }


def classification_of(case: Case, suggestions: dict[str, classifier.Suggested]) -> dict[str, Any]:
    """New suggestions; what staff confirmed stays confirmed; a channel known at intake is confirmed."""
    previous = case.classification or {}
    out: dict[str, Any] = {}
    for axis in classifier.AXES:
        s = suggestions.get(axis)
        confirmed = (previous.get(axis) or {}).get("confirmed")
        if axis == "channel" and not confirmed and channel_known_at_intake(case.channel):
            confirmed = _intake_channel(case)
        out[axis] = {"suggested": s.as_dict() if s else None, "confirmed": confirmed}
    return out


def _store(case: Case, result: Assessment, model_version: str, current: datetime, *, new: bool) -> None:
    case.emotion = result.emotion
    case.risk_flags = result.flag_codes
    case.vulnerable = result.vulnerable_codes
    case.priority = result.priority
    case.priority_factors = [f.as_dict() for f in result.factors]
    values = {
        "model_version": model_version,
        "config_version": result.config_version,
        "flags": [f.as_dict() for f in result.flags],
        "vulnerable": [f.as_dict() for f in result.vulnerable],
        "emotion_evidence": list(result.emotion_evidence),
        "score": result.score,
        "customer_key": customer_key(case),
        **dimensions(case, case.classification or {}),
        "received_at": case.received_at,
        "updated_at": current,
    }
    if new:  # registered in this transaction: nothing to look up
        TriageRecord.objects.create(case=case, **values)
    else:
        TriageRecord.objects.update_or_create(case=case, defaults=values)


def triage_case(case_id: int, *, actor: Actor | None = None, reason: str = "") -> Case:
    """Suggest, flag and prioritise again (the description changed); one ``triaged`` event records all
    of it with the model version. A case that becomes P1 by it is escalated when a ``p1`` rule says so
    (``triage.reactions``). At registration the same work is prepared before the lock instead
    (``triage.services.registration``)."""

    def change(case: Case, current: datetime) -> Done:
        text = case_text(case)
        suggestions = suggestions_for(case, text)
        result = assessment_of(case, text, current.date())
        return apply_triage(case, current, suggestions, result, new=False, reason=reason)

    return perform(case_id, actor, "triage", None, change, check_state=False)


def assessment_of(case: Case, text: str, today: date, vector: bytes | None = None) -> Assessment:
    """Flags, vulnerability, emotion and priority by the rules (``domain.triage``), from the text and
    what is known of the complainant; the emotion model's reading joins the rules' (the more severe
    wins). ``vector``: the case's text vector when already computed (registration), else the stored one."""
    return assess(
        normalize(text),
        assessment_context(case, today, vector),
        request_type=case.request_type,
        raw=text,
        learned_emotion=classifier.emotion_of(text),
    )


def case_text(case: Case) -> str:
    return f"{case.product}\n{case.description}" if case.product else case.description


def apply_triage(
    case: Case,
    current: datetime,
    suggestions: dict[str, classifier.Suggested],
    result: Assessment,
    *,
    new: bool,
    reason: str = "",
) -> Done:
    """Write a triage result onto the case and its triage record; the ``triaged`` event says what and why."""
    version = next(iter(suggestions.values())).model_version if suggestions else classifier.model_version()
    case.classification = classification_of(case, suggestions)
    _store(case, result, version, current, new=new)
    return Done(
        "triaged",
        {
            "model_version": version or None,
            "config_version": result.config_version,
            "suggestions": {a: s.as_dict() for a, s in suggestions.items()},
            "emotion": {"level": result.emotion, "evidence": list(result.emotion_evidence)},
            "risk_flags": [f.as_dict() for f in result.flags],
            "vulnerable": [f.as_dict() for f in result.vulnerable],
            "amount": str(result.amount) if result.amount is not None else None,
            "score": result.score,
            "priority": result.priority,
            "priority_factors": [f.as_dict() for f in result.factors],
        },
        reason=reason,
    )


def add_flag(case_id: int, *, code: str, evidence: list[str], reason: str) -> Case:
    """Raise one more risk flag on a triaged case (e.g. ``mass_incident``) and re-score its priority;
    a case that becomes P1 by it is escalated when a ``p1`` rule says so (``triage.reactions``)."""
    return perform(case_id, None, "flag", None, flag_change(code, evidence, reason), check_state=False)


def flag_change(code: str, evidence: list[str], reason: str) -> Change:
    config = load_config()

    def change(case: Case, current: datetime) -> Done:
        if code in case.risk_flags:
            return Done("risk_flag_added", {"code": code, "evidence": evidence, "unchanged": True}, reason=reason)
        before = [Factor.from_dict(f) for f in case.priority_factors]
        factors, score, case.priority = with_flag(
            before,
            Flag(code, tuple(evidence)),
            config,
            regulator_forwarded=case.source == Case.Source.REGULATOR_FORWARDED,
        )
        case.risk_flags = [*case.risk_flags, code]
        case.priority_factors = [f.as_dict() for f in factors]
        record = TriageRecord.objects.filter(case=case).first()
        if record is not None:
            record.flags = [*record.flags, {"code": code, "evidence": evidence}]
            record.score = score
            record.updated_at = current
            record.save(update_fields=["flags", "score", "updated_at"])
        points = sum(f.points for f in factors[len(before) :])
        return Done(
            "risk_flag_added", {"code": code, "evidence": evidence, "points": points, "score": score}, reason=reason
        )

    return change


def product_choices() -> set[str] | None:
    """The products the model knows, when it says; None lets any product name through."""
    info = classifier.model_labels("product")
    return set(info) if info else None


def _label(axis: str, code: str) -> str:
    if axis == "request_type":
        if code not in Case.RequestType.values:
            raise ValidationFailed("invalid_choice", f"unknown request type '{code}'", field="code")
        return str(Case.RequestType(code).label)
    if axis == "channel" and code in Case.Channel.values:
        # The model names the channel of receipt as the case records it; the A code is the other spelling.
        return str(Case.Channel(code).label)
    if axis in AXIS_TABLE:
        table = load_codes()
        if not table.is_valid(AXIS_TABLE[axis], code):
            raise ValidationFailed(
                "invalid_choice", f"'{code}' is not a {axis} code of JR/T 0169 {table.version}", field="code"
            )
        found = table.get(code)
        return found.zh if found else code
    if axis == "product":
        choices = product_choices()
        if not code.strip() or (choices is not None and code not in choices):
            raise ValidationFailed("invalid_choice", f"unknown product '{code}'", field="code")
        return code
    raise ValidationFailed("invalid_choice", f"unknown axis '{axis}'", field="axis")


def confirm_classification(
    case_id: int,
    *,
    actor: Actor,
    axis: str,
    code: str,
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
) -> Case:
    """Staff confirm a suggestion, or correct it with a different code (a correction is training data)."""
    if axis not in classifier.AXES:
        raise ValidationFailed("invalid_choice", f"unknown axis '{axis}'", field="axis")
    label = _label(axis, code)

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        classification = dict(case.classification or {})
        entry = dict(classification.get(axis) or {"suggested": None, "confirmed": None})
        before = entry.get("confirmed")
        suggested = entry.get("suggested") or {}
        after = {"code": code, "label": label, "by": actor.staff.username, "at": moment.isoformat()}
        entry["confirmed"] = after
        classification[axis] = entry
        case.classification = classification
        if axis in ("business", "cause", "product", "channel"):
            TriageRecord.objects.filter(case=case).update(**{axis: code})
        return Done(
            "classification_confirmed",
            {
                "axis": axis,
                "before": before,
                "after": after,
                "suggested": suggested.get("code"),
                "correction": bool(suggested) and suggested.get("code") != code,
                "code_table": load_codes().version if axis in AXIS_TABLE else None,
                "at": moment,
            },
        )

    return perform(
        case_id,
        actor,
        "confirm_classification",
        "case.investigate",
        change,
        expected_version=expected_version,
        check_state=False,
        backdate_reason=backdate_reason,
    )
