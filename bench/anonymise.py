"""The case library's anonymiser (``domain.anonymise``) over the demo's complaint texts: texts per
second, ms per text at p50/p95, and how many of each kind it replaced. No database.

    .venv/bin/python bench/anonymise.py [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import Counter
from datetime import date

from redressal.domain.anonymise import Known, Person, anonymise
from redressal.triage.ml.texts import SITUATIONS


def texts(n: int, rng: random.Random) -> list[str]:
    pool = [t for s in SITUATIONS for t in (*s.third_person, *s.first_person)]
    slots = {
        "who": "客户王秀英",
        "name": "王秀英",
        "age": "78",
        "date": "3月15日",
        "time": "14:30",
        "amount": "12,000.00",
        "fee": "600.00",
        "tail": "4321",
        "outlet": "北京朝阳支行",
        "branch": "北京分行",
        "city": "北京",
        "other_bank": "某银行",
        "product_name": "稳健添利1号",
        "merchant": "某支付平台",
        "relation": "女儿",
        "days": "5",
        "phone_tail": "5678",
        "loss": "1,830.00",
        "rate": "8.50%",
        "outage": "9:40至13:20",
        "staff": "柜员郭丽萍",
        "collector": "某催收公司",
    }
    out = []
    for _ in range(n):
        text = rng.choice(pool)
        for key, value in slots.items():
            text = text.replace("{" + key + "}", value)
        out.append(text + " 联系电话13812345678，住北京市朝阳区建国路88号3号楼501室。")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rng = random.Random(7)
    known = Known(
        people=(Person("王秀英", "customer"), Person("郭丽萍", "staff"), Person("张晓东", "staff")),
        numbers=("13812345678", "6222021234567894"),
        addresses=("北京市朝阳区建国路88号3号楼501室",),
    )
    corpus = texts(n, rng)
    times: list[float] = []
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for text in corpus:
        t0 = time.perf_counter()
        result = anonymise(text, known, -70, date(2026, 3, 20))
        times.append((time.perf_counter() - t0) * 1000)
        counts += result.counts
    total = time.perf_counter() - started
    chars = sum(len(t) for t in corpus) / n
    print(f"{n} texts of {chars:.0f} characters on average: {n / total:.0f} texts/s")
    print(f"ms per text: p50 {statistics.median(times):.2f}, p95 {statistics.quantiles(times, n=20)[18]:.2f}")
    print("replaced: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))


if __name__ == "__main__":
    main()
