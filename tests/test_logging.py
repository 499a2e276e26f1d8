from __future__ import annotations

import logging

from redressal.core.logging import ScrubPII, scrub


def test_scrub_masks_phone_id_and_card():
    text = "客户 13812345678 证件 110101195001011234 卡号 6222020200112233445 金额 600"
    out = scrub(text)
    assert "13812345678" not in out and "138****5678" in out
    assert "110101195001011234" not in out
    assert "6222020200112233445" not in out
    assert "600" in out


def test_filter_masks_arguments_and_exceptions():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lookup %s", ("13900001111",), None)
    try:
        raise ValueError("bad card 6222020200112233445")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert ScrubPII().filter(record)
    assert record.getMessage() == "lookup 139****1111"
    assert "6222020200112233445" not in (record.exc_text or "")
