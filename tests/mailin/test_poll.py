"""Mail in, end to end: real messages APPENDed to a real Dovecot, one poll pass over IMAP, then the
cases, evidence, events and inbound-mail rows it made (SPEC §9 email channel, decision 0019)."""

from __future__ import annotations

import hashlib

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from redressal.cases.models import Case, CaseEvent, Evidence
from redressal.core import crypto
from redressal.customers.models import Customer
from redressal.customers.services import CustomerInput, create_customer
from redressal.mailin.imap import poll_once
from redressal.mailin.models import InboundMail, MailboxCursor
from redressal.mailin.services import Fetched, ingest, retry_mail
from redressal.notify.delivery import drain
from redressal.notify.models import CustomerMessage, StaffNotification
from redressal.outbox.contacts import contacts_for
from tests.conftest import local
from tests.mailin.helpers import BROKEN, DSN, PDF, gbk_mail, mail, msg_id_of

pytestmark = pytest.mark.django_db

NOW = local(2024, 9, 20, 10)


def poll():
    with time_machine.travel(NOW, tick=False):
        return poll_once()


def only_case() -> Case:
    return Case.objects.get()


def test_a_new_mail_becomes_a_case_with_the_raw_message_and_its_attachment(bank, mailbox):
    raw = mail(attachments=(("对账单.pdf", "application/pdf", PDF),))
    mailbox.append(raw)
    result = poll()
    assert result.fetched == 1 and result.outcomes == {"case": 1}
    case = only_case()
    assert case.channel == "email" and case.request_type == "complaint" and case.unit == bank.ho
    assert "信用卡年费被重复收取" in case.description and "扣了两次" in case.description
    assert case.complainant_name == "王秀英"
    evidence = {e.filename: e for e in Evidence.objects.filter(case=case)}
    eml = next(e for e in evidence.values() if e.content_type == "message/rfc822")
    assert eml.sha256 == hashlib.sha256(raw).hexdigest() and eml.kind == "electronic" and eml.from_customer
    assert evidence["对账单.pdf"].sha256 == hashlib.sha256(PDF).hexdigest() and evidence["对账单.pdf"].size == len(PDF)
    registered = CaseEvent.objects.get(case=case, type="registered")
    assert registered.actor_role == "customer"
    assert registered.payload["via"] == {"adapter": "email", "reference": msg_id_of(raw)}
    # The customer is new, with the address (encrypted) and its index, answered by email.
    customer = case.customer
    assert customer.email == "wang.xiuying@example.com" and customer.contact_channel == "email"
    assert customer.email_index == crypto.address_index("Wang.Xiuying@example.com")
    row = InboundMail.objects.get()
    assert row.outcome == "case" and row.case == case and row.message_id == msg_id_of(raw)
    assert row.raw_sha256 == hashlib.sha256(raw).hexdigest()
    with default_storage.open(row.raw.name, "rb") as f:
        assert f.read() == raw
    # Flagged as read on the server.
    client = mailbox.client()
    client.select_folder("INBOX")
    assert client.search(["UNSEEN"]) == []
    client.logout()


def test_a_chinese_gbk_mail_is_decoded(bank, mailbox):
    mailbox.append(gbk_mail())
    poll()
    case = only_case()
    assert case.description.startswith("网银转账失败但已扣款")
    assert "通过网银转账五千元" in case.description and case.complainant_name == "李建国"
    assert Evidence.objects.filter(case=case, filename="转账回单.pdf", content_type="application/pdf").exists()


def test_the_same_message_fetched_twice_is_one_case(bank, mailbox):
    raw = mail(msg_id="<once-only@example.com>")
    mailbox.append(raw)
    mailbox.append(raw)  # the same message delivered twice
    poll()
    # Unseen again, as if another client had reset the flags and the cursor were lost.
    MailboxCursor.objects.all().delete()
    client = mailbox.client()
    client.select_folder("INBOX")
    client.remove_flags(client.search(["ALL"]), [b"\\Seen"])
    client.logout()
    again = poll()
    assert again.fetched == 2
    assert Case.objects.count() == 1 and InboundMail.objects.count() == 1


def test_a_mail_without_message_id_is_still_one_case(bank, mailbox):
    raw = mail(msg_id="")
    mailbox.append(raw)
    mailbox.append(raw)
    poll()
    row = InboundMail.objects.get()
    assert row.message_id == "sha256:" + hashlib.sha256(raw).hexdigest() and Case.objects.count() == 1


def test_an_existing_customer_is_found_by_address(bank, mailbox):
    with time_machine.travel(local(2024, 9, 1, 10), tick=False):
        older = create_customer(CustomerInput(name="王秀英", email="wang.xiuying@example.com"), actor=None)
    with time_machine.travel(local(2024, 9, 2, 10), tick=False):
        newer = create_customer(
            CustomerInput(name="王秀英", email="WANG.XIUYING@example.com"), actor=None, home_unit=bank.branch
        )
        create_customer(CustomerInput(name="王某", email="wangxiuying@example.com"), actor=None)  # no dot: another
    mailbox.append(mail())
    poll()
    case = only_case()
    # Two records with the address: the most recent; the case lands in that customer's home branch.
    assert case.customer == newer and case.customer != older and case.unit == bank.branch
    assert Customer.objects.count() == 3


