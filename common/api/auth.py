"""Wire types for sign-in and the session (登录)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

from common.api import limits


class Role(StrEnum):
    STAFF = "staff"  # 门店业务员
    DEALER_ADMIN = "dealer_admin"  # 经销商
    LESSEE = "lessee"  # 承租人
    RISK_OFFICER = "risk_officer"  # 风控经理
    MONITOR = "monitor"  # 租后管理
    ADMIN = "admin"


class OrganisationKind(StrEnum):
    DEALER = "dealer"  # dealer or tire shop
    FUNDER = "funder"
    LOGISTICS = "logistics"
    INSURER = "insurer"
    LESSOR = "lessor"  # the leasing company itself


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, limits.line(limits.USERNAME, min_length=1)]
    # A secret, never stored as text (only its argon2 hash): any characters, bounded length.
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=limits.PASSWORD)]


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, limits.line(limits.TOKEN, min_length=1)]


class UserInfo(msgspec.Struct):
    id: str
    username: str
    display_name: str
    role: Role
    organisation_id: str
    organisation_name: str
    organisation_kind: OrganisationKind
    # the shop's 6-digit division (GB/T 2260): the intake proposes it as the customer's region
    organisation_region_code: str | None = None


class TokenPair(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    user: UserInfo
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
