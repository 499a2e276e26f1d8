"""The WeChat callback's answer time: WeChat waits 5 seconds for a passive reply, then re-sends.

    .venv/bin/python bench/wechat.py [--db sqlite|postgres|both] [N]   (default N = 300)

Set-up: the small bank; the official account configured (token, AppID, EncodingAESKey). Through
Django's test client (the whole middleware stack, no network), N signed pushes of each kind, each
from one of 50 customers, one after the other:

- plain text (a new or continued conversation, a message row);
- safe-mode text (decrypt, store, encrypt the reply);
- the same safe-mode push again (a re-sent MsgId: found, not stored);
- a menu click (no database write).

Printed per kind: median, 95th percentile and maximum milliseconds per answer. The budget is WeChat's
5,000 ms; the figures show how far inside it the endpoint answers.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _setup import BenchEnv, parser, run_each_db, strip_db, table


def main() -> int:
    args, _rest = parser(__doc__ or "").parse_known_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    n = (args.sizes or [300])[0]
    import os

    from tests.wechat import helpers as h

    os.environ.update(
        {
            "REDRESSAL_WECHAT_TOKEN": h.TOKEN,
            "REDRESSAL_WECHAT_APPID": h.APPID,
            "REDRESSAL_WECHAT_AES_KEY": h.AES_KEY,
            "REDRESSAL_INTAKE_UNIT": "",
        }
    )
    with BenchEnv(args.db, "wechat") as env:
        from django.test import Client

        client = Client()

        def timed(query: dict[str, str], body: str) -> float:
            started = time.perf_counter()
            response = client.post(f"/wechat/callback?{urlencode(query)}", data=body.encode(), content_type="text/xml")
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            return elapsed

        # The first request imports wechatpy and loads the catalogues (~1.4 s here): a worker's start,
        # not an answer time. It is made once before the timing and printed on its own.
        first = timed(h.signed_query(), h.text_xml("预热", msg_id=1, openid="oBench-warm"))
        kinds: dict[str, list[float]] = {"plain text": [], "safe-mode text": [], "re-sent push": [], "menu click": []}
        for i in range(n):
            openid = f"oBench-{i % 50:04d}"
            plain = h.text_xml(f"留言 {i}", msg_id=10_000 + i, openid=openid)
            kinds["plain text"].append(timed(h.signed_query(), plain))
            query, body = h.encrypted(h.text_xml(f"加密留言 {i}", msg_id=20_000 + i, openid=openid))
            kinds["safe-mode text"].append(timed(query, body))
            kinds["re-sent push"].append(timed(query, body))
            kinds["menu click"].append(timed(h.signed_query(), h.event_xml("CLICK", "PORTAL", openid=openid)))
        rows = []
        for kind, times in kinds.items():
            times.sort()
            p95 = times[max(int(len(times) * 0.95) - 1, 0)]
            rows.append([kind, len(times), f"{statistics.median(times):.1f}", f"{p95:.1f}", f"{times[-1]:.1f}"])
        print(env.describe())
        print(f"first request after start: {first:.0f} ms")
        print(table(["push", "n", "median ms", "p95 ms", "max ms"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
