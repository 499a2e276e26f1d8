"""Customer facts from a resident ID number (GB 11643-1999)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from redressal.domain.customers import sex_from_id


def test_sex_from_the_sequence_code():
    assert sex_from_id("110101195001011234") == "male"  # 17th character 3: odd
    assert sex_from_id("11010119800101122X") == "female"  # 17th character 2: even
    assert sex_from_id("110101500101123") == "male"  # an old 15-digit number: its last digit
    assert sex_from_id("") is None and sex_from_id("1101011950010112") is None and sex_from_id("ABC") is None


@given(st.text(max_size=20))
def test_never_raises(text: str):
    assert sex_from_id(text) in (None, "male", "female")
