"""Mail in (SPEC §9): one fetched message becomes a case, a customer's further correspondence on their
case, nothing (an auto-reply, a bounce), or a quarantined message staff look at — never lost, never
twice. Decision record 0019.

``ingest`` is the one entry: the poller hands it the bytes of each message. It does no network I/O and
holds no transaction across the case work: the row is claimed (inserted, its Message-ID unique) first,
the case services run in their own transactions, and the row is then marked with what became of it. A
process that dies in between leaves the row "received"; taking it up again first looks for the case
event that names the message (its ``via`` reference), so it links that case instead of opening another.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from redressal.audit.services import record_audit
from redressal.cases import services as case_services
from redressal.cases.commands import Upload
from redressal.cases.models import Case, CaseEvent
from redressal.cases.services.uploads import check_type
from redressal.core import crypto
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, ServiceError, ValidationFailed
from redressal.customers.models import Customer
from redressal.customers.services import CustomerInput
from redressal.domain import mail as rules
from redressal.domain.filetypes import HEAD_BYTES, content_matches
from redressal.domain.roles import ROLE_PERMISSIONS
from redressal.mailin.models import InboundMail
from redressal.mailin.parse import (
    Attachment,
    Malformed,
    ParsedMail,
    content_type_for,
    header_facts,
    header_message_id,
    parse,
)
from redressal.notify.models import CustomerMessage
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor
from redressal.org.models import RoleAssignment

log = logging.getLogger(__name__)

Outcome = InboundMail.Outcome
ADAPTER = "email"
STALE = timedelta(minutes=5)  # a row "received" this long ago was left by a process that died
MAX_ATTACHMENTS = 20
PERMISSION = "mail.manage"


def max_message_bytes() -> int:
    """The largest message taken at all (``REDRESSAL_MAIL_MAX_BYTES``; by default as large as the
    largest web request: five attachments of the evidence limit, base64 and headers around them)."""
    configured = os.environ.get("REDRESSAL_MAIL_MAX_BYTES", "").strip()
    if configured.isdigit():
        return int(configured)
    return int(settings.EVIDENCE_MAX_BYTES * 5 * 4 / 3) + 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    raw: bytes
    mailbox: str = ""
    uidvalidity: int | None = None
    uid: int | None = None


@dataclass
class Prepared:
    """The files a message brings that the case can take, and a sentence for each one it cannot."""

    uploads: list[Upload] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


# The wording of each quarantine or note code, for staff (Chinese source, translated on the page).
REASONS = {
    "unparseable": N_("邮件无法解析"),
    "mime_structure": N_("邮件的 MIME 结构损坏（分段边界缺失或不一致）"),
    "undecodable": N_("邮件头或正文无法解码"),
    "no_sender": N_("邮件没有可识别的发件人地址"),
    "too_large": N_("邮件超过允许的大小"),
    "refused": N_("登记被拒绝"),
    "failed": N_("处理时出错"),
    "auto_submitted": N_("自动发送的邮件（Auto-Submitted）"),
    "delivery_report": N_("投递状态报告（退信或回执）"),
    "autoreply_header": N_("自动回复"),
    "precedence": N_("群发或自动邮件（Precedence）"),
    "daemon_sender": N_("邮件系统发出的退信"),
    "null_sender": N_("空发件人的退信"),
    "stranger_reply": N_("回复中的工单不属于该发件人，已另行登记"),
}


def ingest(fetched: Fetched) -> InboundMail:
    """What became of one fetched message. Never raises for the message's own faults (they quarantine
    it); only a failure to record anything at all (the database gone) propagates, so the poller retries."""
    raw = fetched.raw
    sha = hashlib.sha256(raw).hexdigest()
    parsed: ParsedMail | None = None
    failure: Malformed | None = None
    try:
        parsed = parse(raw)
        key = parsed.message_id or rules.synthetic_id(sha)
    except Malformed as exc:
        failure = exc
        key = header_message_id(raw) or rules.synthetic_id(sha)
    existing = InboundMail.objects.filter(message_id=key).first()
    if existing is not None:
        return _again(existing, raw, parsed, failure)
    sender, subject = (parsed.sender, parsed.subject) if parsed is not None else header_facts(raw)
    row = InboundMail(
        message_id=key,
        mailbox=fetched.mailbox[:200],
        uidvalidity=fetched.uidvalidity,
        uid=fetched.uid,
        received_at=now(),
        sent_at=parsed.sent_at if parsed else None,
        sender=sender,
        sender_index=crypto.address_index(sender) if sender else "",
        subject=subject,
        raw_sha256=sha,
        raw_size=len(raw),
    )
    row.raw.name = _store_raw(raw, sha)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        # Another poller claimed the same message a moment ago: it is theirs to finish.
        return InboundMail.objects.get(message_id=key)
    return _process(row, raw, parsed, failure)


def _again(row: InboundMail, raw: bytes, parsed: ParsedMail | None, failure: Malformed | None) -> InboundMail:
    """A message already seen: nothing new, unless its first handling was cut off by a dying process."""
    if row.outcome == Outcome.RECEIVED and row.received_at < now() - STALE:
        # Taken over by one poller only: the first to move the moment on has it.
        taken = InboundMail.objects.filter(pk=row.pk, outcome=Outcome.RECEIVED, received_at=row.received_at).update(
            received_at=now()
        )
        if taken:
            row.refresh_from_db()
            return _process(row, raw, parsed, failure)
    return row


def _store_raw(raw: bytes, sha: str) -> str:
    """The message's bytes as a file named by their digest: the same bytes are stored once."""
    name = f"mailin/{sha[:2]}/{sha}.eml"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(raw))
    return name


