"""The API's case list sorts as the workbench lists do: overdue first, then P1 and regulator transfers."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import local
from tests.web.test_queue import overdue_regulator_scenario

pytestmark = pytest.mark.django_db


def test_the_api_case_list_has_the_same_default_order(bank, api_as):
    older, transfer, upcoming = overdue_regulator_scenario(bank)
    with time_machine.travel(local(2024, 10, 20, 10), tick=False):
        items = api_as("supervisor1").get("/cases").json()["items"]
    numbers = [i["case_number"] for i in items]
    assert numbers[0] == transfer.case_number
    assert numbers.index(upcoming.case_number) > max(numbers.index(c.case_number) for c in older)
