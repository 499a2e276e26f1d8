"""Registration with a first-contact answer through the API: one command with the registration
(decision 0013), so a refused answer leaves no case behind."""

from __future__ import annotations

from redressal.cases.models import Case, CaseEvent


def test_the_api_answers_a_consultation_in_its_registration(bank, api_as):
    api = api_as("agent1")
    r = api.post(
        "/cases",
        {
            "request_type": "consultation",
            "channel": "hotline",
            "description": "咨询转账到账时间",
            "complainant_name": "孙八",
            "answer": "跨行转账一般两小时内到账。",
        },
    )
    assert r.status_code == 201, r.content
    case = Case.objects.get(case_number=r.json()["case_number"])
    assert "answered" in list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert case.closed_at is not None


def test_an_answer_the_lifecycle_refuses_stores_no_registration(bank, api_as):
    """A complaint is not closed by a first-contact answer: the whole registration is refused, so an
    answer cannot be used to register a complaint and close it unhandled."""
    cases = Case.objects.count()
    r = api_as("agent1").post(
        "/cases",
        {
            "request_type": "complaint",
            "channel": "hotline",
            "description": "信用卡被盗刷",
            "complainant_name": "周九",
            "answer": "已处理",
        },
    )
    assert 400 <= r.status_code < 500, r.content
    assert Case.objects.count() == cases
