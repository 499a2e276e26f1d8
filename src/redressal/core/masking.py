"""How personal data looks to people who may not see it (SPEC §13)."""

from __future__ import annotations

from redressal.domain.pii_numbers import NUMBER, classify_number


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


def mask_email(value: str | None) -> str:
    """``z***@example.com``: the first letter and the domain, enough to tell which address was used."""
    if not value:
        return ""
    local, sep, domain = value.strip().partition("@")
    return f"{local[:1]}***{sep}{domain}" if sep else mask_address(value)


def mask_date(value: str | None) -> str:
    if not value:
        return ""
    return value[:4] + "-**-**"


def _mask_number(raw: str) -> str | None:
    """The masked form of one run of digits, or None when it is none of the personal numbers
    (``domain.pii_numbers``: ID, mobile, card)."""
    found = classify_number(raw)
    if found is None:
        return None
    kind, value = found
    if kind == "id":
        return mask_id_number(value)
    if kind == "mobile":
        return mask_phone(value)
    return "****" + value[-4:]


def mask_text(text: str | None) -> str:
    """``text`` with every ID, mobile and card number in it masked (139****7654, 1101**********1234,
    ****1234); everything else unchanged."""
    if not text:
        return text or ""
    return NUMBER.sub(lambda m: _mask_number(m.group(0)) or m.group(0), text)


def has_personal_numbers(text: str | None) -> bool:
    return bool(text) and mask_text(text) != text
