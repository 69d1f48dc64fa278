"""Wire types of contracts, signing, verification and the funder API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from common.api import limits
from common.contract_templates import ContractTemplate
from common.contracts import ContractStatus

Money = Annotated[str, limits.line(40)]  # yuan, e.g. "86000.00"


class Instalment(msgspec.Struct, kw_only=True):
    number: int
    due_date: date
    amount_due: Money  # what the lessee pays that day
    principal: Money
    interest: Money
    fees: Money
    balance: Money
    kind: str = "rent"
    # Servicing (an active contract): common.servicing.standing.RowStatus and what is left.
    status: str = "upcoming"  # paid | due | overdue | upcoming
    status_label: str = "未到期"
    penalty: Money = "0.00"  # 罚息 booked on it
    paid: Money = "0.00"
    outstanding: Money | None = None  # left for the lessee (the deposit's offset excluded)


class ContractSummary(msgspec.Struct, kw_only=True):
    id: str
    number: str
    status: ContractStatus
    status_label: str
    lessee_name: str  # masked
    vin: str
    vehicle: str
    monthly_payment: Money
    annualised_rate_percent: str  # IRR incl. fees: the rate shown first
    term_months: int
    issued_on: date
    signed_at: datetime | None = None
    activated_at: datetime | None = None


class ContractView(msgspec.Struct, kw_only=True):
    id: str
    number: str
    status: ContractStatus
    status_label: str
    application_id: str
    issued_on: date
    parties: list[dict[str, str]]  # role, name (lessee masked), kind
    vehicle: dict[str, str | int | bool]
    product_name: str
    lease_type: str
    principal: Money
    down_payment: Money
    deposit: Money
    balloon: Money
    fees: Money
    method: str
    term_months: int
    annualised_rate_percent: str
    nominal_rate_percent: str
    monthly_payment: Money
    total_payment: Money
    total_interest: Money
    pdf_sha256: str
    signed_sha256: str | None = None
    signed_at: datetime | None = None
    funded: Money | None = None
    value_date: date | None = None
    activated_at: datetime | None = None
    confirmations: dict[str, str] = msgspec.field(default_factory=dict)  # what signing asks
    schedule: list[Instalment] = msgspec.field(default_factory=list)


class PdfLink(msgspec.Struct, kw_only=True):
    url: str  # opens the PDF without the bearer token, for a few minutes
    expires_at: datetime


class SignCodeSent(msgspec.Struct, kw_only=True):
    sent_to: str  # masked mobile


class SignRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^\d{6}$")]
    confirmations: Annotated[list[Annotated[str, limits.line(40)]], msgspec.Meta(max_length=10)]
    device: Annotated[str, limits.line(200)] = ""


class CheckpointOut(msgspec.Struct, kw_only=True):
    position: int
    head_hash: str
    at: str
    key_id: str
    signature: str


class EventOut(msgspec.Struct, kw_only=True):
    at: datetime
    action: str
    actor_role: str | None
    position: int | None
    hash: str | None


class VerifyReport(msgspec.Struct, kw_only=True):
    original: bool  # the sealed original of one of our contracts, seal intact and trusted
    sealed: bool
    intact: bool
    trusted: bool
    sha256: str
    contract_id: str | None = None
    contract_number: str | None = None
    signer: str = ""
    signed_at: datetime | None = None
    timestamp_at: datetime | None = None
    problem: str | None = None
    checkpoint: CheckpointOut | None = None
    events: list[EventOut] = msgspec.field(default_factory=list)


class FundingRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    amount: Money
    value_date: date
    reference: Annotated[str, limits.line(64)]


class FunderContract(msgspec.Struct, kw_only=True):
    id: str
    number: str
    status: ContractStatus
    principal: Money
    term_months: int
    annualised_rate_percent: str
    signed_at: datetime | None
    dealer_id: str
    funded: Money | None = None
    value_date: date | None = None


class TemplateSave(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    template: ContractTemplate  # its version is ignored: the next number is taken
    reason: Annotated[str, limits.line(200, 1)]
