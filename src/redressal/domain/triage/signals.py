"""What a complaint's words and facts say: risk flags, emotion, vulnerable-customer cues, amounts.

Rules, not a model: every flag carries the words or facts that raised it, so a handler can see why
(and disagree). Text is matched after NFKC folding and lower-casing; the service hands in text that is
already converted to simplified characters. English words match whole words only ("sue" is not in
"issue"); Chinese words match anywhere, as Chinese has no spaces between words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from redressal.domain.customers import VULNERABLE, age_on
from redressal.domain.triage.config import TriageConfig

EMOTIONS = ("calm", "dissatisfied", "angry", "distressed")
RISK_FLAGS = (
    "regulator",
    "media",
    "lawsuit",
    "fund_safety",
    "info_leak",
    "repeat",
    "mass_incident",
    "urgency",
    "exclamation",
    "all_caps",
)


@dataclass(frozen=True)
class Flag:
    code: str
    evidence: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class Context:
    """Facts from outside the text (the case, the customer, other cases)."""

    source: str = "customer"
    regulator: str = ""
    amount: Decimal | None = None
    birth_date: date | None = None
    declared_vulnerable: frozenset[str] = frozenset()
    today: date | None = None
    elderly_age: int = 65
    # Earlier cases of the same complainant about the same matter (case numbers): this contact makes one more.
    same_matter_cases: tuple[str, ...] = ()
    mass_incident: str = ""


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


@cache
def _pattern(word: str) -> re.Pattern[str]:
    escaped = re.escape(word)
    if word.isascii():
        return re.compile(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
    return re.compile(escaped)


def matched_words(folded: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The lexicon words found, without those found only as part of a longer one found."""
    hits = [w for w in words if _pattern(w).search(folded)]
    kept = [w for w in hits if not any(w != other and w in other for other in hits)]
    return tuple(dict.fromkeys(kept))


_ALL_CAPS = re.compile(r"(?<![A-Za-z])[A-Z]{4,}(?![A-Za-z])")
_AGE = re.compile(r"(\d{2,3})\s*(?:岁|周岁|years? old)")
_CURRENCY_FIRST = re.compile(r"(?:[¥￥]|rmb|cny)\s*(\d[\d,]*(?:\.\d+)?)\s*(万)?")


@cache
def _unit_pattern(units: tuple[str, ...]) -> re.Pattern[str]:
    # Longest unit first, so 万元 wins over 万 and 块钱 over 块.
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(\d[\d,]*(?:\.\d+)?)\s*({alternatives})")


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def amounts_in(text: str, config: TriageConfig) -> list[tuple[Decimal, str]]:
    """Amounts of money written in the text, with the words they were read from."""
    folded = fold(text)
    found: list[tuple[Decimal, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _CURRENCY_FIRST.finditer(folded):
        value = _decimal(m.group(1))
        if value is not None:
            found.append((value * (10000 if m.group(2) else 1), m.group(0).strip()))
            taken.append(m.span())
    for m in _unit_pattern(tuple(config.amount_units)).finditer(folded):
        value = _decimal(m.group(1))
        # "¥1.5万" was read above already; its "1.5万" is the same amount, not a second one.
        if value is not None and not any(a <= m.start() < b for a, b in taken):
            found.append((value * config.amount_units[m.group(2)], m.group(0).strip()))
    return found


def risk_flags(text: str, ctx: Context, config: TriageConfig, raw: str | None = None) -> list[Flag]:
    """``raw`` is the text as written, for shouting (``text`` may already be lower-cased)."""
    folded = fold(text)
    flags: list[Flag] = []
    for code in ("regulator", "media", "lawsuit", "fund_safety", "info_leak", "urgency"):
        evidence = matched_words(folded, config.risk_words.get(code, ()))
        if code == "regulator" and ctx.source == "regulator_forwarded":
            evidence = (f"source=regulator_forwarded({ctx.regulator or '?'})", *evidence)
        if evidence:
            flags.append(Flag(code, evidence))
    # A third contact about the same matter (SPEC §6): two earlier cases plus this one.
    if len(ctx.same_matter_cases) + 1 >= config.repeat_contact_min:
        flags.append(Flag("repeat", ctx.same_matter_cases))
    if ctx.mass_incident:
        flags.append(Flag("mass_incident", (ctx.mass_incident,)))
    marks = folded.count("!")
    if marks >= config.exclamation_min:
        flags.append(Flag("exclamation", (f"!×{marks}",)))
    shouted = shouting(raw if raw is not None else text, config)
    if shouted:
        flags.append(Flag("all_caps", shouted))
    return flags


def shouting(text: str, config: TriageConfig) -> tuple[str, ...]:
    words = [w for w in _ALL_CAPS.findall(unicodedata.normalize("NFKC", text or "")) if w not in config.all_caps_ignore]
    return tuple(dict.fromkeys(words)) if len(words) >= config.all_caps_min_words else ()


def emotion(text: str, config: TriageConfig, raw: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The most severe level with a word in the text; shouting reads as anger."""
    folded = fold(text)
    text = raw if raw is not None else text
    for level, words in config.emotion_words:
        evidence = matched_words(folded, words)
        if evidence:
            if level == "dissatisfied" and config.shouting_is_angry and _shouts(text, folded, config):
                return "angry", (*evidence, *_shout_evidence(text, folded, config))
            return level, evidence
    if config.shouting_is_angry and _shouts(text, folded, config):
        return "angry", _shout_evidence(text, folded, config)
    return "calm", ()


def _shouts(text: str, folded: str, config: TriageConfig) -> bool:
    return bool(_shout_evidence(text, folded, config))


def _shout_evidence(text: str, folded: str, config: TriageConfig) -> tuple[str, ...]:
    out = list(shouting(text, config))
    marks = folded.count("!")
    if marks >= config.exclamation_min + 1:
        out.append(f"!×{marks}")
    return tuple(out)


def vulnerable(text: str, ctx: Context, config: TriageConfig) -> list[Flag]:
    folded = fold(text)
    evidence: dict[str, list[str]] = {code: [] for code in VULNERABLE}
    for code in sorted(ctx.declared_vulnerable):
        if code in evidence:
            evidence[code].append("customer profile")
    if ctx.birth_date is not None and ctx.today is not None:
        age = age_on(ctx.birth_date, ctx.today)
        if age >= ctx.elderly_age:
            evidence["elderly"].append(f"age {age} (birth date)")
    for code, words in config.vulnerable_words.items():
        evidence.setdefault(code, []).extend(matched_words(folded, words))
    for m in _AGE.finditer(folded):
        if config.age_pattern_min <= int(m.group(1)) <= 120:
            evidence["elderly"].append(m.group(0))
    return [Flag(code, tuple(dict.fromkeys(ev))) for code, ev in evidence.items() if ev]


def combined_emotion(
    rules: tuple[str, tuple[str, ...]], learned: tuple[str, tuple[str, ...]] | None
) -> tuple[str, tuple[str, ...]]:
    """The rules' reading and the learned model's (``triage.ml.emotion``): the more severe level, with
    the evidence of both (the rules' words first), so nothing the rules catch is lost and a text the
    word list misses is still read. ``learned`` None (no model) leaves the rules' reading."""
    if learned is None:
        return rules
    level = max(rules[0], learned[0], key=EMOTIONS.index)
    evidence = (*rules[1], *(e for e in learned[1] if e not in rules[1])) if learned[0] != "calm" else rules[1]
    return level, tuple(evidence)
