"""Wire types of partner notification 合作方通知: partner organisations (logistics companies,
insurers), their webhook endpoints, a contract's partners and the delivery log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

import msgspec

from common.api import limits
from common.identity.mobile import validate_mobile
from common.webhooks import SUBSCRIPTION

URL_MAX = 2000
ENDPOINT_DESCRIPTION = 200
PARTNER_NAME = 200
EVENT_ID = 64
MAX_SUBSCRIPTIONS = 20
ROTATION_HOURS_MAX = 7 * 24  # the previous secret keeps signing at most a week


class PartnerRole(StrEnum):
    LOGISTICS = "logistics"  # 物流公司
    INSURER = "insurer"  # 保险公司


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    DELIVERED = "delivered"  # a 2xx came back
    FAILED = "failed"  # the last attempt failed; another is scheduled
    GAVE_UP = "gave_up"  # the retry schedule is spent


Subscription = Annotated[
    str, msgspec.Meta(min_length=3, max_length=100, pattern=SUBSCRIPTION.pattern)
]
Subscriptions = Annotated[
    list[Subscription], msgspec.Meta(min_length=1, max_length=MAX_SUBSCRIPTIONS)
]
SmsSubscriptions = Annotated[list[Subscription], msgspec.Meta(max_length=MAX_SUBSCRIPTIONS)]
Url = Annotated[str, limits.line(URL_MAX, min_length=1)]


class PartnerRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Annotated[str, limits.line(PARTNER_NAME, min_length=1)]
    kind: PartnerRole
    region_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$(?!\n)")] | None = None


class PartnerView(msgspec.Struct, kw_only=True):
    id: str
    name: str
    kind: str
    region_code: str | None
    endpoints: int  # how many (active or not)


class EndpointRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    url: Url  # https:// (outside the demo), a host name or a public address
    event_types: Subscriptions  # "alert.opened", "alert.*", ...
    description: Annotated[str, limits.line(ENDPOINT_DESCRIPTION)] = ""


class EndpointChange(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Only what is given changes."""

    url: Url | None = None
    event_types: Subscriptions | None = None
    description: Annotated[str, limits.line(ENDPOINT_DESCRIPTION)] | None = None
    active: bool | None = None


class RotateRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    # how long the old secret keeps signing beside the new one (0: it stops at once)
    previous_valid_hours: Annotated[int, limits.int_range(0, ROTATION_HOURS_MAX)] = 24


class EndpointView(msgspec.Struct, kw_only=True):
    id: str
    organisation_id: str
    url: str
    description: str
    event_types: list[str]
    active: bool
    created_at: datetime
    secret_rotated_at: datetime | None
    previous_secret_expires_at: datetime | None  # while the old secret still signs


class EndpointSecret(msgspec.Struct, kw_only=True):
    """The endpoint and its signing secret: shown here once (at creation, at rotation)."""

    endpoint: EndpointView
    secret: str


class ContractPartnerRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    organisation_id: Annotated[str, limits.line(32, min_length=1)]
    contact_name: Annotated[str, limits.line(limits.CUSTOMER_NAME, min_length=1)]
    contact_mobile: Annotated[str, limits.line(limits.MOBILE, min_length=1)]
    sms_event_types: SmsSubscriptions = msgspec.field(default_factory=lambda: ["alert.opened"])

    def __post_init__(self) -> None:
        self.contact_name = self.contact_name.strip()
        if not self.contact_name:
            raise ValueError("contact_name: empty")
        if len(self.contact_name.encode()) > limits.CUSTOMER_NAME_BYTES:
            raise ValueError("contact_name: too long")
        check = validate_mobile(self.contact_mobile)
        if not check.valid:
            raise ValueError("contact_mobile: not a mainland China mobile number")
        self.contact_mobile = check.value


class ContractPartnerView(msgspec.Struct, kw_only=True):
    id: str
    contract_id: str
    role: str
    organisation_id: str
    organisation_name: str
    contact_name: str  # masked 张*
    contact_mobile: str  # masked 138****5678
    sms_event_types: list[str]


class AttemptView(msgspec.Struct, kw_only=True):
    number: int
    at: datetime
    duration_ms: int
    status_code: int | None
    error_code: str | None
    error: str | None


class DeliveryView(msgspec.Struct, kw_only=True):
    id: str
    endpoint_id: str
    endpoint_url: str
    organisation_id: str
    contract_id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error_code: str | None
    last_error: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    history: list[AttemptView] = msgspec.field(default_factory=list)  # on the detail view only
