"""Generated requests against every operation of the OpenAPI schema, in process (SPEC §16: fuzzed input).

Schemathesis loads ``/api/v1/openapi.json`` from the WSGI application and sends positive and negative
cases to each operation as a supervisor. Half of the generated ``case_id``s are swapped for real cases
in different states, so bodies reach the services rather than stopping at a 404. No answer may be a
5xx, and every answer must have a documented status, content type and shape.
"""

from __future__ import annotations

import functools

import pytest
import schemathesis
import time_machine
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from redressal.cases import services as svc
from redressal.customers.services import CustomerInput
from tests.conftest import PASSWORD, local
from tests.flows import confirm_codes

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def clock():
    # A fixed day inside the synced calendar; ticking, so tokens and deadlines behave as in real use.
    with time_machine.travel(local(2024, 9, 10, 10), tick=True):
        yield


@pytest.fixture
def real_ids(bank, clock) -> dict[str, list[int]]:
    """Cases in several states, a task and a customer, for the generated ids to land on."""
    handler = bank.actor("handler")
    ids: list[int] = []
    for i, state in enumerate(["registered", "accepted", "investigating", "responded", "consultation"]):
        case = svc.register_case(
            svc.RegisterInput(
                request_type="consultation" if state == "consultation" else "complaint",
                channel="hotline",
                description=f"年费重复收取 {i}",
                customer=CustomerInput(name="王秀英", phone="13812345678", id_number="110101198001011234"),
                received_at=local(2024, 9, 9, 9),
            ),
            actor=bank.actor("agent"),
        )
        if state in ("accepted", "investigating", "responded"):
            svc.accept_case(case.pk, actor=handler, contact_channel="phone", contact_outcome="reached",
                            no_direct_interest=True)
            svc.open_task(case.pk, actor=handler, department_code="TECH", title="日志", request="请提供日志")
        if state in ("investigating", "responded"):
            svc.start_investigation(case.pk, actor=handler)
        if state == "responded":
            confirm_codes(case.pk, handler)
            routes = ["review", "mediation", "arbitration", "litigation"]
            svc.respond_to_case(case.pk, actor=handler, outcome="not_upheld", reasons="r", basis="b", remedy="",
                                notice=svc.Notice("phone", "答复", routes))
        ids.append(case.pk)
    from redressal.cases.models import Case, CollaborationTask

    return {
        "case_id": ids,
        "task_id": list(CollaborationTask.objects.values_list("pk", flat=True)),
        "customer_id": list(Case.objects.filter(pk__in=ids).values_list("customer_id", flat=True)),
    }


@pytest.fixture
def token(bank, client, clock, settings) -> str:
    settings.API_TOKEN_TTL_SECONDS = 400 * 86400
    r = client.post("/api/v1/auth/token", {"username": "supervisor1", "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    return r.json()["access_token"]


@functools.cache
def loaded_schema():
    """Loaded once: schemathesis caches its validators and canonical schemas on the loaded object."""
    from redressal.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def operations() -> list[tuple[str, str]]:
    from redressal.api.router import api

    return [(m.upper(), p) for p, ms in api.get_openapi_schema()["paths"].items() for m in ms]


OPERATIONS = operations()
# 30 examples per operation: valid requests go deeper into the services, so they get the larger share.
MODES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}


@pytest.mark.django_db(transaction=True)  # committed between requests, as in real use
@pytest.mark.parametrize("mode", list(MODES), ids=[m.value for m in MODES])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_never_answers_5xx(method, path, mode, token, real_ids):
    operation = loaded_schema()[path][method]
    auth = {"Authorization": f"Bearer {token}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MODES[mode], derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def run(case):
        for name, pool in real_ids.items():
            generated = (case.path_parameters or {}).get(name)
            if isinstance(generated, int) and generated % 2 == 0 and pool:
                case.path_parameters[name] = pool[generated // 2 % len(pool)]
        case.call_and_validate(headers=auth, checks=CHECKS)

    run()


@pytest.mark.django_db
def test_locked_out_login_answers_in_the_error_shape(bank, client):
    """django-axes' lockout (found by the run above as an undocumented plain-text 429)."""
    statuses = [
        client.post("/api/v1/auth/token", {"username": "handler1", "password": "wrong-password"},
                    content_type="application/json").status_code
        for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 429]  # AXES_FAILURE_LIMIT = 5
    r = client.post("/api/v1/auth/token", {"username": "handler1", "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 429
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["error"]["code"] == "locked_out"
    from redressal.api.router import api

    documented = api.get_openapi_schema()["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "429" in {str(code) for code in documented}


@pytest.mark.django_db
def test_text_search_answers(bank, client, token, real_ids):
    """Found by the run above on PostgreSQL: any ``q`` but four digits gave a 500 (a NUL sentinel in SQL)."""
    auth = {"Authorization": f"Bearer {token}"}
    for q, count in (("年费重复收取 3", 1), ("年费", 5), ("5678", 5), ("TS2024", 5), ("nothing-like-it", 0)):
        r = client.get("/api/v1/cases", {"q": q}, headers=auth)
        assert r.status_code == 200, (q, r.content)
        assert r.json()["count"] == count, q


@pytest.mark.django_db
def test_odd_but_valid_times_are_not_server_errors(bank, client, token, real_ids):
    """Found by the run above: an offset beyond ±15:59 (PostgreSQL's limit) and a date before any
    profile was in force both gave 500s. A day outside 1900–2999 is refused, naming the field."""
    auth = {"Authorization": f"Bearer {token}"}
    r = client.get("/api/v1/cases", {"received_from": "1944-05-16T16:00:48-18:13"}, headers=auth)
    assert r.status_code == 200, r.content
    assert r.json()["count"] == 5
    r = client.get("/api/v1/cases", {"received_from": "1344-05-16T16:00:48-18:13"}, headers=auth)
    assert r.status_code == 422, r.content
    assert r.json()["error"]["field"] == "received_from"
    body = {"request_type": "complaint", "channel": "hotline", "description": "x", "complainant_name": "张三"}
    r = client.post("/api/v1/cases", {**body, "received_at": "2024-09-08T10:00:00-18:13"},
                    content_type="application/json", headers=auth)
    assert r.status_code == 201, r.content
    assert r.json()["received_at"] == "2024-09-09T12:13:00+08:00"
    r = client.post("/api/v1/cases", {**body, "received_at": "1928-05-30T19:35:44Z"},
                    content_type="application/json", headers=auth)
    assert r.status_code == 422, r.content
    assert r.json()["error"] == {"code": "no_profile", "message": "no profile is in force on 1928-05-30",
                                 "field": "received_at"}
    r = client.post("/api/v1/cases", {**body, "received_at": "0001-01-01T00:00:00+05:00"},
                    content_type="application/json", headers=auth)
    assert r.status_code == 422, r.content
