"""Personal data at rest, in events, in logs and through the API (SPEC §13).

ID numbers, phone numbers, card numbers, addresses and birth dates are encrypted in the database, never
copied in clear into events or logs, shown masked to roles without ``pii.view``, and revealed only
through ``POST /customers/{id}/reveal``, which is audited.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.cases.models import CaseEvent
from redressal.customers.models import Customer
from redressal.customers.services import CustomerInput
from tests.api.conftest import Api
from tests.conftest import PASSWORD, local

PHONE = "13812345678"
ID_NUMBER = "110101198001011234"
BIRTH_DATE = "1980-01-01"  # derived from the ID number
CARD = "6222021234567890123"
ADDRESS = "北京市朝阳区建国路88号"
PLAINTEXTS = (PHONE, ID_NUMBER, BIRTH_DATE, CARD, ADDRESS)

NOW = local(2024, 9, 10, 10, 0)


def register(bank):
    return svc.register_case(
        svc.RegisterInput(
            request_type="complaint",
            channel="hotline",
            description="信用卡年费被重复收取两次，要求退还。",
            customer=CustomerInput(name="王秀英", phone=PHONE, id_number=ID_NUMBER, card_number=CARD, address=ADDRESS),
        ),
        actor=bank.actor("agent"),
    )


@pytest.fixture
def api_as(bank, client, settings):
    settings.API_TOKEN_TTL_SECONDS = 400 * 86400

    def login(username: str) -> Api:
        r = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json")
        assert r.status_code == 200, r.content
        return Api(client, r.json()["access_token"])

    return login


class RawRecords(logging.Handler):
    """Every record as logged, before any handler's filter (the PII scrubber masks in place) sees it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.texts.append((record.name, text))


