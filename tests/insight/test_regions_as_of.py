"""The regulatory report's "by region" of a closed period counts each unit in the region it had at the
period's end (decision 0015): a unit moved to another region later leaves the filed figures alone."""

from __future__ import annotations

import pytest
import time_machine

from redressal.domain.reporting import Period
from redressal.insight.models import UnitRegion
from redressal.insight.regions import regions_at
from redressal.insight.regulatory import compute, figure_facts, whole_bank
from tests.conftest import local
from tests.insight.test_report_access import _complaint

pytestmark = pytest.mark.django_db
Q3 = Period(2026, 3)


def _move(unit, region: str, at) -> None:
    with time_machine.travel(at, tick=False):
        unit.region = region
        unit.save()


def test_a_closed_quarter_counts_a_unit_in_the_region_it_had_then(bank):
    UnitRegion.objects.filter(unit=bank.branch).delete()  # the fixture's units were saved today
    _move(bank.branch, "华北", local(2026, 6, 1, 9))
    _complaint(bank, local(2026, 7, 8, 10))
    _complaint(bank, local(2026, 8, 3, 10))
    _move(bank.branch, "京津冀", local(2026, 10, 9, 9))
    _move(bank.branch, "京津冀", local(2026, 10, 10, 9))  # saved again, region unchanged: no new version
    assert list(
        UnitRegion.objects.filter(unit=bank.branch).order_by("valid_from").values_list("region", flat=True)
    ) == [
        "华北",
        "京津冀",
    ]

    with time_machine.travel(local(2026, 11, 2, 10), tick=False):
        report = compute(whole_bank(), Q3)
        assert [(r["region"], r["count"]) for r in report["by_region"]] == [("华北", 2)]
        assert {u["code"]: u["region"] for u in report["by_unit"]} == {"BJ": "华北"}
        assert figure_facts(whole_bank(), Q3, "region", "华北").count() == 2
        assert figure_facts(whole_bank(), Q3, "region", "京津冀").count() == 0
        # Today the unit is in its new region; before its first version it had the first one recorded.
        assert regions_at([bank.branch.pk], local(2026, 11, 2, 10)) == {bank.branch.pk: "京津冀"}
        assert regions_at([bank.branch.pk], local(2025, 1, 1, 10)) == {bank.branch.pk: "华北"}
