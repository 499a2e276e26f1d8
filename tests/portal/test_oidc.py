"""The bank's own customer login (OIDC): off unless configured; the verified phone claim maps to the
same customer session a code opens. No OIDC server is run: mozilla-django-oidc's code flow is the
library's, tested there; what is ours is the claim mapping and the wiring."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client

from redressal.domain.errors import DomainError
from redressal.portal import oidc
from redressal.portal.models import CustomerSession

CONFIG = {
    "CLIENT_ID": "redressal-portal",
    "CLIENT_SECRET": "s3cret",
    "AUTHORIZATION_ENDPOINT": "https://login.bank.example/authorize",
    "TOKEN_ENDPOINT": "https://login.bank.example/token",
    "USER_ENDPOINT": "https://login.bank.example/userinfo",
    "JWKS_ENDPOINT": "https://login.bank.example/jwks",
    "SIGN_ALGO": "RS256",
    "PHONE_CLAIM": "",
}


def test_a_verified_phone_claim_is_the_customer():
    assert oidc.phone_from_claims({"phone_number": "+86 138 0013 8000", "phone_number_verified": True}) == (
        "13800138000"
    )
    assert oidc.phone_from_claims({"mobile": "13900139000", "mobile_verified": True}, "mobile") == "13900139000"


@pytest.mark.parametrize(
    "claims,rule",
    [
        ({"phone_number": "13800138000"}, "oidc.phone_unverified"),
        ({"phone_number": "13800138000", "phone_number_verified": "true"}, "oidc.phone_unverified"),
        ({"phone_number_verified": True}, "oidc.phone_missing"),
        ({"phone_number": "010-88886666", "phone_number_verified": True}, "otp.phone_invalid"),
    ],
)
def test_no_verified_mobile_no_customer(claims, rule):
    with pytest.raises(DomainError) as err:
        oidc.phone_from_claims(claims)
    assert err.value.rule == rule


def test_off_unless_configured(bank):
    assert not oidc.enabled()
    assert Client().get("/portal/oidc/start/").status_code == 404
    assert Client().get("/portal/oidc/callback/?code=x&state=y").status_code == 404
    assert "使用手机银行账户登录" not in Client().get("/portal/signin/").content.decode()


@pytest.fixture
def configured(settings):
    settings.PORTAL_OIDC = dict(CONFIG)


def test_configured_the_sign_in_goes_to_the_banks_login_with_state_and_pkce(bank, configured):
    client = Client()
    assert "使用手机银行账户登录" in client.get("/portal/signin/").content.decode()
    r = client.get("/portal/oidc/start/")
    assert r.status_code == 302
    target = urlsplit(r["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == CONFIG["AUTHORIZATION_ENDPOINT"]
    query = parse_qs(target.query)
    assert query["client_id"] == ["redressal-portal"] and query["scope"] == ["openid phone"]
    assert query["redirect_uri"][0].endswith("/portal/oidc/callback/")
    assert query["code_challenge_method"] == ["S256"] and query["nonce"]
    assert query["state"][0] in client.session["oidc_states"]


def test_the_backend_maps_the_claims_and_refuses_an_unverified_phone(bank, configured, monkeypatch):
    backend = oidc.PortalOIDCBackend()
    monkeypatch.setattr(backend, "get_userinfo", lambda *a: {"phone_number": "13800138000"})
    assert backend.get_or_create_user("at", "it", {"phone_number_verified": True}) == "13800138000"
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("at", "it", {})


def test_the_callback_opens_the_same_customer_session(bank, configured, monkeypatch):
    client = Client()
    client.get("/portal/oidc/start/")
    state = next(iter(client.session["oidc_states"]))
    seen = {}

    def authenticate(self, request, **kwargs):
        seen.update(kwargs)
        return "13800138000"

    monkeypatch.setattr(oidc.PortalOIDCBackend, "authenticate", authenticate)
    r = client.get(f"/portal/oidc/callback/?code=abc&state={state}")
    assert r.status_code == 302 and r["Location"] == "/portal/"
    session = CustomerSession.objects.get()
    assert session.via == "oidc" and session.phone == "13800138000"
    assert seen["nonce"] and seen["code_verifier"]
    assert client.get("/portal/").status_code == 200
    # A state that was not issued (or is replayed) signs nobody in.
    again = client.get(f"/portal/oidc/callback/?code=abc&state={state}")
    assert again.status_code == 403 and CustomerSession.objects.count() == 1
