"""Mails as customers' clients write them, for the mail-in tests and the bench."""

from __future__ import annotations

import base64
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.conftest import local

SENDER = "王秀英 <wang.xiuying@example.com>"
PDF = b"%PDF-1.4\n% a statement\n" + b"0" * 200


def mail(
    subject: str = "信用卡年费被重复收取",
    body: str = "我的信用卡年费在九月被扣了两次，请退还一次。",
    *,
    sender: str = SENDER,
    msg_id: str | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    headers: dict[str, str] | None = None,
    in_reply_to: str = "",
) -> bytes:
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = sender
    m["To"] = "kefu@bank.example"
    m["Subject"] = subject
    m["Date"] = format_datetime(local(2024, 9, 20, 9, 30))
    if msg_id != "":
        m["Message-ID"] = msg_id or make_msgid(domain="example.com")
    if in_reply_to:
        m["In-Reply-To"] = f"<{in_reply_to}>"
        m["References"] = f"<{in_reply_to}>"
    for name, value in (headers or {}).items():
        m[name] = value
    m.set_content(body)
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return m.as_bytes()


def msg_id_of(raw: bytes) -> str:
    from email import message_from_bytes

    return str(message_from_bytes(raw, policy=policy.default)["Message-ID"]).strip("<> ")


def gbk_mail(msg_id: str = "gbk-1@mail.163.com") -> bytes:
    """What a Chinese webmail writes: GBK body in 8 bits, an RFC 2047 GBK subject, a GBK file name."""
    subject = "=?GBK?B?" + base64.b64encode("网银转账失败但已扣款".encode("gbk")).decode() + "?="
    filename = "=?GBK?B?" + base64.b64encode("转账回单.pdf".encode("gbk")).decode() + "?="
    body = "您好：我于九月十九日通过网银转账五千元，显示失败，但账户已扣款。请核查。".encode("gbk")
    return (
        b"From: =?GBK?B?" + base64.b64encode("李建国".encode("gbk")) + b"?= <li.jianguo@163.com>\r\n"
        b"To: kefu@bank.example\r\n"
        b"Subject: " + subject.encode() + b"\r\n"
        b"Message-ID: <" + msg_id.encode() + b">\r\n"
        b"Date: Fri, 20 Sep 2024 09:30:00 +0800\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="==b=="\r\n\r\n'
        b"--==b==\r\n"
        b"Content-Type: text/plain; charset=GB2312\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body + b"\r\n"
        b"--==b==\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="' + filename.encode() + b'"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(PDF) + b"\r\n"
        b"--==b==--\r\n"
    )


DSN = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
    b"To: kefu@bank.example\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <dsn-1@mx.example.com>\r\n"
    b"Auto-Submitted: auto-replied\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
    b"--r\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
    b"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n"
    b"Final-Recipient: rfc822; kh@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    b"--r--\r\n"
)

BROKEN = (
    b"From: someone@example.com\r\n"
    b"Subject: broken\r\n"
    b"Message-ID: <broken-1@example.com>\r\n"
    b'Content-Type: multipart/mixed; boundary="never-there"\r\n\r\n'
    b"This body has no part boundaries at all, though the header promised some.\r\n"
)
