"""Personal data at rest: AES-GCM encryption; a keyed hash finds duplicates without decrypting."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class PiiCipher:
    def __init__(self, key: bytes, lookup_key: bytes) -> None:
        self._aead = AESGCM(key)
        self._lookup_key = lookup_key

    def encrypt(self, plain: str, *, context: str) -> str:
        """`context` (e.g. "customer.id_number") is bound as associated data: a ciphertext moved
        to another column does not decrypt."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plain.encode(), context.encode())
        return base64.b64encode(nonce + sealed).decode()

    def decrypt(self, token: str, *, context: str) -> str:
        raw = base64.b64decode(token)
        return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()

    def encrypt_bytes(self, plain: bytes, *, context: str) -> bytes:
        """Documents at rest (a contract's PDFs): nonce + ciphertext, raw."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plain, context.encode())

    def decrypt_bytes(self, sealed: bytes, *, context: str) -> bytes:
        return self._aead.decrypt(sealed[:12], sealed[12:], context.encode())

    def lookup_hash(self, normalised: str, *, context: str) -> str:
        msg = f"{context}\x00{normalised}".encode()
        return hmac.new(self._lookup_key, msg, hashlib.sha256).hexdigest()
