"""Funding 放款 by a funder (bank / leasing partner) over its machine API, and activation.

A funder authenticates with an API key (only a keyed hash is stored) and sees only the signed
contracts offered to it. Confirming the funding — the amount must be the contract's financed
amount — activates the contract and books the lease into the ledger in the same transaction:
the funds received, the schedule (receivable and unearned interest, down payment, deposit,
fees) and the disbursement to the dealer. The ledger's references are the contract's, so a
retried confirmation can never post twice.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Contract, FunderKey, Organisation
from backend.dealers import commissions
from backend.floorplan import sale as floorplan_sale
from backend.funders import agreements as funder_agreements
from backend.funders import allocation as colending
from backend.ledger import service as ledger
from backend.servicing import dues
from common import ledger as postings
from common.api.auth import OrganisationKind, Role
from common.assets import RECEIVABLE_KINDS
from common.contracts import ContractStatus, transition
from common.errors import DomainError, NotFound, Unauthorized

NOT_OFFERED = NotFound("contract_not_found", "合同不存在", "No such contract")
BAD_KEY = Unauthorized("funder_key_invalid", "资金方密钥无效", "Unknown or revoked API key")


@dataclass(frozen=True)
class Funder:
    """The caller of the funder API: one funder organisation, through one of its keys."""

    key_id: str
    organisation_id: str

    def as_caller(self) -> Principal:
        """The key as the owner of its Idempotency-Keys (replays are per key). Never an actor on
        the audit log: there a funder's events name the funder and the key."""
        return Principal(self.key_id, f"funder-key:{self.key_id}", Role.ADMIN,
                         self.organisation_id, "")  # fmt: skip


def _hash(secret_key: str, api_key: str) -> str:
    key = hashlib.sha256(f"funder-api-key\x00{secret_key}".encode()).digest()
    return hmac.new(key, api_key.encode(), hashlib.sha256).hexdigest()


async def issue_key(
    db: AsyncSession, secret_key: str, organisation_id: str, label: str, now: datetime
) -> str:
    """A new API key for a funder; shown once, only its hash is kept."""
    org = await db.get(Organisation, organisation_id)
    if org is None or org.kind != OrganisationKind.FUNDER.value:
        raise DomainError("not_a_funder", "该机构不是资金方", "Not a funder organisation")
    api_key = "alf_" + secrets.token_urlsafe(32)
    db.add(FunderKey(organisation_id=organisation_id, key_hash=_hash(secret_key, api_key),
                     label=label, created_at=now))  # fmt: skip
    return api_key


async def funder_for(db: AsyncSession, secret_key: str, api_key: str) -> Funder:
    if not api_key or len(api_key) > 200:
        raise BAD_KEY
    row = await db.scalar(select(FunderKey).where(FunderKey.key_hash == _hash(secret_key, api_key)))
    if row is None or row.revoked_at is not None:
        raise BAD_KEY
    return Funder(row.id, row.organisation_id)


async def offered(db: AsyncSession, funder: Funder, status: str | None) -> list[Contract]:
    """Signed contracts awaiting funding (any funder may take one), and this funder's own."""
    query = select(Contract).order_by(Contract.signed_at)
    if status == "awaiting_funding" or status is None:
        query = query.where(
            Contract.status == ContractStatus.SIGNED.value, Contract.funder_id.is_(None)
        )
    else:
        query = query.where(Contract.funder_id == funder.organisation_id, Contract.status == status)
    return list(await db.scalars(query.limit(200)))


async def _offered_one(db: AsyncSession, funder: Funder, contract_id: str) -> Contract:
    contract = await db.get(Contract, contract_id) if len(contract_id) <= 32 else None
    if contract is None or contract.status not in (
        ContractStatus.SIGNED.value, ContractStatus.ACTIVE.value
    ):  # fmt: skip
        raise NOT_OFFERED
    if contract.funder_id not in (None, funder.organisation_id):
        raise NOT_OFFERED  # another funder's deal
    return contract


