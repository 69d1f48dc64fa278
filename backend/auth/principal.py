"""Who is calling: set on the connection by the auth middleware, read by guards and services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from litestar.di import NamedDependency

from common.api.auth import Role


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    role: Role
    organisation_id: str
    session_id: str
    # A lessee's own customer (a lessee sees only their own records); None for everyone else.
    customer_id: str | None = None

    def has(self, *roles: Role) -> bool:
        return self.role in roles


@dataclass(frozen=True)
class UploadGrant:
    """What a signed upload URL allows: one photo of one kind for one application, once."""

    application_id: str
    kind: str
    jti: str


# The authenticated caller, injected by name into route handlers (set by the access guard).
Caller: TypeAlias = NamedDependency[Principal]
