import csv
from importlib import resources

import pytest

from redressal.demo.faq import build_faq
from redressal.faq import assistant, index
from redressal.faq.markup import render
from redressal.faq.models import FaqVersion

pytestmark = pytest.mark.django_db


def test_the_demo_entries_import_and_publish_and_answer_their_own_evaluation_set(bank):
    index.clear()
    reports = build_faq()
    assert {lang: r.errors for lang, r in reports.items()} == {"zh-hans": [], "en": []}
    assert FaqVersion.objects.filter(state="published", language="zh-hans").count() >= 120
    assert FaqVersion.objects.filter(state="published", language="en").count() >= 120
    assert not FaqVersion.objects.filter(state="published", vectors__isnull=True).exists()
    # A second import of the same files changes nothing (idempotent on the question text).
    again = build_faq()
    assert all(r.count("unchanged") == len(r.rows) for r in again.values())
    # The evaluation set written with the entries: the top answer for most answerable questions.
    text = resources.files("redressal.faq").joinpath("data", "demo_faq_eval.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(text.splitlines()) if r["expected_question"]][:40]
    top = 0
    for row in rows:
        answers, _vector = assistant.search(row["customer_question"], "zh-hans")
        top += bool(answers) and answers[0].question == row["expected_question"]
    print(f"top-1 on {len(rows)} evaluation questions: {top}")
    assert top >= len(rows) * 0.6
    index.clear()


def test_site_paths_become_links_and_other_schemes_do_not():
    assert '<a href="/portal/"' in render("在[手机银行](/portal/)设置")
    assert "<a" not in render("[x](//evil.example/)") and "<a" not in render("[x](javascript:alert(1))")
