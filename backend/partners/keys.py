"""Endpoint secrets 签名密钥: made with `secrets`, shown once, sealed at rest with the PII cipher
(context ``webhook_endpoint.secret``: a sealed secret moved to another column does not open)."""

from __future__ import annotations

import secrets
from datetime import datetime

from backend.db.models import WebhookEndpoint
from backend.security.pii import PiiCipher

CONTEXT = "webhook_endpoint.secret"
PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(30)  # 40 characters of 240 random bits


def seal(pii: PiiCipher, secret: str) -> str:
    return pii.encrypt(secret, context=CONTEXT)


def signing_secrets(pii: PiiCipher, endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The current secret, then the previous one while it has not expired."""
    found = [pii.decrypt(endpoint.secret_enc, context=CONTEXT)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_enc and expires is not None and expires > now:
        found.append(pii.decrypt(endpoint.previous_secret_enc, context=CONTEXT))
    return found
