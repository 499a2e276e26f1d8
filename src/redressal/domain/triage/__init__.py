"""Triage as rules (SPEC §6): risk flags, emotion, vulnerable customer and priority, each explained.

:func:`assess` is the whole of it for one case: the text and the facts in, an :class:`Assessment` out.
Pure: the caller gathers the facts (the customer's birth date, earlier cases on the same matter, a
mass incident) and stores the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from redressal.domain.customers import VULNERABLE
from redressal.domain.triage import signals
from redressal.domain.triage.config import TriageConfig, load_config
from redressal.domain.triage.priority import Factor, priority_of, score_factors
from redressal.domain.triage.signals import EMOTIONS, RISK_FLAGS, Context, Flag, amounts_in

__all__ = [
    "EMOTIONS",
    "RISK_FLAGS",
    "VULNERABLE",
    "Assessment",
    "Context",
    "Factor",
    "Flag",
    "TriageConfig",
    "assess",
    "load_config",
]


@dataclass(frozen=True)
class Assessment:
    emotion: str
    emotion_evidence: tuple[str, ...]
    flags: tuple[Flag, ...]
    vulnerable: tuple[Flag, ...]
    amount: Decimal | None
    amount_evidence: tuple[str, ...]
    score: int
    priority: str
    factors: tuple[Factor, ...]
    config_version: str

    @property
    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]

    @property
    def vulnerable_codes(self) -> list[str]:
        return [f.code for f in self.vulnerable]


def assess(
    text: str,
    ctx: Context,
    *,
    request_type: str,
    raw: str | None = None,
    config: TriageConfig | None = None,
    learned_emotion: tuple[str, tuple[str, ...]] | None = None,
) -> Assessment:
    """``text`` is matched against the lexicons; ``raw`` (the text as written, default ``text``) is
    looked at for shouting, which lower-casing would hide. ``learned_emotion``: the emotion model's
    reading (level, evidence), combined with the rules' (the more severe wins, both evidences kept)."""
    cfg = config or load_config()
    flags = signals.risk_flags(text, ctx, cfg, raw)
    vulnerable = signals.vulnerable(text, ctx, cfg)
    mood, mood_evidence = signals.combined_emotion(signals.emotion(text, cfg, raw), learned_emotion)
    written = amounts_in(text, cfg)
    candidates = [(a, w) for a, w in written]
    if ctx.amount is not None:
        candidates.append((ctx.amount, f"amount in dispute {ctx.amount}"))
    amount, amount_words = max(candidates, key=lambda c: c[0]) if candidates else (None, "")
    factors = score_factors(
        request_type=request_type,
        regulator_forwarded=ctx.source == "regulator_forwarded",
        flags=flags,
        vulnerable=vulnerable,
        amount=amount,
        emotion=mood,
        config=cfg,
    )
    score = sum(f.points for f in factors)
    return Assessment(
        emotion=mood,
        emotion_evidence=mood_evidence,
        flags=tuple(flags),
        vulnerable=tuple(vulnerable),
        amount=amount,
        amount_evidence=(amount_words,) if amount_words else (),
        score=score,
        priority=priority_of(score, cfg),
        factors=tuple(factors),
        config_version=cfg.label,
    )