def _read_raw(row: InboundMail) -> bytes:
    with default_storage.open(str(row.raw.name), "rb") as f:
        return bytes(f.read())


def _process(row: InboundMail, raw: bytes, parsed: ParsedMail | None, failure: Malformed | None) -> InboundMail:
    if failure is not None or parsed is None:
        code = failure.code if failure is not None else "unparseable"
        detail = failure.detail if failure is not None else ""
        return quarantine(row, code, detail)
    if len(raw) > max_message_bytes():
        limit = max_message_bytes()
        detail = _("%(size)s 字节，上限 %(limit)s 字节") % {"size": len(raw), "limit": limit}
        return quarantine(row, "too_large", detail)
    if parsed.verdict.automatic:
        return _finish(row, Outcome.AUTOMATIC, reason=parsed.verdict.reason)
    try:
        return _file(row, raw, parsed)
    except ServiceError as exc:
        return quarantine(row, "refused", str(exc.message)[:500])
    except Exception as exc:
        log.exception("inbound mail %s could not be filed", row.pk)
        return quarantine(row, "failed", type(exc).__name__)


def _file(row: InboundMail, raw: bytes, parsed: ParsedMail) -> InboundMail:
    done = _already_filed(row.message_id)
    if done is not None:
        case_id, outcome = done
        return _finish(row, outcome, case_id=case_id)
    origin = case_services.ChannelOrigin(ADAPTER, row.message_id)
    sender_index = crypto.address_index(parsed.sender)
    reason = ""
    target = reply_target(parsed)
    prepared = prepare_files(parsed.attachments, raw, row)
    notes = "\n".join(prepared.refused)
    if target is not None:
        if may_write(target, sender_index):
            text = parsed.body or parsed.subject
            if notes:
                text = f"{text}\n\n{notes}".strip()
            case_services.receive_correspondence(
                target.pk, origin=origin, text=text or _("（邮件无正文）"), attachments=prepared.uploads
            )
            return _finish(row, Outcome.CORRESPONDENCE, case_id=target.pk, error=notes)
        # Someone else writing "about" a case by its number (or a forged In-Reply-To): their mail is
        # theirs, a new case, and nothing of it reaches the case they named.
        reason = "stranger_reply"
    description = "\n\n".join(p for p in (parsed.subject, parsed.body, notes) if p.strip()) or _("（邮件无主题和正文）")
    case = case_services.receive_case(
        case_services.RegisterInput(
            request_type="complaint",
            channel="email",
            description=description,
            received_at=None,
            complainant_name=_complainant(parsed),
            attachments=prepared.uploads,
            attachment_kind="electronic",
        ),
        origin=origin,
        customer=match_customer(parsed),
    )
    return _finish(row, Outcome.CASE, case_id=case.pk, reason=reason, error=notes)


def _complainant(parsed: ParsedMail) -> str:
    # The display name the sender gave, else the mailbox name: the address itself is personal data and
    # stays in the encrypted customer record.
    return (parsed.display_name or parsed.sender.partition("@")[0])[:100]


