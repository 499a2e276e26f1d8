"""How personal data looks to people who may not see it (SPEC §13)."""

from __future__ import annotations

import re
from datetime import date


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


# Numbers typed into free text (a description, a note, a reply): a mainland resident ID (GB 11643-1999,
# 18 characters with its check digit, or the older 15 digits), a mainland mobile number, a bank card
# number (16–19 digits passing the Luhn check). People group them as they type ("6222 0212 3456 7890",
# "139-1234-5678", "+86 139…"); a run glued to letters or further digits is left alone (a transaction
# reference is not a phone number).
_NUMBER = re.compile(
    r"""(?<![0-9A-Za-z+])(?:\+86[ -]?)?(?:
        [0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{1,3})?   # a card in groups of four
      | 1[3-9][0-9][ -][0-9]{4}[ -][0-9]{4}             # a mobile as 3-4-4
      | [0-9]{11,19}[Xx]?                                 # one unbroken run
    )(?![0-9A-Za-z])""",
    re.VERBOSE,
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _id_check_ok(value: str) -> bool:
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def _id_ok(value: str) -> bool:
    # The check digit, or failing it (a digit mistyped is still someone's ID) a real birth date in place.
    return _id_check_ok(value) or _date_ok(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def _old_id_ok(value: str) -> bool:
    return _date_ok(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))


def _luhn_ok(value: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(value)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_number(raw: str) -> str | None:
    """The masked form of one run of digits, or None when it is none of the numbers above."""
    value = re.sub(r"[ -]", "", raw)
    if value.startswith("+86"):
        value = value[3:]
    elif len(value) == 13 and value.startswith("86") and _MOBILE.fullmatch(value[2:]):
        value = value[2:]
    if len(value) == 18 and value[:17].isdigit() and _id_ok(value):
        return mask_id_number(value)
    if not value.isdigit():
        return None
    if len(value) == 11 and _MOBILE.fullmatch(value):
        return mask_phone(value)
    if 16 <= len(value) <= 19 and _luhn_ok(value):
        return "****" + value[-4:]
    if len(value) == 15 and _old_id_ok(value):
        return mask_id_number(value)
    return None


def mask_text(text: str | None) -> str:
    """``text`` with every ID, mobile and card number in it masked (139****7654, 1101**********1234,
    ****1234); everything else unchanged."""
    if not text:
        return text or ""
    return _NUMBER.sub(lambda m: _mask_number(m.group(0)) or m.group(0), text)


def has_personal_numbers(text: str | None) -> bool:
    return bool(text) and mask_text(text) != text
