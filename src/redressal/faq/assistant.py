"""The FAQ assistant (SPEC §11, issue 14 item 2, decision 0025): a customer's question → up to three
published answers with scores, and whether to hand the customer over to a person (``domain.assistant``:
asked for one, complaint intent, or confidence below the threshold).

Every exchange is recorded in a conversation (``redressal.conversations``): the question as the
customer's message, the assistant's reply as an "assistant" message; a handover leaves the conversation
waiting for staff, who see it live on /conversations/ and may turn it into a case with the transcript.
Questions handed over for low confidence, and answers the customer found unhelpful, are collected as
``OpenQuestion`` s for the knowledge-base owners.

The conversation reference given to the customer is signed (``django.core.signing``): it names the
conversation and the channel; a signed-in customer's reference only continues their own conversation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from redressal.conversations import services as conversations
from redressal.conversations.keys import party_index
from redressal.conversations.models import Conversation
from redressal.core.clock import now
from redressal.core.errors import NotFound, ServiceError, ValidationFailed
from redressal.core.text import CJK
from redressal.domain import assistant as rules
from redressal.faq import index as faq_index
from redressal.faq.markup import plain
from redressal.faq.models import AssistantExchange, OpenQuestion
from redressal.triage.classifier import complaint_intent
from redressal.triage.ml import embed

SALT = "redressal.faq.conversation"


@dataclass(frozen=True)
class Answer:
    faq_id: int
    question: str
    answer: str
    score: float
    confidence: float


@dataclass(frozen=True)
class Reply:
    conversation: str  # the signed reference to send back with the next question
    conversation_id: int
    exchange_id: int
    answers: list[Answer]
    handover: bool
    reason: str
    details: tuple[str, ...] = field(default_factory=tuple)
    text: str = ""  # what a text-only channel replies with


def language_of(text: str) -> str:
    return "zh-hans" if any(CJK.match(ch) for ch in text) else "en"


def reference(conversation: Conversation) -> str:
    return signing.dumps({"c": conversation.pk, "ch": conversation.channel}, salt=SALT, compress=True)


def _from_reference(ref: str, channel: str) -> Conversation | None:
    try:
        data = signing.loads(ref, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("ch") != channel or not isinstance(data.get("c"), int):
        return None
    return Conversation.objects.filter(pk=int(data["c"])).exclude(status="closed").first()


def complaint_reasons(text: str) -> tuple[str, ...]:

    # The lexicon's emotion only: the learned one reads most plain questions as angry (bench/faq_kb.py).
    found, reasons = complaint_intent(text, learned_emotion=False)
    return tuple(r.code for r in reasons) if found else ()


def search(question: str, language: str, *, internal: bool = False) -> tuple[list[Answer], bytes | None]:
    """The best answers (at most three) and the question's vector (for grouping open questions)."""

    idx, entries = faq_index.index_for(language, internal)
    if language == "en" and not len(idx):
        idx, entries = faq_index.index_for("zh-hans", internal)  # e5 is multilingual
    if not len(idx):
        return [], None
    vector = embed.embed(question)
    hits = idx.search(question, k=rules.MAX_ANSWERS, vector=vector)
    answers = []
    for hit in hits:
        entry = entries.get(hit.id)
        if entry is not None:
            answers.append(Answer(entry.entry_id, entry.question, entry.answer, round(hit.score, 4), hit.confidence))
    return answers, embed.to_bytes(vector)


def handover_text(reason: str) -> str:
    if reason == "low_confidence":
        return _("抱歉，暂时没有找到合适的答案，已为您转接人工客服，请稍候。")
    return _("已为您转接人工客服，工作人员会尽快回复您。")


class Throttled(ServiceError):
    status = 429


def _check_rate(party: str | None, ip: str, channel: str) -> None:
    since = now() - timedelta(hours=1)
    if party is None:
        if not ip:
            return
        recent = AssistantExchange.objects.filter(ip=ip, at__gt=since, channel=channel).count()
        limit = rules.ANONYMOUS_PER_HOUR
    else:
        recent = AssistantExchange.objects.filter(
            conversation__party_index=party_index(channel, party), at__gt=since
        ).count()
        limit = rules.SIGNED_IN_PER_HOUR
    if recent >= limit:
        raise Throttled("assistant.rate_limited", f"at most {limit} questions an hour", field="question")


