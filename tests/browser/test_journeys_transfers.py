"""Regulator transfers and the call pop in the browser: a supervisor uploads a regulator's list, reads the
preview and imports it; an agent answers a call and the pop appears on the page they are on."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from redressal.cases.models import Case
from redressal.cti.services import parse_call, receive_call
from tests.transfers.test_import import nfra_row, xlsx


def test_a_supervisor_imports_a_regulator_list(bank, as_user, tmp_path):
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d")
    path = tmp_path / "12378转办清单.xlsx"
    path.write_bytes(
        xlsx(
            [nfra_row("J-1", 转办日期=yesterday), nfra_row("J-1", 转办日期=yesterday), nfra_row("J-2", 转办日期="某天")]
        )
    )
    sup = as_user("supervisor1")
    sup.goto("/transfers/")
    sup.page.select_option("select[name=unit]", "BJ")
    sup.page.set_input_files("input[name=file]", str(path))
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=transfers-upload] button[type=submit]")
    rows = sup.text("[data-testid=transfers-rows]")
    assert "可导入" in rows and "文件内重复" in rows and "「转办日期」日期格式无法识别" in rows
    sup.shot("preview")
    with sup.page.expect_navigation():
        sup.page.click("[data-testid=transfers-confirm]")
    case = Case.objects.get(regulator_case_number="J-1")
    assert case.case_number in sup.text("[data-testid=transfers-rows]")
    sup.shot("report")


def test_the_agent_who_answers_sees_the_pop(bank, as_user):
    agent = as_user("agent1")
    agent.goto("/register/")
    with override_settings(CTI_SECRET="x"):
        receive_call(
            parse_call(
                {
                    "call_id": "b1",
                    "event": "answered",
                    "caller": "13977776666",
                    "agent": "agent1",
                    "at": timezone.now().isoformat(),
                }
            )
        )
    agent.goto("/register/")  # the panel loads with the page (and is polled after)
    agent.page.wait_for_selector("[data-testid=call-pop]")
    assert "139****6666" in agent.text("[data-testid=call-pop]")
    agent.shot("pop")
    with agent.page.expect_navigation():
        agent.page.click("[data-testid=call-pop-register]")
    assert agent.page.input_value("input[name=cust_phone]") == "13977776666"
