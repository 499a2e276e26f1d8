"""Building what WeChat's servers send: signed query strings, plain and safe-mode (AES) pushes."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN = "redressal-test-token"
APPID = "wx1234567890abcdef"
# 43 characters: a 32-byte key in base64 without its padding, as the platform shows it.
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SECRET = "app-secret-for-tests"
OPENID = "oXyZ-abc_123DEF456ghi789jkl"
ACCOUNT = "gh_redressal"


def signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, *extra])).encode()).hexdigest()


def signed_query(timestamp: str = "1700000000", nonce: str | None = None, token: str = TOKEN) -> dict[str, str]:
    nonce = nonce or secrets.token_hex(5)
    return {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}


def text_xml(content: str, *, msg_id: int = 1001, openid: str = OPENID, created: int = 1700000000) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def image_xml(*, msg_id: int = 2001, openid: str = OPENID) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType>"
        f"<PicUrl><![CDATA[http://example.invalid/p.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(event: str, key: str = "", *, openid: str = OPENID) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>"
    )


def encrypted(xml: str, timestamp: str = "1700000000", nonce: str = "n0nce") -> tuple[dict[str, str], str]:
    """The query and the body of a safe-mode push carrying ``xml``."""
    from wechatpy.crypto import WeChatCrypto

    sealed = WeChatCrypto(TOKEN, AES_KEY, APPID).encrypt_message(xml, nonce, timestamp)
    encrypt = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>", sealed).group(1)
    msg_signature = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]></MsgSignature>", sealed).group(1)
    query = {**signed_query(timestamp, nonce), "encrypt_type": "aes", "msg_signature": msg_signature}
    body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    return query, body


def decrypt_reply(answer: str, query: dict[str, str]) -> str:
    from wechatpy.crypto import WeChatCrypto

    msg_signature = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]></MsgSignature>", answer).group(1)
    timestamp = re.search(r"<TimeStamp>(.*?)</TimeStamp>", answer).group(1)
    nonce = re.search(r"<Nonce><!\[CDATA\[(.*?)\]\]></Nonce>", answer).group(1)
    return WeChatCrypto(TOKEN, AES_KEY, APPID).decrypt_message(answer, msg_signature, timestamp, nonce)
