"""Signing in with the bank's own customer login (OIDC; SPEC §9 "an OIDC/SSO adapter in production").

mozilla-django-oidc does the code flow (state, nonce, the token exchange, the ID token's signature);
what the bank's identity provider vouches for is then mapped by :func:`phone_from_claims` to the same
:class:`CustomerSession` a one-time code opens: the customer is their verified phone. Off unless
``REDRESSAL_PORTAL_OIDC_CLIENT_ID`` and the endpoints are set (``settings.PORTAL_OIDC``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from redressal.domain import otp
from redressal.domain.errors import DomainError

# Our settings names → the library's.
_NAMES = {
    "OIDC_RP_CLIENT_ID": "CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "JWKS_ENDPOINT",
    "OIDC_RP_SIGN_ALGO": "SIGN_ALGO",
}
_DEFAULTS: dict[str, Any] = {
    "OIDC_RP_SCOPES": "openid phone",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_AUTHENTICATION_CALLBACK_URL": "portal:oidc_callback",
    "OIDC_USE_PKCE": True,
}


def enabled() -> bool:
    conf = settings.PORTAL_OIDC
    return all(conf.get(k) for k in ("CLIENT_ID", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT"))


def setting(attr: str, *default: Any) -> Any:
    name = _NAMES.get(attr)
    value = settings.PORTAL_OIDC.get(name, "") if name else ""
    if value:
        return value
    if attr in _DEFAULTS:
        return _DEFAULTS[attr]
    if default:
        return default[0]
    return None


def phone_from_claims(claims: Mapping[str, Any], claim: str = "phone_number") -> str:
    """The customer's phone, as the bank's login vouches for it: the claim (OIDC Core §5.1
    ``phone_number``, or the bank's own name for it) with ``phone_number_verified`` true. An
    unverified or missing phone, or one that is no mainland mobile, signs nobody in."""
    if claims.get(f"{claim}_verified", claims.get("phone_number_verified")) is not True:
        raise DomainError("oidc.phone_unverified", "the login did not vouch for a phone number", field="phone")
    value = claims.get(claim)
    if not isinstance(value, str):
        raise DomainError("oidc.phone_missing", "the login gave no phone number", field="phone")
    return otp.normalise_phone(value)


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Not an authentication backend of Django's users: ``authenticate`` answers the verified phone."""

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return setting(attr, *args)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = dict(payload)
        claims.update(self.get_userinfo(access_token, id_token, payload) or {})
        try:
            return phone_from_claims(claims, settings.PORTAL_OIDC.get("PHONE_CLAIM") or "phone_number")
        except DomainError as exc:
            raise SuspiciousOperation(exc.rule) from None
