"""The FAQ knowledge base (SPEC §11, decision 0025): an entry (category, audience, validity, owner)
and its versions (one language each: question, similar phrasings, answer), written as drafts, reviewed
by a second person and published; the previous published version of that language is retired and
kept as history. Published versions carry their retrieval vectors, computed once at publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FaqEntry(models.Model):
    class Audience(models.TextChoices):
        PUBLIC = "public", _("公开")
        INTERNAL = "internal", _("内部")

    category = models.CharField(max_length=8)  # a JR/T 0169 business code (axis B)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.PUBLIC)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"FAQ #{self.pk}"


class FaqVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")
        REJECTED = "rejected", _("已退回")

    class Language(models.TextChoices):
        ZH = "zh-hans", _("中文")
        EN = "en", _("英文")

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ZH)
    question = models.CharField(max_length=200)
    similar = models.JSONField(default=list, blank=True)
    answer = models.TextField()  # Markdown-lite: plain text, [label](https://…) links, blank-line paragraphs
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    vectors = models.BinaryField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="faq_version_number_once"),
            models.UniqueConstraint(
                fields=["entry", "language"], condition=Q(state="published"), name="faq_one_published_per_language"
            ),
        ]
        indexes = [models.Index(fields=["language", "state"], name="faq_version_state_idx")]
        ordering = ["entry_id", "-number"]


class FaqGeneration(models.Model):
    """One row: bumped whenever a version is published or retired, so each process rebuilds its
    retrieval index when the number it built from is stale (one cheap read per question)."""

    number = models.PositiveBigIntegerField(default=0)


class AssistantExchange(models.Model):
    """One question to the assistant and what it answered (up to three versions), in a conversation."""

    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=16)
    language = models.CharField(max_length=8)
    question = models.TextField()
    answers = models.JSONField(default=list)  # [{"faq_id", "version", "score", "confidence"}]
    handover = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, blank=True)
    details = models.JSONField(default=list, blank=True)
    helpful = models.BooleanField(null=True, blank=True)
    at = models.DateTimeField()
    ip = models.CharField(max_length=45, blank=True)  # an anonymous visitor's address: the rate limit

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "-at"], name="faq_exchange_conv_idx"),
            models.Index(fields=["ip", "at"], name="faq_exchange_ip_idx"),
        ]


class OpenQuestion(models.Model):
    """A question the knowledge base did not answer (handed over for low confidence) or answered
    unhelpfully (thumbs down): collected for the knowledge-base owners, grouped by similarity."""

    class Kind(models.TextChoices):
        UNANSWERED = "unanswered", _("未答出")
        UNHELPFUL = "unhelpful", _("没帮助")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    language = models.CharField(max_length=8)
    text = models.CharField(max_length=500)
    exchange = models.ForeignKey(AssistantExchange, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    vector = models.BinaryField(null=True, blank=True)
    at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["resolved_at", "-at"], name="faq_open_question_idx")]
