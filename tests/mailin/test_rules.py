"""The pure mail rules (domain/mail.py): what a machine sent, which case a subject names, Message-IDs."""

from __future__ import annotations

import pytest

from redressal.domain import mail as rules


@pytest.mark.parametrize(
    ("headers", "content_type", "sender", "reason"),
    [
        ({"auto-submitted": "auto-replied"}, "text/plain", "a@b.cn", "auto_submitted"),
        ({"auto-submitted": "auto-generated; owner-email=x@y"}, "text/plain", "a@b.cn", "auto_submitted"),
        ({}, "multipart/report", "a@b.cn", "delivery_report"),
        ({"x-autoreply": "yes"}, "text/plain", "a@b.cn", "autoreply_header"),
        ({"precedence": "Bulk"}, "text/plain", "a@b.cn", "precedence"),
        ({"precedence": "auto_reply"}, "text/plain", "a@b.cn", "precedence"),
        ({}, "text/plain", "MAILER-DAEMON@mx.example.cn", "daemon_sender"),
        ({"return-path": "<>"}, "text/plain", "a@b.cn", "null_sender"),
    ],
)
def test_machines_are_recognised(headers, content_type, sender, reason):
    assert rules.automatic(headers, content_type, sender) == rules.Verdict(True, reason)


@pytest.mark.parametrize(
    "headers", [{}, {"auto-submitted": "no"}, {"precedence": "first-class"}, {"return-path": "<kh@qq.com>"}]
)
def test_a_person_is_not_a_machine(headers):
    assert not rules.automatic(headers, "multipart/mixed", "kh@qq.com").automatic


def test_case_numbers_in_a_subject():
    assert rules.case_numbers_in("Re: 关于您的投诉 TS20240920BJ010001") == ["TS20240920BJ010001"]
    assert rules.case_numbers_in("回复：ts20240920HO0012 与 TS20240920HO0012、TS20240921BJ0003") == [
        "TS20240920HO0012",
        "TS20240921BJ0003",
    ]
    assert rules.case_numbers_in("订单 XTS20240920BJ0001 和 TS2024092BJ0001") == []


def test_message_ids_are_kept_without_brackets():
    assert rules.message_id("  <abc.123@mail.qq.com> ") == "abc.123@mail.qq.com"
    assert rules.message_id("") == "" and rules.message_id("no id here") == ""
    assert rules.message_ids(["<a@x>", "<b@y> <a@x>\r\n <c@z>"]) == ["a@x", "b@y", "c@z"]
    assert rules.is_synthetic(rules.synthetic_id("ab" * 32)) and not rules.is_synthetic("a@x")


def test_our_message_ids_carry_the_outbox_key():
    key = "0123456789abcdef0123456789abcdef"
    assert rules.ours(f"{key}@bank.example", "bank.example") == key
    assert rules.ours(f"{key}@other.example", "bank.example") == ""
    assert rules.ours("abc@bank.example", "bank.example") == ""


def test_reply_subject_never_doubles():
    assert rules.reply_subject("关于您的投诉 TS20240920BJ010001") == "Re: 关于您的投诉 TS20240920BJ010001"
    assert rules.reply_subject("Re: x") == "Re: x" and rules.reply_subject("回复：x") == "回复：x"


def test_control_characters_make_no_message_id():
    assert rules.message_id("<a\x00b@x>") == "" and rules.message_id("a\x01b@x") == ""
