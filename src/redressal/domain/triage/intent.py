"""Complaint intent (issue 14 item 4): is a customer's text a complaint to hand to a person, and why.

Pure: the caller hands in the risk flags (``signals.risk_flags``), the combined emotion reading and the
amounts the text names. A text is a complaint when it threatens the regulator, the media or a court
(the rules' flags: explicit threats always count), when money was lost (the rules' fund-safety words,
or loss words beside an amount), or when the writer is angry or distressed. Mere dissatisfaction is not
enough: most people who ask a bank a question are a little put out (measured: the emotion reading calls
most of the knowledge base's evaluation questions dissatisfied), and an answer is what they came for;
they can still ask for a person. The reasons carry the evidence words.
"""

from __future__ import annotations

from redressal.domain.triage.signals import Flag, fold, matched_words

THREATS = {"regulator": "threat_regulator", "media": "threat_media", "lawsuit": "threat_lawsuit"}
# Words that say money went missing or was taken; counted with an amount, or alone when unambiguous.
MONEY_LOST_WORDS = (
    "盗刷", "被盗", "被骗", "被扣", "多扣", "乱扣", "扣了", "少了", "吞了", "吞钱", "没到账", "未到账",
    "没有到账", "亏损", "亏了", "损失", "转走", "不见了", "没了", "多收", "乱收费", "冒用",
)  # fmt: skip
HANDOVER_EMOTIONS = ("angry", "distressed")
MONEY_LOST_ALONE = ("盗刷", "被盗", "被骗", "冒用", "转走", "多扣", "乱收费")


def complaint_intent(
    text: str, flags: list[Flag], emotion: tuple[str, tuple[str, ...]], amounts: list[str]
) -> tuple[bool, tuple[Flag, ...]]:
    reasons: list[Flag] = []
    for flag in flags:
        if flag.code in THREATS:
            reasons.append(Flag(THREATS[flag.code], flag.evidence))
    lost = matched_words(fold(text), MONEY_LOST_WORDS)
    fund = [f for f in flags if f.code == "fund_safety"]
    if fund or (lost and (amounts or any(w in MONEY_LOST_ALONE for w in lost))):
        evidence = tuple(dict.fromkeys([*(e for f in fund for e in f.evidence), *lost, *amounts]))
        reasons.append(Flag("money_lost", evidence))
    level, evidence = emotion
    if level in HANDOVER_EMOTIONS:
        reasons.append(Flag(f"emotion_{level}", evidence))
    return bool(reasons), tuple(reasons)
