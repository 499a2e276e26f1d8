"""The typical-case library (案例库) and training and assessment (培训考核): persistence only.

An entry's working copy lives on ``LibraryEntry``; each publication freezes it into an
``EntryVersion``, and the library shows an entry's current version. The source case is kept so the
writers can go back to it; it is never shown to the library's readers. Changes go through
``library.services`` (each audited); rules live in ``domain.anonymise``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryContent(models.Model):
    """What a library entry says (the working copy and each published version)."""

    title = models.CharField(_("标题"), max_length=120)
    summary = models.TextField(_("案例摘要"), blank=True)
    facts = models.TextField(_("基本案情"), blank=True)
    handling = models.TextField(_("处理过程"), blank=True)
    outcome = models.TextField(_("处理结果"), blank=True)
    lessons = models.TextField(_("经验教训"), blank=True)
    # JR/T 0169 business (B) and cause (C) codes, from the case's confirmed classification.
    business_code = models.CharField(_("业务类别"), max_length=16, blank=True, db_index=True)
    cause_code = models.CharField(_("投诉原因"), max_length=16, blank=True, db_index=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    # "|tag|tag|": a tag is found with one icontains on every database (SQLite has no JSON containment).
    tags_text = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        abstract = True

    TEXT_FIELDS = ("title", "summary", "facts", "handling", "outcome", "lessons")

    def texts(self) -> list[str]:
        return [str(getattr(self, name) or "") for name in self.TEXT_FIELDS] + [str(t) for t in self.tags or []]


class LibraryEntry(EntryContent):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    source_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="library_entries")
    # The unit whose writers and publishers may work on the entry (the case's handling unit).
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    # Days the entry's dates were moved (whole weeks, domain.anonymise.date_offset); never shown.
    date_offset_days = models.IntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # Everyone who wrote the working copy since it was last published: none of them may publish it.
    editor_ids = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    current_version = models.ForeignKey(
        "EntryVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)
    # What the anonymiser replaced when the draft was written ({kind: count}), for the author to check.
    anonymised = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("案例")
        constraints = [
            models.UniqueConstraint(fields=["source_case"], name="uniq_library_entry_case"),
        ]

    def __str__(self) -> str:
        return self.title


class EntryVersion(EntryContent):
    """A published text of an entry, frozen: the history of what the library showed."""

    entry = models.ForeignKey(LibraryEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    author_ids = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="uniq_entry_version")]
        ordering = ["entry_id", "-number"]


class Course(models.Model):
    topic = models.CharField(_("课程主题"), max_length=120)
    description = models.TextField(_("课程说明"), blank=True)
    # The unit whose trainers manage the course (the scope of ``training.manage``).
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办机构"))
    pass_mark = models.PositiveSmallIntegerField(
        _("及格分"), default=60, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    entries = models.ManyToManyField(LibraryEntry, blank=True, related_name="courses", verbose_name=_("关联案例"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("培训课程")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.topic


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("讲师")
    )
    place = models.CharField(_("地点"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]


class Enrolment(models.Model):
    """One member of staff in one session: why they were enrolled, whether they came, their score."""

    class ReasonKind(models.TextChoices):
        # A QA finding or an accountability measure is another app's record: the enrolment keeps a foreign
        # key to it (``inspection``, ``measure``) once that app has resolved the reference (decision 0023).
        QA_FINDING = "qa_finding", _("质检发现")
        ACCOUNTABILITY = "accountability", _("问责措施")
        OTHER = "other", _("其他")

    class Attendance(models.TextChoices):
        PENDING = "pending", _("未记录")
        PRESENT = "present", _("出勤")
        ABSENT = "absent", _("缺勤")

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="enrolments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    reason_kind = models.CharField(_("参训原因"), max_length=16, choices=ReasonKind.choices, default=ReasonKind.OTHER)
    reason_ref = models.CharField(_("关联编号"), max_length=64, blank=True)
    reason_text = models.TextField(_("原因说明"), blank=True)
    # The record the enrolment follows from (decision 0023): an accountability measure or a QA inspection,
    # resolved and checked by its own app through ``core.training_causes``; ``reason_ref`` is its citation.
    measure = models.ForeignKey(
        "improvement.AccountabilityMeasure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("问责措施"),
    )
    inspection = models.ForeignKey(
        "quality.QaInspection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("质检发现"),
    )
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField()
    attendance = models.CharField(_("出勤"), max_length=10, choices=Attendance.choices, default=Attendance.PENDING)
    score = models.PositiveSmallIntegerField(
        _("考核成绩"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="uniq_enrolment"),
            models.CheckConstraint(
                condition=models.Q(measure__isnull=True) | models.Q(reason_kind="accountability"),
                name="enrolment_measure_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(inspection__isnull=True) | models.Q(reason_kind="qa_finding"),
                name="enrolment_inspection_kind",
            ),
        ]
        ordering = ["session__starts_at", "id"]