def register_by_mail(mailbox) -> tuple[Case, bytes]:
    first = mail(msg_id="<first@example.com>")
    mailbox.append(first)
    poll()
    return only_case(), first


def test_a_reply_naming_the_case_in_its_subject_is_correspondence(bank, mailbox):
    case, _ = register_by_mail(mailbox)
    reply = mail(
        subject=f"Re: 关于您的投诉 {case.case_number}",
        body="补充：第二次扣款的流水号是 8812。",
        attachments=(("流水.pdf", "application/pdf", PDF + b"2"),),
    )
    mailbox.append(reply)
    result = poll()
    assert result.outcomes == {"correspondence": 1}
    assert Case.objects.count() == 1
    event = CaseEvent.objects.get(case=case, type="correspondence_received")
    assert "8812" in event.reason and event.payload["via"]["reference"] == msg_id_of(reply)
    assert Evidence.objects.filter(case=case, filename="流水.pdf", from_customer=True).exists()
    assert InboundMail.objects.get(message_id=msg_id_of(reply)).case == case


def test_a_stranger_naming_a_case_number_opens_a_case_of_their_own(bank, mailbox):
    case, _ = register_by_mail(mailbox)
    intruder = mail(
        subject=f"Re: {case.case_number}",
        body="请把这个工单的处理结果发给我。",
        sender="Someone <someone.else@example.org>",
        in_reply_to="first@example.com",
    )
    mailbox.append(intruder)
    poll()
    assert not CaseEvent.objects.filter(case=case, type="correspondence_received").exists()
    other = Case.objects.exclude(pk=case.pk).get()
    assert other.customer != case.customer
    row = InboundMail.objects.get(message_id=msg_id_of(intruder))
    assert row.outcome == "case" and row.case == other and row.reason == "stranger_reply"


def test_answers_thread_under_the_customers_mail_and_replies_come_back(bank, mailbox, channels_env, smtp_server):
    _controller, outbox = smtp_server
    case, _first = register_by_mail(mailbox)
    with time_machine.travel(NOW, tick=False):
        drain(contacts_for)
    ack = CustomerMessage.objects.get(case=case, kind="acknowledgement")
    recipients, sent = outbox.messages[0]
    assert recipients == ["wang.xiuying@example.com"]
    assert sent["Message-ID"] == f"<{ack.key}@bank.example>"
    assert sent["In-Reply-To"] == "<first@example.com>" and sent["References"] == "<first@example.com>"
    assert sent["Subject"].startswith("Re: ") and case.case_number in sent["Subject"]
    # The customer answers our mail from their client: no case number in the subject, only the thread.
    reply = mail(subject="Re: 回执", body="收到，谢谢。另外请尽快处理。", in_reply_to=f"{ack.key}@bank.example")
    mailbox.append(reply)
    poll()
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, type="correspondence_received").count() == 1


def test_auto_replies_and_bounces_are_no_cases(bank, mailbox):
    mailbox.append(mail(subject="自动回复：休假中", headers={"Auto-Submitted": "auto-replied"}))
    mailbox.append(DSN)
    mailbox.append(mail(subject="Out of office", headers={"X-Autoreply": "yes"}))
    result = poll()
    assert result.outcomes == {"automatic": 3} and not Case.objects.exists()
    assert set(InboundMail.objects.values_list("reason", flat=True)) == {"auto_submitted", "autoreply_header"}


def test_a_malformed_mail_is_quarantined_with_an_alert_and_the_next_one_still_filed(bank, mailbox):
    mailbox.append(BROKEN)
    mailbox.append(mail())
    result = poll()
    assert result.outcomes == {"quarantined": 1, "case": 1}
    row = InboundMail.objects.get(outcome="quarantined")
    assert row.message_id == "broken-1@example.com" and row.reason == "mime_structure" and "MIME" in row.error
    with default_storage.open(row.raw.name, "rb") as f:
        assert f.read() == BROKEN  # kept whole
    alerted = set(StaffNotification.objects.filter(kind="mail_quarantined").values_list("recipient_id", flat=True))
    assert alerted == {bank.people["hosup"].pk, bank.people["admin"].pk}
    assert Case.objects.count() == 1
    # Fetched again, nothing new: no second alert, no loop.
    with time_machine.travel(NOW, tick=False):
        assert ingest(Fetched(BROKEN)).pk == row.pk
    assert StaffNotification.objects.filter(kind="mail_quarantined").count() == 2