def ask_in(received: conversations.Received, question: str, *, internal: bool = False, ip: str = "") -> Reply:
    """Answer a question already stored as the customer's message (``received``)."""
    question = question.strip()[: rules.MAX_QUESTION]
    language = language_of(question)
    answers, vector = search(question, language, internal=internal)
    best = answers[0].confidence if answers else None
    decision = rules.decide(question, best, complaint_reasons(question))
    if decision.reason == "asked_for_person":
        answers = []  # they asked for a person, not for more answers
    text = handover_text(decision.reason) if decision.handover else plain(answers[0].answer)
    at = now()
    conversation = received.conversation
    with transaction.atomic():
        exchange = AssistantExchange.objects.create(
            conversation=conversation,
            channel=conversation.channel,
            language=language,
            question=question,
            answers=[{"faq_id": a.faq_id, "score": a.score, "confidence": round(a.confidence, 4)} for a in answers],
            handover=decision.handover,
            reason=decision.reason,
            details=list(decision.details),
            at=at,
            ip=ip[:45],
        )
        # Unanswered: nothing good enough was found, whatever else sent the customer to a person
        # (a bare request for a person is not a question the knowledge base could answer).
        if (best is None or best < rules.CONFIDENCE_THRESHOLD) and decision.reason != "asked_for_person":
            OpenQuestion.objects.create(
                kind=OpenQuestion.Kind.UNANSWERED, language=language, text=question[:500],
                exchange=exchange, vector=vector, at=at,
            )
        conversations.record_assistant_reply(conversation.pk, text, at, waiting=decision.handover)
    return Reply(
        reference(conversation), conversation.pk, exchange.pk, answers,
        decision.handover, decision.reason, decision.details, text,
    )


def ask(question: str, conversation_ref: str | None, *, channel: str, party: str | None, ip: str = "") -> Reply:
    """A question from ``channel`` ("portal" or "api"). ``party`` is the signed-in customer's key (their
    phone) or None for an anonymous visitor, whose reference alone continues their conversation."""
    if not question.strip():
        raise ValidationFailed("required", "ask a question", field="question")
    if len(question) > rules.MAX_QUESTION:
        raise ValidationFailed("too_long", f"a question is at most {rules.MAX_QUESTION} characters", field="question")
    _check_rate(party, ip, channel)
    current = _from_reference(conversation_ref, channel) if conversation_ref else None
    if current is not None and party is not None and current.party_index != party_index(channel, party):
        current = None  # someone else's reference: start afresh
    if current is not None and party is None and not current.party.startswith("anon:"):
        current = None  # a signed-in customer's conversation is not continued anonymously
    who = party if party is not None else (current.party if current is not None else f"anon:{uuid.uuid4().hex}")
    received = conversations.receive_message(
        conversations.Inbound(channel=channel, party=who, kind="text", text=question.strip(), external_id="", at=now())
    )
    return ask_in(received, question, ip=ip if party is None else "")


def feedback(
    conversation_ref: str, faq_id: int, helpful: bool, *, channel: str, party: str | None
) -> AssistantExchange:
    """The customer's "did this solve it?" on an answer of their latest exchange; an unhelpful answer
    collects the question for the knowledge-base owners."""
    current = _from_reference(conversation_ref, channel)
    if current is None or (party is not None and current.party_index != party_index(channel, party)):
        raise NotFound("not_found", "conversation not found")
    recent = AssistantExchange.objects.filter(conversation=current).order_by("-at", "-pk")[:20]
    exchange = next((e for e in recent if faq_id in [a["faq_id"] for a in e.answers]), None)
    if exchange is None:
        raise NotFound("not_found", "no such answer in this conversation")
    with transaction.atomic():
        first = exchange.helpful is None
        AssistantExchange.objects.filter(pk=exchange.pk).update(helpful=helpful)
        if not helpful and first:

            OpenQuestion.objects.create(
                kind=OpenQuestion.Kind.UNHELPFUL, language=exchange.language, text=exchange.question[:500],
                exchange=exchange, vector=embed.to_bytes(embed.embed(exchange.question)), at=now(),
            )
    exchange.refresh_from_db()
    return exchange
