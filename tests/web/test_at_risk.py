"""At risk (临近超时) means one thing: the queue's filter, the team page's list and the workload counts
agree case for case (``cases.selectors_risk``, SPEC §5)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case, DeadlineWarning
from redressal.cases.selectors_risk import at_risk
from redressal.cases.selectors_team import workload
from redressal.cases.services.warnings import sweep_warnings
from tests.conftest import local
from tests.flows import accept
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"TS\d{8}[A-Z]+\d+")
CHECK = local(2024, 10, 3, 12)  # the moment every list below is read


def accepted(bank, received):
    with time_machine.travel(received, tick=False):
        case = register(bank)
        accept(case.pk, bank.actor("handler"))
    return case


def extend(bank, case, at):
    with time_machine.travel(at, tick=False):
        svc.extend_deadline(case.pk, actor=bank.actor("sup"), level=1, reason="复杂", justification="多方调查")


@pytest.fixture
def fixture_set(bank):
    """Cases at every stage of the decision clock at CHECK, made in time order. The worker last ran on
    10-01 00:00, so warnings that came after it have not been sent."""
    cases = {}
    # extended on 09-15 to 30 days from receipt, due 10-06 00:00; 80 % of that came 09-29 21:12
    cases["extended"] = accepted(bank, local(2024, 9, 5, 10))
    # due 09-26 00:00: overdue at CHECK, which is its own list
    cases["overdue"] = accepted(bank, local(2024, 9, 10, 10))
    extend(bank, cases["extended"], local(2024, 9, 15, 10))
    # due 10-04 00:00, its 80 % (09-30 21:12) sent; extended on 10-02 to due 10-19 00:00, whose
    # half-time (10-03 17:00) is still to come: a warning of the old due moment no longer counts
    cases["extended_early"] = accepted(bank, local(2024, 9, 18, 10))
    # due 10-06 00:00; 80 % came 10-02 21:12 (not sent: the worker lags), "2 days before" not yet
    cases["at_80"] = accepted(bank, local(2024, 9, 20, 10))
    # due 10-11 00:00; only the half-time warning (10-03 05:00) has come
    cases["at_50"] = accepted(bank, local(2024, 9, 25, 10))
    with time_machine.travel(local(2024, 10, 1), tick=False):
        sweep_warnings()
    extend(bank, cases["extended_early"], local(2024, 10, 2, 10))
    decision_80 = DeadlineWarning.objects.filter(deadline_kind="decision", label="80%")
    assert decision_80.get(case=cases["extended_early"], due_at=local(2024, 10, 4)).fired_at is not None
    assert decision_80.get(case=cases["at_80"]).fired_at is None
    return cases


def numbers(html: str) -> set[str]:
    return set(NUMBER.findall(html))


def queue_at_risk(client, path: str = "/") -> set[str]:
    return numbers(client.get(path, {"at_risk": "on"}).content.decode())


def team_at_risk(client) -> set[str]:
    body = client.get("/team/").content.decode()
    return numbers(body.split('data-testid="at-risk"')[1].split("</table>")[0])


def test_queue_and_team_page_agree_on_the_cases_at_risk(client, bank, fixture_set):
    expected = {fixture_set["at_80"].case_number, fixture_set["extended"].case_number}
    with time_machine.travel(CHECK, tick=False):
        login(client, "supervisor1")
        listed, team = queue_at_risk(client), team_at_risk(client)
        client.logout()
        login(client, "handler1")
        mine = queue_at_risk(client, "/queue/")
        counts = {w.staff.username: w.at_risk for w in workload(bank.actor("sup"), CHECK)}
    assert listed == team == mine == expected
    assert counts["handler1"] == len(expected)


def test_a_warning_counts_once_its_moment_has_come_though_the_worker_has_not_sent_it(bank, fixture_set):
    case = fixture_set["at_80"]
    warning = DeadlineWarning.objects.get(case=case, deadline_kind="decision", label="80%")
    assert warning.fire_at <= CHECK and warning.fired_at is None
    assert at_risk(Case.objects.filter(pk=case.pk), CHECK).exists()
    assert not at_risk(Case.objects.filter(pk=case.pk), warning.fire_at - timedelta(seconds=1)).exists()


def test_half_time_overdue_and_an_earlier_due_moment_are_not_at_risk(bank, fixture_set):
    risky = set(at_risk(Case.objects.all(), CHECK).values_list("pk", flat=True))
    for name in ("at_50", "overdue", "extended_early"):
        assert fixture_set[name].pk not in risky, name


def test_a_decided_case_is_no_longer_at_risk(bank, fixture_set):
    case = fixture_set["at_80"]
    Case.objects.filter(pk=case.pk).update(decided_at=local(2024, 10, 3, 9))
    assert not at_risk(Case.objects.filter(pk=case.pk), CHECK).exists()


def test_a_profile_with_other_fractions_is_read_by_its_own_settings(bank, test_90_profile):
    received = local(2024, 9, 20, 0)  # due 10-06 00:00: 75 % at 10-02 00:00, 90 % at 10-04 09:36
    with time_machine.travel(received, tick=False):
        case = test_90_profile(register(bank), received)
    labels = set(DeadlineWarning.objects.filter(case=case, deadline_kind="decision").values_list("label", flat=True))
    assert labels == {"50%", "75%", "90%", "1d", "breach"}
    one = Case.objects.filter(pk=case.pk)
    assert not at_risk(one, local(2024, 10, 3, 12)).exists()  # 75 % has come: still an early warning
    assert at_risk(one, local(2024, 10, 4, 12)).exists()  # 90 % has come
