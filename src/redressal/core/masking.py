"""How personal data looks to people who may not see it (SPEC §13)."""

from __future__ import annotations


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * max(len(digits) - 2, 0) + digits[-2:]
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    v = value.strip()
    if len(v) <= 8:
        return "*" * len(v)
    return f"{v[:4]}{'*' * (len(v) - 8)}{v[-4:]}"


def mask_card(value: str | None) -> str:
    if not value:
        return ""
    v = value.replace(" ", "")
    return f"**** **** **** {v[-4:]}" if len(v) >= 4 else "****"


def mask_address(value: str | None) -> str:
    if not value:
        return ""
    return value[:6] + "****"


def mask_date(value: str | None) -> str:
    if not value:
        return ""
    return value[:4] + "-**-**"
