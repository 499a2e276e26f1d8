"""What a library draft is written from: a closed case's texts, and the people and numbers it knows.

Reads the case, its customer (the personal data decrypted here, server-side, only to be found and
removed) and the staff who acted on it. Nothing read here is stored as it is: the services pass every
text through ``domain.anonymise`` before it reaches an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from redressal.cases.models import Case
from redressal.domain.anonymise import Known, Person
from redressal.domain.choices import FEEDBACK_LABELS, OUTCOME_LABELS
from redressal.domain.codes import load_codes
from redressal.org.models import Staff


@dataclass(frozen=True)
class Draft:
    """The case's story in the entry's fields, before anonymising."""

    title: str
    summary: str
    facts: str
    handling: str
    outcome: str
    business_code: str
    cause_code: str
    tags: list[str]
    reference: date  # the case's day, for dates written without a year


def confirmed_code(case: Case, axis: str) -> str:
    entry = (case.classification or {}).get(axis) or {}
    confirmed = entry.get("confirmed") if isinstance(entry, dict) else None
    return str(confirmed.get("code") or "") if isinstance(confirmed, dict) else ""


def code_label(code: str) -> str:
    found = load_codes().get(code) if code else None
    return found.zh if found else ""


def _day(moment: object) -> str:
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    return f"{local.year}年{local.month}月{local.day}日"


def _staff_ids(case: Case) -> set[int]:
    ids: set[int] = set()
    for value in (case.assignee_id, case.registered_by_id, case.respondent_staff_id):
        if value:
            ids.add(int(value))
    ids |= {int(i) for i in case.events.exclude(actor=None).values_list("actor_id", flat=True).distinct()}
    ids |= {int(i) for i in case.notes.values_list("author_id", flat=True)}
    ids |= {int(i) for i in case.tasks.exclude(replied_by=None).values_list("replied_by_id", flat=True)}
    ids |= {int(i) for i in case.visits.exclude(done_by=None).values_list("done_by_id", flat=True)}
    return ids


def known_of(case: Case) -> Known:
    """The people, numbers and address the case knows, to be found in its texts: the customer and the
    complainant and representatives; the staff who acted on it, were complained about, or work at the
    unit complained about (a teller is often named in the complaint)."""
    people: list[Person] = []
    customer = case.customer
    for name in (customer.name if customer else "", case.complainant_name):
        if name:
            people.append(Person(name.strip(), "customer"))
    for rep in case.representatives or []:
        name = rep.get("name", "") if isinstance(rep, dict) else str(rep)
        if name:
            people.append(Person(name.strip(), "customer"))
    staff = Staff.objects.filter(pk__in=_staff_ids(case))
    if case.respondent_unit_id:
        staff = staff | Staff.objects.filter(unit_id=case.respondent_unit_id)
    for member in staff.distinct().order_by("pk"):
        for name in {member.display_name, f"{member.last_name}{member.first_name}"}:
            if name.strip():
                people.append(Person(name.strip(), "staff"))
    numbers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    if customer is not None:
        numbers = tuple(v for v in (customer.phone, customer.id_number, customer.card_number) if v)
        addresses = (customer.address,) if customer.address else ()
    return Known(people=tuple(people), numbers=numbers, addresses=addresses)


def draft_of(case: Case) -> Draft:
    """The case's story in the entry's fields: what came in, what was done, how it ended."""
    business, cause = confirmed_code(case, "business"), confirmed_code(case, "cause")
    b_label, c_label = code_label(business), code_label(cause)
    decision = case.decisions.order_by("-notice_at", "-pk").first()
    outcome_label = OUTCOME_LABELS.get(decision.outcome, "") if decision else ""
    channel = case.get_channel_display()
    title = "——".join(x for x in (b_label, c_label) if x) or str(case.get_request_type_display())
    summary = f"{channel}受理的{b_label or '其他'}类投诉，投诉原因为{c_label or '其他'}"
    summary += f"，处理结果：{outcome_label}。" if outcome_label else "。"
    handling_lines = [f"{_day(n.created_at)}：{n.text.strip()}" for n in case.notes.order_by("created_at", "pk")]
    for task in case.tasks.order_by("created_at", "pk"):
        line = f"{_day(task.created_at)}：请{task.department.name}协办“{task.title}”"
        if task.reply:
            line += f"，回复：{task.reply.strip()}"
        handling_lines.append(line)
    outcome_parts: list[str] = []
    if decision is not None:
        outcome_parts.append(f"{outcome_label}。{decision.reasons.strip()}")
        if decision.remedy.strip():
            outcome_parts.append(f"解决方案：{decision.remedy.strip()}")
    feedback = case.feedback.order_by("-recorded_at").first()
    if feedback is not None and feedback.result in FEEDBACK_LABELS:
        outcome_parts.append(f"客户评价：{FEEDBACK_LABELS[feedback.result]}")
    tags = [channel]
    if case.customer is not None and case.customer.is_elderly:
        tags.append("老年客户")
    if case.source == Case.Source.REGULATOR_FORWARDED:
        tags.append("监管转办")
    return Draft(
        title=title[:120],
        summary=summary,
        facts=case.description.strip(),
        handling="\n".join(handling_lines),
        outcome="\n".join(outcome_parts),
        business_code=business,
        cause_code=cause,
        tags=[str(t) for t in tags],
        reference=timezone.localtime(case.received_at).date(),
    )
