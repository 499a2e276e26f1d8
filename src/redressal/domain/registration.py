"""Rules on who may bring a complaint, checked when it is registered."""

from __future__ import annotations

from collections.abc import Sequence

from redressal.domain.errors import DomainError

# 原银保监会令2020年第3号 Art 12: a complaint made jointly and in person names its representatives,
# no more than five of them.
MAX_REPRESENTATIVES = 5


def check_representatives(names: Sequence[str]) -> None:
    if len(names) > MAX_REPRESENTATIVES:
        raise DomainError(
            "too_many_representatives",
            f"at most {MAX_REPRESENTATIVES} representatives (Art 12)",
            field="representatives",
        )
