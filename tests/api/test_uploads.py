"""Evidence and task-reply uploads (SPEC §8, §13 upload checks), as the pilot's security test sent them:
content that is not the declared type, oversized bodies and files, and how stored files are served."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from redressal.cases import services as svc
from redressal.cases.commands import Upload
from redressal.cases.models import CaseEvent, Evidence
from redressal.cases.services.task_reply import reply_task_with_files
from redressal.core.errors import ValidationFailed
from tests.conftest import PASSWORD
from tests.flows import accept
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>fetch('/api/v1/cases')</script></body></html>"
# The start of a Windows program: "MZ", the DOS header (full of NULs) and its stub's message.
EXE = (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44
       + b"This program cannot be run in DOS mode.")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def token(client, bank) -> str:
    r = client.post("/api/v1/auth/token", {"username": "handler1", "password": PASSWORD},
                    content_type="application/json")
    return r.json()["access_token"]


@pytest.fixture
def case(bank):
    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    return case


def upload(client, token: str, case, name: str, data: bytes, content_type: str):
    return client.post(
        f"/api/v1/cases/{case.pk}/add_evidence",
        {"kind": "written", "description": "客户提交的材料",
         "file": SimpleUploadedFile(name, data, content_type=content_type)},
        headers={"Authorization": f"Bearer {token}"},
    )


def refused(r, code: str, field: str = "file") -> None:
    assert r.status_code == 422, r.content
    assert r.json()["error"]["code"] == code and r.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("name", "data"), [("statement.pdf", HTML), ("statement.pdf", EXE), ("scan.pdf", b"\xff\xd8\xff\xe0JFIF")]
)
def test_content_that_is_not_the_declared_pdf_is_refused_and_nothing_stored(client, token, case, name, data):
    refused(upload(client, token, case, name, data, "application/pdf"), "file_content")
    assert not Evidence.objects.exists()
    assert not CaseEvent.objects.filter(case=case, type="evidence_added").exists()


def test_a_pdf_named_as_a_web_page_or_a_program_is_refused(client, token, case):
    for name in ("statement.html", "statement.pdf.exe"):
        refused(upload(client, token, case, name, PDF, "application/pdf"), "file_extension")
    assert not Evidence.objects.exists()


def test_binary_declared_as_text_is_refused(client, token, case):
    refused(upload(client, token, case, "log.txt", EXE, "text/plain"), "file_content")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    refused(upload(client, token, case, "notes.txt", png, "text/plain"), "file_content")


def test_a_valid_pdf_is_stored_with_its_hash(client, token, case):
    r = upload(client, token, case, "对账单.pdf", PDF, "application/pdf")
    assert r.status_code == 200, r.content
    ev = Evidence.objects.get()
    assert ev.sha256 == hashlib.sha256(PDF).hexdigest() and ev.size == len(PDF)
    with ev.file.open("rb") as stored:
        assert stored.read() == PDF
    event = CaseEvent.objects.get(case=case, type="evidence_added")
    assert event.payload["sha256"] == ev.sha256


def test_other_allowed_types_pass_on_their_real_content(client, token, case):
    samples = [
        ("shot.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        ("call.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        ("call.wav", b"RIFF\x24\x08\x00\x00WAVEfmt ", "audio/wav"),
        ("visit.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "video/mp4"),
        ("mail.eml", "From: 客户 <a@example.com>\r\nSubject: 投诉\r\n\r\n正文".encode(), "message/rfc822"),
        ("sheet.xlsx", b"PK\x03\x04\x14\x00\x06\x00",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("记录.txt", "客户来电称年费被重复收取。".encode("gb18030"), "text/plain"),
    ]
    for name, data, content_type in samples:
        r = upload(client, token, case, name, data, content_type)
        assert r.status_code == 200, (name, r.content)
    assert Evidence.objects.count() == len(samples)


def test_a_large_upload_reaches_the_service_spooled_to_disk(client, token, case, monkeypatch):
    """Not read into memory by Django: past FILE_UPLOAD_MAX_MEMORY_SIZE the upload is a temporary file,
    and the service reads it in chunks."""
    from redressal.api import cases as api_cases

    seen: list[object] = []
    real = api_cases.execute

    def spy(case_id, command, actor):
        seen.append(command.file.stream)  # the stream the command hands to add_evidence
        return real(case_id, command, actor)

    monkeypatch.setattr(api_cases, "execute", spy)
    big = PDF + b"0" * (512 * 1024)
    r = upload(client, token, case, "big.pdf", big, "application/pdf")
    assert r.status_code == 200, r.content
    assert isinstance(seen[0], TemporaryUploadedFile)
    assert Evidence.objects.get().sha256 == hashlib.sha256(big).hexdigest()


class Endless(io.RawIOBase):
    """A PDF that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = (PDF if self.given == 0 else b"0" * len(buffer))[: len(buffer)]
        buffer[: len(chunk)] = chunk
        self.given += len(chunk)
        return len(chunk)


