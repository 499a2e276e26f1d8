"""The people's wording of the domain's refusals. The domain speaks English codes and messages (it knows
no Django); where a staff page shows the refusal, it reads this, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from redressal.core.errors import ServiceError, ValidationFailed
from redressal.domain.authority import MAX_MONEY, MAX_PROPOSAL_ITEMS
from redressal.domain.dates import EARLIEST_DAY, LATEST_DAY
from redressal.domain.errors import DomainError
from redressal.domain.registration import DEMANDS, REGULATOR_RECORDS_FROM


def _texts() -> dict[tuple[str, str | None], str]:
    return {
        ("future_time", "forwarded_at"): _("监管转办时间不能晚于当前时间"),
        ("future_time", "regulator_received_at"): _("监管收到时间不能晚于当前时间"),
        ("regulator_received_at.too_early", "regulator_received_at"): _("监管收到时间不能早于 %(day)s"),
        ("forwarded_at.too_early", "forwarded_at"): _("监管转办时间不能早于 %(day)s"),
        ("birth_date.future", "customer.birth_date"): _("出生日期不能晚于今天"),
        ("birth_date.future", "customer.id_number"): _("证件号中的出生日期晚于今天，请核对证件号"),
        ("too_many", "demand"): _("诉求最多 %(n)s 项"),
        ("duplicate", "demand"): _("每项诉求只能选择一次"),
        ("compensation.too_many_items", "items"): _("一个方案最多 %(items)s 个补偿项目"),
        ("compensation.total_too_large", "items"): _("补偿项目合计超过可记录的上限 %(max)s 元"),
    }


def refusal(exc: DomainError, error: type[ServiceError] = ValidationFailed) -> ServiceError:
    """The domain's refusal as a service error, worded for people where a wording exists."""
    params: dict[str, Any] = {
        "day": REGULATOR_RECORDS_FROM.isoformat(),
        "n": len(DEMANDS),
        "items": MAX_PROPOSAL_ITEMS,
        "max": f"{MAX_MONEY:,}",
        "start": EARLIEST_DAY.isoformat(),
        "end": LATEST_DAY.isoformat(),
    }
    if exc.rule == "date.out_of_range":
        return error(exc.rule, _("日期须在 %(start)s 至 %(end)s 之间") % params, field=exc.field)
    text = _texts().get((exc.rule, exc.field))
    return error(exc.rule, text % params if text else exc.message, field=exc.field)
