"""The demo's knowledge base (SPEC §15, issue 14): the FAQ entries written for the demo
(``faq/data/demo_faq.csv`` and its English ``demo_faq_en.csv``), imported as a head-office supervisor
wrote them and published by compliance — a second person, as every publication needs (decision 0025)."""

from __future__ import annotations

from importlib import resources

from redressal.faq.imports import ImportReport, import_rows, read_csv
from redressal.org.authz import actor_for
from redressal.org.models import Staff

AUTHOR = "hosupervisor"
PUBLISHER = "compliance1"
FILES = (("demo_faq.csv", "zh-hans"), ("demo_faq_en.csv", "en"))


def build_faq() -> dict[str, ImportReport]:
    author = actor_for(Staff.objects.get(username=AUTHOR))
    publisher = actor_for(Staff.objects.get(username=PUBLISHER))
    out = {}
    for name, language in FILES:
        data = resources.files("redressal.faq").joinpath("data", name).read_bytes()
        out[language] = import_rows(author, read_csv(data), language=language, publisher=publisher)
    return out
