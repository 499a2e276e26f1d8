"""The demo's WeChat conversations: a few customers who wrote to the official account in the last hours
and wait for an answer (/conversations/), as ``conversations.services.receive_message`` stores a push.
Deterministic: the senders' openids and times come from the seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from redressal.conversations.services import Inbound, receive_message

THREADS = (
    ("你好，我的信用卡这个月被扣了两次年费，能帮忙查一下吗？", "卡号尾号是 4321。"),
    ("手机银行转账显示成功，但对方说没有收到钱，已经两天了。",),
    ("请问网点周六营业吗？我想去办理存单挂失。",),
    ("理财产品到期后收益比宣传的低很多，销售时没有讲清楚风险。", "我要投诉。", "请尽快联系我。"),
)


def build_conversations(horizon: datetime, seed: int) -> int:
    """Store the threads' messages; returns how many messages were stored."""
    rng = random.Random(seed + 20)
    stored = 0
    for i, thread in enumerate(THREADS):
        party = f"oDemo-{rng.getrandbits(64):016x}"
        at = horizon - timedelta(minutes=rng.randint(30, 600))
        for j, text in enumerate(thread):
            moment = at + timedelta(minutes=2 * j)
            received = receive_message(Inbound("wechat", party, "text", text, f"wechat:demo-{seed}-{i}-{j}", moment))
            stored += 0 if received.duplicate else 1
    return stored
