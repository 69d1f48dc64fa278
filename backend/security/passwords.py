"""Password hashing with argon2id (argon2-cffi's defaults: RFC 9106's second recommendation)."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("autolease-no-such-user")


def use_parameters(parameters: Parameters) -> None:
    """Hash (and time the unknown-user path) with other parameters from now on. The test suite
    uses argon2's cheapest profile: a login there costs well under a millisecond instead of a
    third of a second, across thousands of logins. Existing hashes still verify with their own."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _hasher.hash("autolease-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