def test_the_per_file_limit_is_counted_on_the_stream_not_trusted(bank, case, settings):
    settings.EVIDENCE_MAX_BYTES = 256 * 1024
    stream = Endless()
    with pytest.raises(ValidationFailed) as refused_:
        svc.add_evidence(case.pk, actor=bank.actor("handler"), kind="written", filename="big.pdf",
                         content_type="application/pdf", stream=stream)  # type: ignore[arg-type]
    assert refused_.value.code == "file_size" and refused_.value.field == "file"
    assert stream.given <= settings.EVIDENCE_MAX_BYTES + 64 * 1024  # stopped at the limit, not at the end
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused_through_the_api(client, token, case, settings):
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    refused(upload(client, token, case, "big.pdf", PDF + b"0" * (150 * 1024), "application/pdf"), "file_size")
    assert not Evidence.objects.exists()


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def test_an_oversized_body_is_refused_with_413_before_it_is_read(client, token, case, settings):
    declared = settings.REQUEST_MAX_BYTES + 1
    r = client.generic(
        "POST", f"/api/v1/cases/{case.pk}/add_evidence", b"",
        content_type="multipart/form-data; boundary=xyz",
        headers={"Authorization": f"Bearer {token}"},
        CONTENT_LENGTH=str(declared), **{"wsgi.input": Unreadable()},
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "request_too_large"
    assert not Evidence.objects.exists()


def test_an_oversized_body_on_a_page_is_a_translated_413(client, bank, case, settings):
    login(client, "handler1")
    r = client.generic(
        "POST", "/tasks/1/", b"", content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1), **{"wsgi.input": Unreadable()},
    )
    assert r.status_code == 413
    assert "上传内容过大" in r.content.decode()


def test_a_body_within_the_cap_is_accepted(client, token, case, settings):
    settings.REQUEST_MAX_BYTES = 64 * 1024
    assert upload(client, token, case, "ok.pdf", PDF, "application/pdf").status_code == 200
    r = upload(client, token, case, "big.pdf", PDF + b"0" * (80 * 1024), "application/pdf")
    assert r.status_code == 413


def test_the_workbench_forms_refuse_html_declared_as_pdf_on_the_field(client, bank, case):
    from redressal.cases.models import Case
    from tests.web.test_case_actions import act
    from tests.web.test_register import BASE

    svc.start_investigation(case.pk, actor=bank.actor("handler"))
    login(client, "handler1")
    bad = SimpleUploadedFile("statement.pdf", HTML, content_type="application/pdf")
    r = act(client, case, "add_evidence", {"kind": "written", "file": bad})
    assert r.status_code == 422 and 'id="err-add_evidence-file"' in r.content.decode()
    before = Case.objects.count()
    bad = SimpleUploadedFile("账单.pdf", EXE, content_type="application/pdf")
    r = client.post("/register/", {**BASE, "complainant_name": "孙八", "attachments": bad})
    assert r.status_code == 422 and 'id="err-attachments"' in r.content.decode()
    assert Case.objects.count() == before and not Evidence.objects.exists()  # the registration rolled back


# --- task replies ------------------------------------------------------------------------------------


def _task(bank):
    from redressal.cases.models import CollaborationTask

    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    svc.start_investigation(case.pk, actor=bank.actor("handler"))
    svc.open_task(case.pk, actor=bank.actor("handler"), department_code="TECH", title="调取日志", request="请提供日志")
    return case, CollaborationTask.objects.get(case=case)


def test_a_task_reply_with_html_as_pdf_leaves_no_reply(client, bank):
    case, task = _task(bank)
    login(client, "collab1")
    good = SimpleUploadedFile("log.txt", b"10:01 timeout", content_type="text/plain")
    bad = SimpleUploadedFile("report.pdf", HTML, content_type="application/pdf")
    r = client.post(f"/tasks/{task.pk}/", {"reply": "见附件", "attachments": [good, bad]})
    assert r.status_code == 422 and 'data-field="attachments"' in r.content.decode()
    task.refresh_from_db()
    assert task.status == "open" and not Evidence.objects.filter(case=case).exists()


def test_a_task_reply_reads_each_attachment_in_chunks(bank, settings):
    settings.EVIDENCE_MAX_BYTES = 256 * 1024
    case, task = _task(bank)
    stream = Endless()
    with pytest.raises(ValidationFailed) as refused_:
        reply_task_with_files(task.pk, actor=bank.actor("collab"), reply="见附件",
                              files=[Upload("huge.pdf", "application/pdf", stream)])  # type: ignore[arg-type]
    assert refused_.value.code == "file_size" and refused_.value.field == "attachments"
    assert stream.given <= settings.EVIDENCE_MAX_BYTES + 64 * 1024
    task.refresh_from_db()
    assert task.status == "open"
    reply_task_with_files(task.pk, actor=bank.actor("collab"), reply="见附件",
                          files=[Upload("log.pdf", "application/pdf", io.BytesIO(PDF))])
    ev = Evidence.objects.get(case=case)
    assert ev.sha256 == hashlib.sha256(PDF).hexdigest() and ev.size == len(PDF)


# --- serving -------------------------------------------------------------------------------------------


def test_verified_pdf_is_shown_inline_and_a_mismatched_stored_file_is_only_downloaded(client, bank, case):
    from django.core.files.base import ContentFile

    from redressal.core.clock import now

    svc.add_evidence(case.pk, actor=bank.actor("handler"), kind="written", filename="ok.pdf",
                     content_type="application/pdf", stream=io.BytesIO(PDF))
    good = Evidence.objects.get()
    # A file stored before uploads were checked: HTML under a PDF's type.
    old = Evidence(case=case, kind="written", filename="old.pdf", content_type="application/pdf", size=len(HTML),
                   sha256=hashlib.sha256(HTML).hexdigest(), uploaded_by=bank.people["handler"], uploaded_at=now())
    old.file.save("old.pdf", ContentFile(HTML), save=False)
    old.save()
    login(client, "handler1")
    r = client.get(f"/cases/{case.pk}/evidence/{good.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("inline")
    assert r["X-Content-Type-Options"] == "nosniff" and "no-store" in r["Cache-Control"]
    r = client.get(f"/cases/{case.pk}/evidence/{old.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