def _already_filed(message_id: str) -> tuple[int, str] | None:
    """The case a previous, interrupted handling of this message already wrote, by its event's reference."""
    event = (
        CaseEvent.objects.filter(
            type__in=("registered", "correspondence_received"),
            payload__via__adapter=ADAPTER,
            payload__via__reference=message_id,
        )
        .only("case_id", "type")
        .first()
    )
    if event is None:
        return None
    return event.case_id, Outcome.CASE if event.type == "registered" else Outcome.CORRESPONDENCE


def match_customer(parsed: ParsedMail) -> Customer | CustomerInput:
    """The customer the mail came from, by the blind index of the address: one record, that one; none,
    a new one with this address (to be answered by mail); several (a person registered twice, at two
    branches), the most recent — the last record made is the one the bank last checked with the
    person, and every one of them has this address, so answers reach the same mailbox either way."""
    found = Customer.objects.filter(email_index=crypto.address_index(parsed.sender)).order_by("-created_at", "-pk")
    customer = found.first()
    if customer is not None:
        return customer
    return CustomerInput(name=_complainant(parsed), email=parsed.sender, contact_channel="email")


def reply_target(parsed: ParsedMail) -> Case | None:
    """The case a reply belongs to: by the message it answers (one of our mails, or the customer's own
    earlier mail on a case), else by a case number in its subject."""
    if parsed.references:
        keys = [k for k in (_our_key(ref) for ref in parsed.references) if k]
        if keys:
            message = CustomerMessage.objects.filter(key__in=keys).select_related("case").first()
            if message is not None and message.case_id:
                return message.case
        earlier = (
            InboundMail.objects.filter(message_id__in=parsed.references, case__isnull=False)
            .select_related("case")
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            return earlier.case
    for number in rules.case_numbers_in(parsed.subject):
        case = Case.objects.filter(case_number=number).first()
        if case is not None:
            return case
    return None


def _our_key(msg_id: str) -> str:
    # The outbox writes <key@domain of the sender address> (notify.transports); any domain is accepted
    # here, since the sender setting may have changed since the mail went out: the key is a 128-bit
    # random value, so only our own mail names one.
    local, _, host = msg_id.rpartition("@")
    return rules.ours(msg_id, host) if local and host else ""


def may_write(case: Case, sender_index: str) -> bool:
    """Whether the sender may add to ``case``: the address of the case's customer, or the one the case
    was opened from. A case number in a subject is no proof of anything."""
    if case.customer_id is not None and case.customer is not None and case.customer.email_index == sender_index:
        return True
    return InboundMail.objects.filter(case_id=case.pk, outcome=Outcome.CASE, sender_index=sender_index).exists()


def prepare_files(attachments: Sequence[Attachment], raw: bytes, row: InboundMail) -> Prepared:
    """The raw message itself (evidence of what arrived, SPEC §9) and each attachment the evidence rules
    accept; for each one they refuse, a sentence saying which and why. The checks are those of
    ``cases.services.uploads`` made ahead, so one bad file does not refuse the whole mail."""
    out = Prepared()
    limit = settings.EVIDENCE_MAX_BYTES
    eml_name = f"{row.raw_sha256[:12]}.eml"
    if len(raw) <= limit and content_matches("message/rfc822", raw[:HEAD_BYTES]):
        out.uploads.append(Upload(eml_name, "message/rfc822", io.BytesIO(raw)))
    else:
        out.refused.append(_("原始邮件（%(size)s 字节）未作为证据附上，已保存在收件记录中。") % {"size": len(raw)})
    for index, attachment in enumerate(attachments):
        name = attachment.filename
        content_type = content_type_for(attachment.declared_type, name)
        why = ""
        if index >= MAX_ATTACHMENTS:
            why = _("附件超过 %(n)s 个") % {"n": MAX_ATTACHMENTS}
        elif not attachment.data:
            why = _("文件为空")
        elif len(attachment.data) > limit:
            why = _("文件 %(size)s 字节，超过 %(limit)s 字节的上限") % {"size": len(attachment.data), "limit": limit}
        else:
            try:
                check_type(content_type, name, field="attachments")
            except ValidationFailed:
                why = _("类型 %(type)s 不受理") % {"type": content_type}
            else:
                if not content_matches(content_type, attachment.data[:HEAD_BYTES]):
                    why = _("内容与类型 %(type)s 不符") % {"type": content_type}
        if why:
            out.refused.append(
                _("附件“%(name)s”未作为证据接收：%(why)s。原始邮件已保存。") % {"name": name[:100], "why": why}
            )
        else:
            out.uploads.append(Upload(name, content_type, io.BytesIO(attachment.data)))
    return out


def _finish(
    row: InboundMail, outcome: str, *, case_id: int | None = None, reason: str = "", error: str = ""
) -> InboundMail:
    row.outcome = outcome
    row.case_id = case_id
    row.reason = reason
    row.error = error
    row.attempts += 1
    row.save(update_fields=["outcome", "case", "reason", "error", "attempts"])
    return row


def quarantine(row: InboundMail, code: str, detail: str = "") -> InboundMail:
    """Kept aside for a person, with an alert to those who manage the mailbox (once per attempt)."""
    text = _(REASONS.get(code, code))
    if detail:
        text = f"{text}：{detail}"
    with transaction.atomic():
        _finish(row, Outcome.QUARANTINED, reason=code, error=text[:2000])
        notify_staff(
            mailbox_managers(),
            "mail_quarantined",
            _("一封来信已隔离，待处理：%(why)s") % {"why": text[:200]},
            key=f"mailin:{row.pk}:{row.attempts}",
            payload={"reason": code},
        )
    log.warning("inbound mail %s quarantined (%s)", row.pk, code)
    return row


def mailbox_managers() -> list[int]:
    """Staff who hold ``mail.manage`` over the intake unit (where mail lands)."""
    roles = [role.value for role, perms in ROLE_PERMISSIONS.items() if PERMISSION in perms]
    try:
        intake = case_services.intake_unit()
    except ServiceError:  # a misconfigured intake unit: the alert goes nowhere, the mail is still kept
        return []
    out = set()
    for a in RoleAssignment.objects.filter(role__in=roles).select_related("unit"):
        if a.unit.path == intake.path or (a.include_subtree and intake.path.startswith(a.unit.path)):
            out.add(a.staff_id)
    return sorted(out)


def may_manage(actor: Actor) -> bool:
    if not actor.has(PERMISSION):
        return False
    try:
        return actor.has(PERMISSION, case_services.intake_unit())
    except ServiceError:  # no organisation set up yet, or a misconfigured intake unit: nobody manages mail
        return False


def _managed(actor: Actor, mail_id: int) -> InboundMail:
    if not may_manage(actor):
        raise NotFound("not_found", "inbound mail not found")
    row = InboundMail.objects.filter(pk=mail_id).first()
    if row is None:
        raise NotFound("not_found", "inbound mail not found")
    return row


def retry_mail(actor: Actor, mail_id: int) -> InboundMail:
    """Process a quarantined (or stuck) message again, as it was stored: after a fix, a changed limit,
    or to see the same refusal again. Audited."""
    row = _managed(actor, mail_id)
    stuck = row.outcome == Outcome.RECEIVED and row.received_at < now() - STALE
    if row.outcome != Outcome.QUARANTINED and not stuck:
        raise Conflict("mailin.not_quarantined", "only a quarantined message can be processed again")
    record_audit(
        "mailin.retry",
        actor_id=actor.id,
        actor_role=actor.primary_role,
        object_type="mailin.inboundmail",
        object_id=str(row.pk),
        payload={"outcome": row.outcome, "reason": row.reason},
    )
    raw = _read_raw(row)
    try:
        parsed: ParsedMail | None = parse(raw)
        failure: Malformed | None = None
    except Malformed as exc:
        parsed, failure = None, exc
    return _process(row, raw, parsed, failure)


def dismiss_mail(actor: Actor, mail_id: int, reason: str = "") -> InboundMail:
    """A quarantined message that is no complaint (spam, a test): set aside for good, kept, audited."""
    row = _managed(actor, mail_id)
    if len(reason) > 500:
        raise ValidationFailed("too_long", "the reason is at most 500 characters", field="reason")
    with transaction.atomic():
        changed = InboundMail.objects.filter(pk=row.pk, outcome=Outcome.QUARANTINED).update(
            outcome=Outcome.DISMISSED, handled_by=actor.staff, handled_at=now()
        )
        if not changed:
            raise Conflict("mailin.not_quarantined", "only a quarantined message can be dismissed")
        record_audit(
            "mailin.dismiss",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="mailin.inboundmail",
            object_id=str(row.pk),
            reason=reason,
            payload={"reason_code": row.reason},
        )
    row.refresh_from_db()
    return row