@pytest.fixture
def raw_log(caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own config holds "django" at INFO
    handler = RawRecords()
    root = logging.getLogger()
    root.handlers.insert(0, handler)
    yield handler
    root.removeHandler(handler)


def leaks(text: str) -> list[str]:
    return [p for p in PLAINTEXTS if p in text]


def every_row_as_text() -> dict[str, str]:
    """Each table's rows, every column rendered as text, straight from the database."""
    out = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = "\n".join(repr(row) for row in cur.fetchall())
    return out


@pytest.mark.django_db(transaction=True)
def test_no_plaintext_in_the_database(bank):
    with time_machine.travel(NOW, tick=False):
        case = register(bank)
        svc.accept_case(
            case.pk, actor=bank.actor("handler"), contact_channel="phone", contact_outcome="reached",
            no_direct_interest=True,
        )
    customer = Customer.objects.get(pk=case.customer_id)
    assert (customer.phone, customer.id_number, customer.card_number, customer.birth_date, customer.address) == (
        PHONE, ID_NUMBER, CARD, BIRTH_DATE, ADDRESS,
    )  # the model decrypts …

    with connection.cursor() as cur:  # … the row holds ciphertext and keyed indexes only
        cur.execute(
            "SELECT phone, id_number, card_number, birth_date, address, phone_index, phone_tail, card_tail "
            "FROM customers_customer WHERE id = %s",
            [customer.pk],
        )
        phone, id_number, card, birth, address, phone_index, phone_tail, card_tail = cur.fetchone()
    for sealed in (phone, id_number, card, birth, address):
        assert sealed.startswith("v1:"), sealed
    assert len({phone, id_number, card, birth, address}) == 5
    assert len(phone_index) == 64 and PHONE not in phone_index
    assert (phone_tail, card_tail) == ("5678", "0123")

    rows = every_row_as_text()
    assert "customers_customer" in rows and "cases_caseevent" in rows
    found = {table: leaks(text) for table, text in rows.items() if leaks(text)}
    assert found == {}, f"plaintext personal data in the database: {found}"

    for payload in CaseEvent.objects.filter(case=case).values_list("payload", flat=True):
        assert leaks(json.dumps(payload, ensure_ascii=False)) == []

    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(FULL)")
            busy, _, _ = cur.fetchone()
        assert busy == 0
        name = Path(connection.settings_dict["NAME"])
        files = [p for p in (name, Path(f"{name}-wal")) if p.exists()]
        blob = b"".join(p.read_bytes() for p in files)
        assert "王秀英".encode() in blob  # the name is not encrypted: the file was read and is current
        for p in PLAINTEXTS:
            assert p.encode() not in blob, f"{p!r} is in the database file"
    elif connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cur.fetchone()[0]:
                pytest.skip("reading relation files needs a superuser")
            cur.execute("CHECKPOINT")
            blob = b""
            for table in ("customers_customer", "cases_caseevent", "cases_case", "audit_auditevent"):
                cur.execute("SELECT pg_read_binary_file(pg_relation_filepath(%s))", [table])
                blob += bytes(cur.fetchone()[0])
        assert "王秀英".encode() in blob
        for p in PLAINTEXTS:
            assert p.encode() not in blob, f"{p!r} is in a relation file"


@pytest.mark.django_db
def test_api_masks_reveals_with_audit_and_logs_nothing(bank, api_as, settings, raw_log):
    settings.DEBUG = True  # SQL and its parameters are logged too (django.db.backends at DEBUG)
    with time_machine.travel(NOW, tick=False):
        agent, handler, head = api_as("agent1"), api_as("handler1"), api_as("branchhead1")
        r = agent.post(
            "/cases",
            {
                "request_type": "complaint",
                "channel": "hotline",
                "description": "信用卡年费被重复收取两次，要求退还。",
                "customer": {"name": "王秀英", "phone": PHONE, "id_number": ID_NUMBER, "card_number": CARD,
                             "address": ADDRESS},
            },
        )
        assert r.status_code == 201, r.content
        case = r.json()
        # A refused registration that carries the same data, to exercise the error paths' logging.
        bad = agent.post("/cases", {"request_type": "complaint", "channel": "pigeon", "description": "x",
                                    "customer": {"name": "王秀英", "phone": PHONE, "id_number": ID_NUMBER}})
        assert bad.status_code == 422

        detail = handler.get(f"/cases/{case['id']}").json()
        assert detail["customer"]["phone"] == "138****5678"
        assert detail["customer"]["id_number"] == "1101**********1234"
        assert detail["customer"]["card_number"] == "**** **** **** 0123"
        assert "address" not in detail["customer"] and "birth_date" not in detail["customer"]
        assert leaks(json.dumps(detail, ensure_ascii=False)) == []
        assert leaks(json.dumps(handler.get(f"/cases/{case['id']}/events").json(), ensure_ascii=False)) == []
        assert leaks(json.dumps(handler.get("/cases", q="5678").json(), ensure_ascii=False)) == []
        handler.post(f"/cases/{case['id']}/accept",
                     {"contact_channel": "phone", "contact_outcome": "reached", "no_direct_interest": True})

        customer_id = detail["customer"]["id"]
        audits = AuditEvent.objects.filter(type="pii.reveal")
        # No pii.view: refused, and nothing is recorded as revealed.
        r = handler.post(f"/customers/{customer_id}/reveal", {"field": "phone", "reason": "回电核实"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
        assert audits.count() == 0
        # A reason is required even with pii.view.
        assert head.post(f"/customers/{customer_id}/reveal", {"field": "phone", "reason": " "}).status_code == 422
        assert audits.count() == 0

        revealed = {}
        for field in ("phone", "id_number", "card_number", "address", "birth_date"):
            r = head.post(f"/customers/{customer_id}/reveal", {"field": field, "reason": "回电核实身份"})
            assert r.status_code == 200, r.content
            revealed[field] = r.json()["value"]
    assert revealed == {"phone": PHONE, "id_number": ID_NUMBER, "card_number": CARD, "address": ADDRESS,
                        "birth_date": BIRTH_DATE}

    assert audits.count() == 5
    first = audits.order_by("seq").first()
    assert first.actor.username == "branchhead1"
    assert first.actor_role == "branch_head"
    assert first.object_type == "customer"
    assert first.object_id == Customer.objects.get(pk=customer_id).customer_no
    assert first.payload == {"field": "phone"}
    assert first.reason == "回电核实身份"
    for a in audits:
        assert leaks(json.dumps([a.reason, a.payload, a.object_id], ensure_ascii=False)) == []

    names = {name for name, _ in raw_log.texts}
    assert {"django.db.backends", "django.request"} <= names, f"the check is blind: only {names}"
    for name, text in raw_log.texts:
        assert leaks(text) == [], f"{name}: {text[:300]}"
