"""A customer's own cases through the public API: submit with attachments, follow, add material,
download the notice, rate, request a review, withdraw — and nothing of anyone else's, nothing internal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent, Evidence
from redressal.core.clock import now
from redressal.customers.models import Customer
from tests.flows import accept, accept_and_respond
from tests.portal.conftest import PHONE, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOTE = "内部备注：客户经理私下承认操作失误"


def pdf(name: str = "回单.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def submit(customer, **extra):
    data = {"business": "credit_card", "description": "信用卡年费未经同意被扣", "amount": "300.00"}
    data.update(extra)
    return customer.multipart("/cases", data)


def test_a_known_customer_submits_with_attachments_and_sees_status_and_deadline(bank, known, me):
    r = submit(me, demand=["refund", "apology"], attachments=[pdf(), pdf("第二页.pdf")])
    assert r.status_code == 201, r.content
    body = r.json()
    case = Case.objects.get(case_number=body["case_number"])
    assert case.customer == known and case.unit == bank.branch  # the record the phone belongs to
    assert case.channel == "online_banking" and case.product == "信用卡"
    assert case.demand == ["refund", "apology"] and str(case.amount) == "300.00"
    assert body["status"] == "registered" and body["status_label"]
    assert body["deadline"] is not None and body["files"] == ["回单.pdf", "第二页.pdf"]
    assert Evidence.objects.filter(case=case, from_customer=True).count() == 2
    first = case.events.order_by("seq").first()
    assert first.actor_role == "customer" and first.payload["via"]["adapter"] == "portal"
    listed = me.get("/cases").json()
    assert [c["case_number"] for c in listed] == [case.case_number]
    assert listed[0]["deadline"] == body["deadline"]


def test_a_phone_the_bank_does_not_know_becomes_a_customer_with_the_given_name(bank):
    newcomer = sign_in("13700137000")
    r = submit(newcomer)
    assert r.status_code == 422 and r.json()["error"]["field"] == "name"
    assert not Case.objects.exists()
    r = submit(newcomer, name="赵敏", channel="mobile_banking")
    assert r.status_code == 201, r.content
    customer = Customer.objects.get()
    assert customer.name == "赵敏" and customer.phone == "13700137000"
    assert Case.objects.get().channel == "mobile_banking"


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"business": "yacht"}, "business"),
        ({"description": ""}, "description"),
        ({"amount": "-1"}, "amount"),
        ({"channel": "hotline"}, "channel"),
        ({"demand": ["world_peace"]}, "demand"),
    ],
)
def test_bad_input_is_refused_naming_the_field_with_nothing_written(bank, known, me, extra, field):
    r = submit(me, **extra)
    assert 400 <= r.status_code < 500 and r.json()["error"]["field"] == field, r.content
    assert not Case.objects.exists()


def test_an_oversized_attachment_is_refused_with_nothing_written(bank, known, me, settings):
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    big = PDF + b"0" * (settings.EVIDENCE_MAX_BYTES + 1)
    r = submit(me, attachments=[pdf(), pdf("大文件.pdf", big)])
    assert r.status_code == 422 and r.json()["error"] == {
        "code": "file_size",
        "message": r.json()["error"]["message"],
        "field": "attachments",
    }
    assert not Case.objects.exists() and not Evidence.objects.exists()
    case = Case.objects.get(case_number=submit(me).json()["case_number"])
    events = case.events.count()
    r = me.multipart(f"/cases/{case.case_number}/material", {"text": "补充", "attachments": [pdf("大.pdf", big)]})
    assert r.status_code == 422 and r.json()["error"]["field"] == "attachments"
    assert case.events.count() == events and not Evidence.objects.filter(case=case).exists()


def test_a_wrong_file_type_is_refused(bank, known, me):
    r = submit(me, attachments=[SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/x-msdownload")])
    assert r.status_code == 422 and r.json()["error"]["field"] == "attachments"
    assert not Case.objects.exists()


def _decided(bank, me):
    """A case the customer filed, accepted and decided by staff through the services."""
    number = submit(me).json()["case_number"]
    case = Case.objects.get(case_number=number)
    handler = bank.actor("handler")
    svc.assign_case(case.pk, actor=bank.actor("sup"), assignee="handler1")
    accept_and_respond(case.pk, handler)
    svc.add_note(case.pk, actor=handler, text=NOTE)
    return number


def test_the_timeline_is_customer_safe(bank, known, me):
    bank.people["handler"].display_name = "客服小李"
    bank.people["handler"].save()
    number = _decided(bank, me)
    case = Case.objects.get(case_number=number)
    body = me.get(f"/cases/{number}")
    assert body.status_code == 200
    text = body.content.decode()
    detail = body.json()
    assert detail["status"] == "responded" and detail["has_notice"] and detail["can_rate"]
    assert detail["handler"] == "客服小李"
    bank.people["handler"].display_name = "handler1"  # the default: the login name, never shown
    bank.people["handler"].save()
    assert me.get(f"/cases/{number}").json()["handler"] == ""
    labels = [e["label"] for e in detail["timeline"]]
    assert len(labels) >= 3  # registered, accepted, responded
    # Never: notes, triage, staff user names, internal ids, the supervisor, the unit's code.
    assert NOTE not in text
    assert CaseEvent.objects.filter(case=case, type="note_added").exists()
    assert CaseEvent.objects.filter(case=case, type__in=["triaged", "assigned"]).exists()
    for secret in ("handler1", "supervisor1", "priority", "risk_flags", "classification", "triage", "P3", "北京分行"):
        assert secret not in text, secret
    shown = {e["label"] for e in detail["timeline"]}
    assert not shown & {"智能分诊", "分派", "调查记录"}


def test_notice_rate_and_review_through_the_case_services(bank, known, me):
    number = _decided(bank, me)
    r = me.get(f"/cases/{number}/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content if r.streaming else [r.content]).startswith(b"%PDF")
    r = me.post(f"/cases/{number}/rating", {"score": 2, "comment": "不认可"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "closed" and r.json()["rating"] == 2
    closed = CaseEvent.objects.get(case__case_number=number, type="closed")
    assert closed.actor is None and closed.actor_role == "customer"
    assert closed.payload["feedback"] == "dissatisfied" and closed.payload["via"]["adapter"] == "portal"
    # Rated once: the lifecycle refuses a second rating, as for staff.
    again = me.post(f"/cases/{number}/rating", {"score": 5})
    assert again.status_code == 400 and again.json()["error"]["code"] == "lifecycle.invalid_transition"
    r = me.post(f"/cases/{number}/review", {"reason": "处理结果不合理，申请核查"})
    assert r.status_code == 201, r.content
    review = Case.objects.get(case_number=r.json()["case_number"])
    assert review.kind == "review" and review.review_of.case_number == number and review.registered_by is None
    requested = CaseEvent.objects.get(case__case_number=number, type="review_requested")
    assert requested.actor_role == "customer"
    assert r.json()["review_of"] == number
    assert {c["case_number"] for c in me.get("/cases").json()} == {number, review.case_number}


def test_a_review_after_the_window_is_refused_by_the_rule(bank, known, me):
    number = _decided(bank, me)
    with time_machine.travel(now() + timedelta(days=120), tick=False):
        later = sign_in(PHONE)  # the old session has long ended
        assert not later.get(f"/cases/{number}").json()["can_request_review"]
        r = later.post(f"/cases/{number}/review", {"reason": "晚了"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "review.out_of_time"
    assert not Case.objects.filter(kind="review").exists()


def test_withdraw_and_material(bank, known, me):
    number = submit(me).json()["case_number"]
    r = me.multipart(f"/cases/{number}/material", {"text": "补充交易截图", "attachments": [pdf("截图.pdf")]})
    assert r.status_code == 200, r.content
    assert "补充交易截图" in [e["text"] for e in r.json()["timeline"]]
    r = me.post(f"/cases/{number}/withdraw", {"reason": "问题已解决"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    event = CaseEvent.objects.get(case__case_number=number, type="withdrawn")
    assert event.actor_role == "customer" and event.payload["via"]["adapter"] == "portal"
    r = me.post(f"/cases/{number}/withdraw", {})
    assert r.status_code == 400 and r.json()["error"]["code"] == "lifecycle.invalid_transition"


def test_rating_before_a_decision_is_refused_by_the_lifecycle(bank, known, me):
    number = submit(me).json()["case_number"]
    accept(Case.objects.get(case_number=number).pk, bank.actor("handler"))
    r = me.post(f"/cases/{number}/rating", {"score": 5})
    assert r.status_code == 400 and r.json()["error"]["code"] == "lifecycle.invalid_transition"
    assert me.get(f"/cases/{number}/notice.pdf").json()["error"]["code"] == "no_notice"
    r = me.post(f"/cases/{number}/rating", {"score": 9})
    assert r.status_code == 422 and r.json()["error"]["field"] == "score"


ENDPOINTS = [
    ("get", "/cases/{n}", None),
    ("get", "/cases/{n}/notice.pdf", None),
    ("multipart", "/cases/{n}/material", {"text": "我不是本人"}),
    ("post", "/cases/{n}/rating", {"score": 5}),
    ("post", "/cases/{n}/review", {"reason": "核查"}),
    ("post", "/cases/{n}/withdraw", {}),
]


@pytest.mark.parametrize("method,path,body", ENDPOINTS)
def test_another_customers_case_is_not_found_exactly_like_no_case(bank, known, me, stranger, method, path, body):
    number = _decided(bank, me)
    case = Case.objects.get(case_number=number)
    before = (case.version, case.events.count(), Evidence.objects.count())

    def call(who, n):
        fn = getattr(who, method)
        return fn(path.format(n=n), body) if body is not None else fn(path.format(n=n))

    theirs = call(stranger, number)
    none = call(stranger, "NOPE-20990101-9999")
    assert theirs.status_code == none.status_code == 404
    assert theirs.json() == none.json()
    assert theirs.json()["error"]["code"] == "not_found"
    case.refresh_from_db()
    assert (case.version, case.events.count(), Evidence.objects.count()) == before
    assert stranger.get("/cases").json() == []


def test_every_case_endpoint_needs_a_token(bank, known, me):
    number = submit(me).json()["case_number"]
    from django.test import Client

    anonymous = Client()
    for method, path, _body in [*ENDPOINTS, ("get", "/cases", None), ("post", "/cases", None)]:
        verb = "post" if method == "multipart" else method
        r = getattr(anonymous, verb)(f"/api/v1/public{path.format(n=number)}")
        assert r.status_code == 401, (method, path)


def test_a_staff_token_opens_nothing_here(bank, known, me, client):
    from tests.conftest import PASSWORD

    r = client.post("/api/v1/auth/token", {"username": "admin", "password": PASSWORD}, content_type="application/json")
    staff = r.json()["access_token"]
    assert client.get("/api/v1/public/cases", headers={"Authorization": f"Bearer {staff}"}).status_code == 401
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {me.token}"}).status_code == 401


# The public API's own matrix: every documented operation is here, with who may call it. A new
# endpoint without a row fails, as the staff API's permission matrix does.
PUBLIC_OPERATIONS = {
    "POST /otp": "anyone",
    "POST /session": "anyone",
    "DELETE /session": "signed-in customer",
    "GET /cases": "signed-in customer (their own)",
    "POST /cases": "signed-in customer",
    # The assistant answers anyone (limited per address); a signed-in customer's conversation is theirs.
    "POST /assistant/ask": "anyone",
    "POST /assistant/feedback": "anyone",
    **{
        f"{'POST' if m == 'multipart' else m.upper()} {p.replace('{n}', '{case_number}')}": "the case's customer"
        for m, p, _b in ENDPOINTS
    },
}


def test_every_public_operation_is_in_the_table_and_refused_to_others():
    from redressal.api.public import public_api

    documented = {
        f"{method.upper()} {path.removeprefix('/api/v1/public')}"
        for path, methods in public_api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    assert documented == set(PUBLIC_OPERATIONS)
    # The case endpoints are exactly those refused to another customer and to nobody above.
    assert {k for k, v in PUBLIC_OPERATIONS.items() if v == "the case's customer"} == {
        f"{'POST' if m == 'multipart' else m.upper()} {p.replace('{n}', '{case_number}')}" for m, p, _b in ENDPOINTS
    }