async def confirm(
    db: AsyncSession,
    funder: Funder,
    contract_id: str,
    *,
    amount_fen: int,
    value_date: date,
    reference: str,
    now: datetime,
) -> Contract:
    contract = await _offered_one(db, funder, contract_id)
    if contract.status == ContractStatus.ACTIVE.value:
        return contract  # funded already: one activation
    # 联合贷款: under an agreement the funder wires its share only; the lessor funds the rest.
    agreement = await funder_agreements.in_force(db, funder.organisation_id)
    if amount_fen != colending.amount_to_fund(agreement, contract.principal_fen):
        raise DomainError(
            "funding_amount_mismatch",
            "放款金额与合同融资额不符",
            "The amount is not the contract's financed amount (or the funder's share of it)",
            fields={"amount": "funding_amount_mismatch"},
        )
    transition(contract.status, ContractStatus.ACTIVE)
    # The dealer's floor-plan unit of this VIN is repaid from what it is owed (backend.floorplan).
    set_off = await floorplan_sale.set_off_on_funding(db, contract, _owed_to_payee(contract), now)
    for entry in _entries(contract, funder, amount_fen, set_off):
        await ledger.post(db, entry, reference=contract.id, at=now, actor=None)
    contract.status = ContractStatus.ACTIVE.value
    contract.funder_id = funder.organisation_id
    contract.funded_fen = amount_fen
    contract.value_date = value_date
    contract.funding_reference = reference[:64]
    contract.activated_at = now
    contract.updated_at = now
    await db.flush()  # a concurrent confirmation loses on the version: 409
    await dues.materialise(db, contract)
    await colending.on_funding(db, contract, agreement, funded_fen=amount_fen,
                               value_date=value_date, now=now)  # fmt: skip
    await commissions.on_funding(db, contract, now)  # the dealer's, earned and paid now
    for action in ("contract.funded", "contract.activated"):
        await audit.record(
            db, actor=None, action=action, entity_type="contract", entity_id=contract.id,
            before={"status": ContractStatus.SIGNED.value}, after={"status": contract.status},
            detail={"amount_fen": amount_fen, "value_date": value_date.isoformat(),
                    "reference": reference[:64], "funder": funder.organisation_id,
                    "funder_key": funder.key_id},
            at=now,
        )  # fmt: skip
    return contract


def _owed_to_payee(contract: Contract) -> int:
    """What the payee (the dealer, or a receivable's client) is owed: the financed amount and
    the down payment collected for it."""
    terms = contract.document["terms"]
    return int(terms["principal_fen"]) + int(terms["down_payment_fen"])


def _payee(contract: Contract) -> tuple[postings.Account, str]:
    """Who the financed amount is paid to: the dealer who sold the car (or the equipment), or,
    for a financed receivable (supplier finance, freight advance), the client whose receivable
    it is — never the shop that filed it."""
    asset = contract.document.get("asset") or {}
    if asset.get("kind") in RECEIVABLE_KINDS:
        return postings.Account.CLIENT_PAYABLE, contract.customer_id
    return postings.Account.DEALER_PAYABLE, contract.organisation_id


def _entries(
    contract: Contract, funder: Funder, amount_fen: int, set_off: int = 0
) -> list[postings.Entry]:
    terms = contract.document["terms"]
    paid_out = _owed_to_payee(contract) - set_off  # the floor-plan set-off is not paid out
    payee, payee_id = _payee(contract)
    return [
        postings.funding(contract.id, funder.organisation_id, amount_fen),
        *postings.activation(
            contract.id,
            lessee_id=contract.customer_id,
            dealer_id=payee_id,
            payee=payee,
            # what is financed plus what was paid down: a car's price, or a partner asset's
            # financed part (its unfinanced part is never paid to us)
            price=_owed_to_payee(contract),
            principal=int(terms["principal_fen"]),
            down_payment=int(terms["down_payment_fen"]),
            total_payment=int(terms["total_payment_fen"]),
            total_interest=int(terms["total_interest_fen"]),
            deposit=int(terms["deposit_fen"]),
            fees=int(terms["fees_fen"]),
            fees_at_signing=int(terms.get("upfront_fees_fen", 0)),
        ),
        *([postings.disbursement(contract.id, payee_id, paid_out, payee)]
          if paid_out else []),
    ]  # fmt: skip
