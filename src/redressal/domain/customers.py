"""Customer facts the rules use: age band and vulnerability (SPEC §3)."""

from __future__ import annotations

from datetime import date

# In the order triage lists them.
VULNERABLE = ("elderly", "disabled", "low_literacy", "bereaved")
VULNERABLE_FLAGS = frozenset(VULNERABLE)


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def age_band(birth: date, today: date) -> str:
    age = age_on(birth, today)
    for upper, label in ((18, "<18"), (30, "18-29"), (45, "30-44"), (60, "45-59"), (65, "60-64"), (75, "65-74")):
        if age < upper:
            return label
    return "75+"


def vulnerable_flags(birth: date | None, today: date, declared: set[str], elderly_age: int = 65) -> set[str]:
    unknown = declared - VULNERABLE_FLAGS
    if unknown:
        raise ValueError(f"unknown vulnerable flag(s): {', '.join(sorted(unknown))}")
    flags = set(declared)
    if birth is not None and age_on(birth, today) >= elderly_age:
        flags.add("elderly")
    return flags


def birth_date_from_id(id_number: str) -> date | None:
    """A mainland resident ID (GB 11643-1999, 18 characters) carries the birth date in places 7–14."""
    text = id_number.strip().upper()
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return None
    try:
        return date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None


def sex_from_id(id_number: str) -> str | None:
    """"male" or "female" from a mainland resident ID (GB 11643-1999): the last digit of the sequence
    code (the 17th character; the 15th of an old 15-digit number) is odd for men and even for women."""
    text = id_number.strip().upper()
    if len(text) == 18 and text[:17].isdigit():
        digit = int(text[16])
    elif len(text) == 15 and text.isdigit():
        digit = int(text[14])
    else:
        return None
    return "male" if digit % 2 else "female"
