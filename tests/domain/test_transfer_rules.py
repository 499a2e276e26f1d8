"""Pure rules of regulator transfer lists and of the CTI signature (no database)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from redressal.domain.cti import check_signature, signature
from redressal.domain.errors import DomainError
from redressal.domain.transfers import (
    ALREADY,
    DUPLICATE,
    ERROR,
    OK,
    MappingError,
    judge,
    missing_headers,
    parse_mapping,
    parse_row,
)

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, tzinfo=SH)
RAW = {
    "key": "t",
    "regulator": "12378",
    "title": "测试",
    "columns": {
        "编号": "regulator_case_number",
        "内容": "description",
        "转办日期": "forwarded_at",
        "业务": "product",
        "诉求": "demand",
        "金额": "amount",
    },
    "values": {"product": {"信用卡": "信用卡"}, "demand": {"退款": "refund"}},
}


def row(**cells: object):
    base = {"编号": "N1", "内容": "扣费", "转办日期": "2026-03-09", "业务": "信用卡", "诉求": "退款"}
    base.update(cells)
    return parse_row(parse_mapping(RAW), 2, base, NOW)


def test_a_good_row():
    r = row(金额="1,200.50")
    assert not r.errors
    assert r.fields["forwarded_at"] == datetime(2026, 3, 9, tzinfo=SH) == r.fields["received_at"]
    assert r.fields["demand"] == ["refund"] and str(r.fields["amount"]) == "1200.50"
    assert r.fields["request_type"] == "complaint"


def test_a_spreadsheet_date_and_a_numeric_case_number():
    r = row(编号=20260309001.0, 转办日期=date(2026, 3, 9))
    assert r.key == "20260309001" and r.fields["forwarded_at"].tzinfo is not None


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        ({"转办日期": "三月九日"}, "转办日期", "bad_date"),
        ({"转办日期": "2026-04-01"}, "转办日期", "future_time"),
        ({"转办日期": "1980-01-01"}, "转办日期", "too_early"),
        ({"业务": "火星业务"}, "业务", "unknown_value"),
        ({"诉求": "退款、上天"}, "诉求", "unknown_value"),
        ({"金额": "-5"}, "金额", "bad_amount"),
        ({"金额": "abc"}, "金额", "bad_amount"),
        ({"内容": " "}, "内容", "required"),
        ({"编号": "x" * 65}, "编号", "too_long"),
    ],
)
def test_errors_name_the_regulators_column(cells, column, code):
    errors = row(**cells).errors
    assert [(e.column, e.code) for e in errors] == [(column, code)]


def test_judge_marks_duplicates_and_rows_already_imported():
    rows = [row(), row(编号="N2"), row(), row(编号="N3", 内容="")]
    assert [j.status for j in judge(rows, {"N2"})] == [OK, ALREADY, DUPLICATE, ERROR]


def test_mapping_refusals_name_the_key():
    with pytest.raises(MappingError, match="regulator"):
        parse_mapping({**RAW, "regulator": "XYZ"})
    with pytest.raises(MappingError, match="unknown field"):
        parse_mapping({**RAW, "columns": {**RAW["columns"], "其他": "nonsense"}})
    with pytest.raises(MappingError, match="required"):
        parse_mapping({**RAW, "columns": {"编号": "regulator_case_number"}})
    with pytest.raises(MappingError, match="demand"):
        parse_mapping({**RAW, "values": {"demand": {"退款": "money"}}})
    assert missing_headers(parse_mapping(RAW), ["编号", "内容"]) == ["转办日期"]


def test_signature_rules():
    body = b'{"a": 1}'
    good = signature("k", "1000", body)
    check_signature("k", "1000", body, good, 1000 + 300)
    for ts, sig, now, rule in (
        ("1000", "0" * 64, 1000, "signature.invalid"),
        ("1000", good, 1000 + 301, "signature.stale"),
        ("1000", good, 1000 - 301, "signature.stale"),
        ("", good, 1000, "signature.timestamp_missing"),
        ("1000", "", 1000, "signature.missing"),
    ):
        with pytest.raises(DomainError) as exc:
            check_signature("k", ts, body, sig, now)
        assert exc.value.rule == rule


def test_the_regulator_reply_clock():
    from redressal.domain.deadlines import ClockEvent, DeadlineInput, compute_deadlines
    from redressal.domain.profiles import load_profile
    from tests.domain.cn_2024 import calendar_2024

    profile, cal = load_profile("CN-2020-3"), calendar_2024()
    assert profile.regulator_reply_days == 15
    received = datetime(2024, 9, 20, 10, tzinfo=SH)
    forwarded = datetime(2024, 9, 18, 9, tzinfo=SH)
    inp = DeadlineInput(
        received_at=received, kind_of_case="complaint", regulator_forwarded=True, forwarded_at=forwarded
    )
    reply = next(d for d in compute_deadlines(profile, cal, inp, received) if d.kind == "regulator_reply")
    # 15 days from 09-18 (not counted): 24:00 of 10-03, in National Day: the legal end rolls to 10-08.
    assert reply.due_at == datetime(2024, 10, 4, tzinfo=SH) and reply.state == "running"
    assert reply.legal_due_at == datetime(2024, 10, 9, tzinfo=SH)
    told = DeadlineInput(
        received_at=received,
        kind_of_case="complaint",
        regulator_forwarded=True,
        forwarded_at=forwarded,
        events=(ClockEvent("notify_decision", datetime(2024, 10, 2, tzinfo=SH)),),
    )
    assert (
        next(d for d in compute_deadlines(profile, cal, told, received) if d.kind == "regulator_reply").state == "met"
    )
    plain = DeadlineInput(received_at=received, kind_of_case="complaint")
    assert [d.kind for d in compute_deadlines(profile, cal, plain, received)] == ["first_contact", "decision"]
