"""Wire types for sign-in and the session (登录)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

from common.api import limits
from common.identity.mobile import validate_mobile


class Role(StrEnum):
    STAFF = "staff"  # 门店业务员
    DEALER_ADMIN = "dealer_admin"  # 经销商
    LESSEE = "lessee"  # 承租人
    RISK_OFFICER = "risk_officer"  # 风控经理
    MONITOR = "monitor"  # 租后管理
    FUNDER = "funder"  # 资金方 (a bank's portfolio manager, read only)
    OEM = "oem"  # 主机厂 (its dealer network's floor plans, aggregated, read only)
    ADMIN = "admin"


class OrganisationKind(StrEnum):
    DEALER = "dealer"  # dealer or tire shop
    FUNDER = "funder"
    LOGISTICS = "logistics"
    INSURER = "insurer"
    LESSOR = "lessor"  # the leasing company itself
    OEM = "oem"  # a vehicle maker 主机厂, with its network of dealers


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, limits.line(limits.USERNAME, min_length=1)]
    # A secret, never stored as text (only its argon2 hash): any characters, bounded length.
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=limits.PASSWORD)]


def _mainland_mobile(raw: str) -> str:
    """The bare 11 digits of a mainland mobile number; ValueError (a 400) otherwise."""
    check = validate_mobile(raw)
    if not check.valid:
        raise ValueError("mobile: not a mainland China mobile number (11 digits, 1[3-9]...)")
    return check.value


Mobile = Annotated[str, limits.line(limits.MOBILE, min_length=1)]


class LesseeCodeRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Ask for a sign-in code 获取验证码 (`mobile` normalised to its 11 digits)."""

    mobile: Mobile

    def __post_init__(self) -> None:
        self.mobile = _mainland_mobile(self.mobile)


class LesseeCodeSent(msgspec.Struct):
    """The same answer whether or not the number has an account."""

    resend_after_s: int  # when the app may offer "get a code" again
    expires_in_s: int  # how long a code works


class LesseeLoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Sign in with the code 验证码登录. The first sign-in also asks `id_last6`, the last six
    characters of the customer's ID number (answer 422 ``identity_required`` without it)."""

    mobile: Mobile
    code: Annotated[str, msgspec.Meta(min_length=6, max_length=6, pattern=limits.ASCII_DIGITS)]
    id_last6: (
        Annotated[str, msgspec.Meta(min_length=6, max_length=6, pattern=r"^[0-9A-Za-z]*$(?!\n)")]
        | None
    ) = None

    def __post_init__(self) -> None:
        self.mobile = _mainland_mobile(self.mobile)


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
