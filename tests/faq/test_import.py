import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from redressal.faq.imports import export_rows
from redressal.faq.models import FaqEntry, FaqVersion

pytestmark = pytest.mark.django_db

HEADER = "question,similar_questions,answer,category\n"
GOOD = HEADER + (
    "信用卡年费怎么收？,信用卡要交年费吗|年费多少,普卡首年免年费。,B0302\n"
    "转账多久到账？,跨行转账几点到|转账没到账怎么办,实时到账，最迟次日。,B04\n"
)


def run(tmp_path, text, *args):
    path = tmp_path / "faq.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    code = 0
    try:
        call_command("faq_import", str(path), *args, stdout=out)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue()


def test_import_creates_then_is_idempotent_then_updates_only_what_changed(bank, tmp_path):
    code, out = run(tmp_path, GOOD, "--as", "supervisor1")
    assert code == 0 and "2 created" in out
    assert FaqEntry.objects.count() == 2 and FaqVersion.objects.filter(state="draft").count() == 2
    code, out = run(tmp_path, GOOD, "--as", "supervisor1")
    assert "2 unchanged" in out and FaqVersion.objects.count() == 2
    code, out = run(tmp_path, GOOD.replace("实时到账，最迟次日。", "一般实时到账。"), "--as", "supervisor1")
    assert "1 updated" in out and "1 unchanged" in out
    assert FaqVersion.objects.count() == 2  # the open draft is updated, not duplicated


def test_bad_rows_are_reported_by_line_and_the_good_ones_imported(bank, tmp_path):
    text = GOOD + "没有答案的问题,,,B0302\n未知分类,,答案,B77\n" + "长" * 300 + ",,答案,B01\n"
    code, out = run(tmp_path, text, "--as", "supervisor1")
    assert code == 2
    assert "line 4: required" in out and "line 5: faq.unknown_category" in out and "line 6: too_long" in out
    assert "Traceback" not in out and FaqEntry.objects.count() == 2


def test_publish_as_a_second_person_and_export_round_trips(bank, tmp_path):
    code, out = run(tmp_path, GOOD, "--as", "supervisor1", "--publish-as", "compliance1")
    assert code == 0 and FaqVersion.objects.filter(state="published").count() == 2
    assert all(v.vectors for v in FaqVersion.objects.all())
    exported = export_rows("zh-hans")
    code, out = run(tmp_path, exported, "--as", "supervisor1", "--publish-as", "compliance1")
    assert "2 unchanged" in out and FaqVersion.objects.count() == 2


def test_the_author_cannot_be_the_publisher(bank, tmp_path):
    with pytest.raises(Exception) as exc:
        run(tmp_path, GOOD, "--as", "compliance1", "--publish-as", "compliance1")
    assert "second person" in str(exc.value)
    assert FaqEntry.objects.count() == 0


def test_replace_retires_entries_the_file_no_longer_names(bank, tmp_path):
    run(tmp_path, GOOD, "--as", "supervisor1", "--publish-as", "compliance1")
    _code, out = run(tmp_path, HEADER + GOOD.splitlines()[1] + "\n", "--as", "supervisor1",
                    "--publish-as", "compliance1", "--replace")
    assert "1 retired" in out
    assert FaqVersion.objects.filter(state="published").count() == 1


def test_a_file_without_the_columns_or_not_utf8_is_refused(bank, tmp_path):
    with pytest.raises(CommandError, match="missing column"):
        run(tmp_path, "q,a\nx,y\n", "--as", "supervisor1")
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + "信用卡,,答,B0302\n").encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("faq_import", str(path), "--as", "supervisor1")
