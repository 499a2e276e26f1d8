"""Full-text search over cases through the selector the web list and the API use (SQLite and PostgreSQL)."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from redressal.cases import services as svc
from redressal.cases.models import Case
from redressal.core.clock import now
from redressal.core.errors import ValidationFailed
from redressal.core.querysets import capped_count
from redressal.customers.services import CustomerInput
from redressal.search.models import SearchDoc
from redressal.search.selectors import case_list, terms
from tests.conftest import PASSWORD, local
from tests.flows import accept

pytestmark = pytest.mark.django_db

TEXTS = {
    "fee": "信用卡年费被重复收取两次，要求退还。",
    "atm": "客户在自助银行ATM取款，机器吞卡后未出钞，账户却已扣款。",
    "wealth": "客户称理财经理推荐的理财产品被说成保本，到期亏损，要求赔偿。",
    "transfer": "本人用手机银行给他行账户转账，页面显示转账失败但资金未退回。",
    "english": "I transferred money via the mobile app but it never arrived; please trace the payment.",
}


def register(bank, description: str, *, name: str = "王秀英", phone: str = "13812341234", by: str = "agent", **kw):
    data = svc.RegisterInput(
        request_type="complaint",
        channel="hotline",
        description=description,
        customer=CustomerInput(name=name, phone=phone, id_number="110101195001011234"),
        **kw,
    )
    return svc.register_case(data, actor=bank.actor(by))


@pytest.fixture
def cases(bank):
    with time_machine.travel(local(2024, 9, 20, 10, 0), tick=False):
        out = {key: register(bank, text) for key, text in TEXTS.items()}
        out["phone"] = register(bank, "储蓄卡被冻结。", name="李建国", phone="13900005678")
    return out


def found(bank, q: str, who: str = "handler") -> set[int]:
    with time_machine.travel(local(2024, 9, 21, 10, 0), tick=False):
        return set(case_list(bank.actor(who), q=q, now=now()).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("q", "keys"),
    [
        ("年费", {"fee"}),
        ("信用卡", {"fee"}),
        ("吞卡", {"atm"}),
        ("理财", {"wealth"}),  # also inside 理财产品 and 理财经理
        ("理财产品", {"wealth"}),
        ("转账", {"transfer"}),
        ("手机银行 转账 失败", {"transfer"}),
        ("信用卡 年费", {"fee"}),
        ("信用卡年费", {"fee"}),
        ("atm", {"atm"}),
        ("ATM", {"atm"}),
        ("payment", {"english"}),
        ("transfer", {"english"}),  # a Latin word matches as a prefix: transferred
        ("年費", {"fee"}),  # traditional characters find simplified text
        ("信用卡 年費", {"fee"}),
        ("李建国", {"phone"}),
        ("信用卡 吞卡", set()),  # AND, not OR
        ("贷款", set()),
    ],
)
def test_words_find_their_cases(bank, cases, q, keys):
    assert found(bank, q) == {cases[k].pk for k in keys}


def test_phone_tail_and_full_width_digits(bank, cases):
    assert found(bank, "5678") == {cases["phone"].pk}
    assert found(bank, "５６７８") == {cases["phone"].pk}  # full-width digits fold to ASCII (NFKC)
    assert found(bank, "1390000") == set()  # the full phone is never indexed, only its last four digits
    doc = SearchDoc.objects.get(case=cases["phone"])
    assert "13900005678" not in doc.ids + doc.words and "110101195001011234" not in doc.ids + doc.words


def test_case_number_whole_prefix_and_case_insensitive(bank, cases):
    number = cases["atm"].case_number  # TS20240920BJ000n
    assert found(bank, number) == {cases["atm"].pk}
    assert found(bank, number.lower()) == {cases["atm"].pk}
    assert found(bank, "TS20240920BJ") == {c.pk for c in cases.values()}


def test_regulator_case_number(bank):
    with time_machine.travel(local(2024, 9, 20, 10, 0), tick=False):
        case = register(
            bank,
            "信用卡年费争议。",
            source="regulator_forwarded",
            regulator="12378",
            regulator_case_number="JR-2024-778899",
        )
    assert found(bank, "778899") == {case.pk}
    assert found(bank, "JR-2024-778899") == {case.pk}


def test_scope_is_respected(bank, cases):
    from redressal.org.services import create_staff, create_unit

    sh = create_unit("SH", "上海分行", "branch", bank.ho)
    bank.people["shagent"] = create_staff("shagent", PASSWORD, sh, ["agent"])
    bank.people["shhandler"] = create_staff("shhandler", PASSWORD, sh, ["handler"])
    with time_machine.travel(local(2024, 9, 20, 11, 0), tick=False):
        other = register(bank, "上海分行的信用卡年费投诉。", by="shagent", unit_code="SH")
    assert other.unit.code == "SH"
    assert other.pk not in found(bank, "年费", who="handler")  # a Beijing handler
    assert found(bank, "年费", who="shhandler") == {other.pk}
    assert found(bank, "年费", who="senior") == {cases["fee"].pk, other.pk}  # head office sees the whole bank


def test_a_note_added_later_becomes_findable(bank, cases):
    case = cases["fee"]
    assert found(bank, "滞纳金") == set()
    with time_machine.travel(local(2024, 9, 20, 11, 0), tick=False):
        accept(case.pk, bank.actor("handler"))
        svc.start_investigation(case.pk, actor=bank.actor("handler"))
        svc.add_note(case.pk, actor=bank.actor("handler"), text="经查另有一笔滞纳金，已提交减免申请。")
    assert found(bank, "滞纳金") == {case.pk}
    assert found(bank, "年费 滞纳金") == {case.pk}  # description and note together


def test_merged_case_number_finds_the_target(bank, cases):
    with time_machine.travel(local(2024, 9, 20, 11, 0), tick=False):
        repeat = register(bank, "重复来电：信用卡年费。")
        svc.merge_case(repeat.pk, actor=bank.actor("sup"), into_case_number=cases["fee"].case_number)
    assert found(bank, repeat.case_number) == {repeat.pk, cases["fee"].pk}


def test_punctuation_only_finds_nothing_and_blank_finds_all(bank, cases):
    assert terms("？！。，") == []
    assert found(bank, "？！") == set()
    assert found(bank, "   ") == {c.pk for c in cases.values()}


def test_operators_are_not_interpreted(bank, cases):
    # FTS5 / tsquery syntax in the box is plain text, never an error or an injection.
    for q in ['"年费', "年费 OR 吞卡", "年费 & !吞卡", "NEAR(年费", "'); DROP TABLE x; --", "a:*", "*"]:
        found(bank, q)
    assert found(bank, "年费 OR 吞卡") == set()  # "or" is one more word to match


def test_bad_input_is_a_validation_error(bank, cases):
    with pytest.raises(ValidationFailed):
        terms("年费\x00")
    with pytest.raises(ValidationFailed):
        terms("年" * 201)


def test_capped_count(bank, cases):
    qs = case_list(bank.actor("handler"), q="TS", now=now())
    assert capped_count(qs, cap=3) == (3, True)
    assert capped_count(qs, cap=100) == (len(cases), False)


def test_reindex_rebuilds_and_is_idempotent(bank, cases):
    SearchDoc.objects.all().delete()
    assert found(bank, "年费") == set()
    out = StringIO()
    call_command("search_reindex", "--batch", "2", stdout=out)
    assert f"indexed {len(cases)} of {len(cases)} cases" in out.getvalue()
    before = {d.case_id: (d.words, d.ids) for d in SearchDoc.objects.all()}
    assert found(bank, "年费") == {cases["fee"].pk}
    call_command("search_reindex", stdout=StringIO())
    assert {d.case_id: (d.words, d.ids) for d in SearchDoc.objects.all()} == before
    assert found(bank, "年费") == {cases["fee"].pk}
    assert found(bank, "吞卡") == {cases["atm"].pk}  # the FTS index holds each document once


def test_reindex_resumes_with_missing(bank, cases):
    SearchDoc.objects.filter(case=cases["atm"]).delete()
    out = StringIO()
    call_command("search_reindex", "--missing", stdout=out)
    assert "indexed 1 of 1 cases" in out.getvalue()
    assert found(bank, "吞卡") == {cases["atm"].pk}
    assert SearchDoc.objects.count() == Case.objects.count()


def test_document_copies_follow_the_case(bank, cases):
    # Registration sets the decision deadline after the first event; a merge closes the case.
    def same(case: Case) -> None:
        case.refresh_from_db()
        doc = SearchDoc.objects.get(case=case)
        for name in ("unit_id", "assignee_id", "closed_at", "decision_due_at", "priority", "received_at"):
            assert getattr(doc, name) == getattr(case, name), name

    same(cases["fee"])
    assert cases["fee"].decision_due_at is not None
    with time_machine.travel(local(2024, 9, 20, 11, 0), tick=False):
        accept(cases["atm"].pk, bank.actor("handler"))
        svc.merge_case(cases["transfer"].pk, actor=bank.actor("sup"), into_case_number=cases["fee"].case_number)
    same(cases["atm"])
    same(cases["transfer"])
    assert SearchDoc.objects.get(case=cases["atm"]).assignee_id == bank.people["handler"].pk


def test_search_keeps_the_queue_order(bank, cases):
    with time_machine.travel(local(2024, 9, 21, 10, 0), tick=False):
        got = list(case_list(bank.actor("handler"), q="TS2024", now=now()))
        plain = list(case_list(bank.actor("handler"), now=now()))

    # Search sorts its matches by the queue order on the document's copies (cases.ordering.queue_order:
    # open first, nearest deadline, priority, newest received), which has no urgency column; the plain
    # list's order puts urgent cases first. Same cases; each list in its own order.
    def key(c: Case) -> tuple:
        return (c.closed_at is not None, c.decision_due_at, c.priority, -c.received_at.timestamp())

    assert {c.pk for c in got} == {c.pk for c in plain}
    assert [key(c) for c in got] == sorted(key(c) for c in got)


def test_reindex_resumes_after_an_id(bank, cases):
    ordered = sorted(c.pk for c in cases.values())
    SearchDoc.objects.filter(case_id__gt=ordered[2]).delete()
    out = StringIO()
    call_command("search_reindex", "--start-after", str(ordered[2]), "--batch", "1", stdout=out)
    assert f"indexed {len(ordered) - 3} of {len(ordered) - 3} cases" in out.getvalue()
    assert SearchDoc.objects.count() == len(ordered)


@pytest.mark.sqlite_only
def test_console_script_alias_and_bad_batch(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "REDRESSAL_DATA_DIR": str(tmp_path)}
    env.pop("REDRESSAL_DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "redressal.cli", *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, check=False)

    assert run("migrate", "-v", "0").returncode == 0
    ok = run("search-reindex", "--batch", "500")
    assert ok.returncode == 0 and "indexed 0 of 0 cases" in ok.stdout
    bad = run("search-reindex", "--batch", "0")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


@pytest.mark.parametrize("q", ["手机银行 转账 失败", "信用卡 年费", "信用卡 吞卡", "transfer payment"])
def test_every_plan_of_a_multi_word_search_finds_the_same_cases(bank, cases, monkeypatch, q):
    """On PostgreSQL a bounded count of the matches chooses how a multi-word search is written (dense:
    walk the queue order; sparse: the GIN matches first; a count: the plain condition). Whatever it
    chooses, the same cases are found; on SQLite there is one plan and the forms do not apply."""
    from django.db import connection

    from redressal.search import selectors

    expected = found(bank, q)
    forms = {}
    for name, share, least in (("dense", 0.0, 1), ("sparse", 1.0, 10**9)):
        monkeypatch.setattr(selectors, "DENSE_SHARE", share)
        monkeypatch.setattr(selectors, "DENSE_MIN", least)
        assert found(bank, q) == expected
        with time_machine.travel(local(2024, 9, 21, 10, 0), tick=False):
            qs = case_list(bank.actor("handler"), q=q, now=now())
            counted = case_list(bank.actor("handler"), q=q, now=now(), counting=True)
            assert capped_count(counted, 100) == (len(expected), False)
        forms[name] = str(qs.query)
    if connection.vendor == "postgresql":
        assert "COALESCE" in forms["dense"] if expected else "ANY(ARRAY" in forms["dense"]
        assert "ANY(ARRAY" in forms["sparse"]
        assert "COALESCE" not in str(counted.query) and "ANY(ARRAY" not in str(counted.query)
