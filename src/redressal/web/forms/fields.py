"""Date fields for every form: a day outside what the domain accepts is refused with a message on
the field (a 422 page), not carried on to fail as a 500 when it is turned into a moment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redressal.domain.dates import EARLIEST_DAY, LATEST_DAY, day_in_range

OUT_OF_RANGE = _("日期须在 %(start)s 至 %(end)s 之间")


def _check(day: date) -> None:
    if not day_in_range(day):
        raise forms.ValidationError(
            OUT_OF_RANGE, code="out_of_range", params={"start": EARLIEST_DAY.isoformat(), "end": LATEST_DAY.isoformat()}
        )


class DayField(forms.DateField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, date):
            _check(value)


class MomentField(forms.DateTimeField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, datetime):
            _check(value.date())
