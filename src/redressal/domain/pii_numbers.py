"""Personal numbers in free text (SPEC §13): which run of digits is an ID, a mobile or a card number.

Shared by the masking of free text for roles without ``pii.view`` (``core.masking``) and by the
case library's anonymiser (``domain.anonymise``): one definition of what counts as each number.

A mainland resident ID (GB 11643-1999: 18 characters with its check digit, or the older 15 digits),
a mainland mobile number, a bank card number (16–19 digits passing the Luhn check, ISO/IEC 7812).
People group them as they type ("6222 0212 3456 7890", "139-1234-5678", "+86 139…"); a run glued to
letters or further digits is left alone (a transaction reference is not a phone number).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

NUMBER = re.compile(
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

NumberKind = Literal["id", "mobile", "card"]


def id_check_ok(value: str) -> bool:
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def id_ok(value: str) -> bool:
    # The check digit, or failing it (a digit mistyped is still someone's ID) a real birth date in place.
    return id_check_ok(value) or _date_ok(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def old_id_ok(value: str) -> bool:
    return _date_ok(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))


def luhn_ok(value: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(value)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def classify_number(raw: str) -> tuple[NumberKind, str] | None:
    """What one matched run of ``NUMBER`` is, with its digits (spaces, dashes and +86 taken off), or
    None when it is none of the personal numbers above."""
    value = re.sub(r"[ -]", "", raw)
    if value.startswith("+86"):
        value = value[3:]
    elif len(value) == 13 and value.startswith("86") and _MOBILE.fullmatch(value[2:]):
        value = value[2:]
    if len(value) == 18 and value[:17].isdigit() and id_ok(value):
        return "id", value
    if not value.isdigit():
        return None
    if len(value) == 11 and _MOBILE.fullmatch(value):
        return "mobile", value
    if 16 <= len(value) <= 19 and luhn_ok(value):
        return "card", value
    if len(value) == 15 and old_id_ok(value):
        return "id", value
    return None
