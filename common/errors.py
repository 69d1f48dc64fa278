"""One error family for the domain.

A `DomainError` carries a stable machine `code` (snake_case, never changes once published), a
message in Chinese for the person using the app, the same in English, and optionally the fields
it concerns. The backend maps it once to RFC 9457 problem details; the app shows `message`.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A rule of the domain was broken by the input; answered with a 4xx, never a 500."""

    status: int = 422

    def __init__(
        self,
        code: str,
        message: str,
        message_en: str = "",
        *,
        fields: Mapping[str, str] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en or message}")
        self.code = code
        self.message = message
        self.message_en = message_en or message
        self.fields: dict[str, str] = dict(fields or {})
        if status is not None:
            self.status = status


class NotFound(DomainError):
    """The object does not exist, or belongs to another owner (we never tell which)."""

    status = 404


class Conflict(DomainError):
    """The request clashes with the current state (a concurrent edit, a reused idempotency key)."""

    status = 409


class Forbidden(DomainError):
    status = 403


class Unauthorized(DomainError):
    status = 401