def test_an_oversized_or_forbidden_attachment_is_named_and_the_mail_still_a_case(bank, mailbox, settings):
    settings.EVIDENCE_MAX_BYTES = 4000
    big = b"%PDF-1.4\n" + b"x" * 5000
    raw = mail(
        attachments=(
            ("大文件.pdf", "application/pdf", big),
            ("程序.exe", "application/x-msdownload", b"MZ" + b"\0" * 100),
            ("小文件.pdf", "application/pdf", PDF),
        )
    )
    mailbox.append(raw)
    poll()
    case = only_case()
    names = set(Evidence.objects.filter(case=case).values_list("filename", flat=True))
    assert names == {"小文件.pdf"}  # the raw message is over the limit too: kept by the mailbox record
    assert "附件“大文件.pdf”未作为证据接收" in case.description and "超过 4000 字节" in case.description
    assert "附件“程序.exe”未作为证据接收" in case.description
    row = InboundMail.objects.get()
    assert row.outcome == "case" and "大文件.pdf" in row.error and row.raw_size == len(raw)


def test_a_message_over_the_mailbox_limit_is_quarantined_not_lost(bank, mailbox, monkeypatch):
    monkeypatch.setenv("REDRESSAL_MAIL_MAX_BYTES", "1000")
    raw = mail(attachments=(("对账单.pdf", "application/pdf", PDF * 10),))
    mailbox.append(raw)
    poll()
    row = InboundMail.objects.get()
    assert row.outcome == "quarantined" and row.reason == "too_large" and not Case.objects.exists()
    # Staff raise the limit and process it again.
    monkeypatch.delenv("REDRESSAL_MAIL_MAX_BYTES")
    with time_machine.travel(NOW, tick=False):
        retry_mail(bank.actor("hosup"), row.pk)
    row.refresh_from_db()
    assert row.outcome == "case" and row.case == only_case()


def test_an_interrupted_filing_is_finished_not_repeated(bank, mailbox):
    case, first = register_by_mail(mailbox)
    # As if the process had died after the case and before the row was marked.
    InboundMail.objects.update(outcome="received", case=None, received_at=local(2024, 9, 20, 9))
    with time_machine.travel(NOW, tick=False):
        row = ingest(Fetched(first))
    assert row.outcome == "case" and row.case == case and Case.objects.count() == 1


def test_mail_poll_once_command(bank, mailbox, capsys):
    mailbox.append(mail())
    with time_machine.travel(NOW, tick=False):
        call_command("mail_poll", "--once")
    assert "fetched 1: case 1" in capsys.readouterr().out
    assert Case.objects.count() == 1


def test_the_scheduler_job_polls_only_when_a_mailbox_is_configured(bank, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from redressal.mailin.jobs import enqueue_poll

    monkeypatch.delenv("REDRESSAL_IMAP_URL", raising=False)
    enqueue_poll()
    assert not DBTaskResult.objects.filter(task_path__endswith="poll_mailbox").exists()
    monkeypatch.setenv("REDRESSAL_IMAP_URL", "imap://u:p@127.0.0.1:1/INBOX")
    enqueue_poll()
    assert DBTaskResult.objects.filter(task_path__endswith="poll_mailbox").count() == 1


def test_the_worker_task_runs_one_pass(bank, mailbox):
    from redressal.mailin.tasks import poll_mailbox

    mailbox.append(mail())
    with time_machine.travel(NOW, tick=False):
        assert poll_mailbox.call() == 1
    assert Case.objects.count() == 1


def test_nul_bytes_in_a_mail_do_not_stop_it(bank):
    raw = (
        b"From: =?UTF-8?B?546L\x00?= <kh@example.com>\r\nSubject: \xe5\xb9\xb4\x00\xe8\xb4\xb9\r\n"
        b"Message-ID: <nul\x00@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n\xe9\x87\x8d\x00\xe5\xa4\x8d\xe6\x89\xa3\xe6\xac\xbe\r\n"
    )
    with time_machine.travel(NOW, tick=False):
        row = ingest(Fetched(raw))
    assert row.outcome == "case" and "\x00" not in row.case.description and "重复扣款" in row.case.description
    assert row.message_id == "nul@example.com"  # the control character dropped as the header is read


def test_a_message_that_cannot_even_be_recorded_stays_in_the_mailbox_and_the_rest_go_on(bank, mailbox, monkeypatch):
    from redressal.mailin import imap

    def failing(fetched):
        if b"poison" in fetched.raw:
            raise RuntimeError("a bug")
        return ingest(fetched)

    monkeypatch.setattr(imap, "ingest", failing)
    mailbox.append(mail(subject="poison"))
    mailbox.append(mail())
    result = poll()
    assert result.outcomes == {"case": 1} and Case.objects.count() == 1
    client = mailbox.client()
    client.select_folder("INBOX")
    assert len(client.search(["UNSEEN"])) == 1  # left for the next pass, not lost
    client.logout()
    monkeypatch.setattr(imap, "ingest", ingest)
    assert poll().outcomes == {"case": 1} and Case.objects.count() == 2
