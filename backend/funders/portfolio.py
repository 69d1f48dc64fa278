"""The funder's portfolio 资产组合: its funded contracts, what is outstanding (the whole and its
share), delinquency by bucket, repayments allocated to its share by month, what the lessor owes
it now, and the contracts for drill-down. Only the funder's own contracts (`Contract.funder_id`),
another's answer 404; lessees appear masked only.

A contract funded without an agreement (before co-lending existed) counts as funded whole: its
share is 100 %, it has no yield and no allocations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    Application,
    Contract,
    ContractFunding,
    ContractInstalment,
    CustomerVersion,
    FunderAllocation,
)
from backend.funders import agreements
from backend.funders.remittances import owed_by_contract
from backend.ledger import service as ledger
from common.api.funders import (
    Allocation,
    BucketFigures,
    MonthFigures,
    Portfolio,
    PortfolioContract,
    PortfolioContractDetail,
)
from common.colending import WHOLE, percent_text
from common.contracts import ContractStatus
from common.daycount import add_months
from common.errors import NotFound
from common.ledger import Account
from common.money import yuan_text
from common.servicing.delinquency import Bucket

CONTRACT_NOT_FOUND = NotFound("contract_not_found", "合同不存在", "No such contract")
MONTHS = 12
LISTED = 500  # the newest; the figures above the list cover every contract


@dataclass(frozen=True, slots=True)
class _Line:
    item: PortfolioContract
    outstanding: int
    funder_outstanding: int
    funded: int
    financed: int
    received_principal: int
    received_yield: int


async def _lines(db: AsyncSession, funder_id: str, contract_id: str | None = None) -> list[_Line]:
    open_principal = (
        select(ContractInstalment.contract_id.label("cid"),
               func.sum(ContractInstalment.principal_fen
                        - ContractInstalment.paid_principal_fen).label("open"))
        .join(Contract, and_(Contract.id == ContractInstalment.contract_id,
                             Contract.revision == ContractInstalment.revision))
        .where(Contract.funder_id == funder_id)
        .group_by(ContractInstalment.contract_id)
        .subquery()
    )  # fmt: skip
    received = (
        select(FunderAllocation.contract_id.label("cid"),
               func.sum(FunderAllocation.principal_fen).label("principal"),
               func.sum(FunderAllocation.yield_fen).label("yield_"))
        .where(FunderAllocation.funder_id == funder_id)
        .group_by(FunderAllocation.contract_id)
        .subquery()
    )  # fmt: skip
    query = (
        select(Contract, ContractFunding, CustomerVersion.name_masked, open_principal.c.open,
               received.c.principal, received.c.yield_)
        .join(Application, Application.id == Contract.application_id)
        .outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
        .outerjoin(ContractFunding, ContractFunding.contract_id == Contract.id)
        .outerjoin(open_principal, open_principal.c.cid == Contract.id)
        .outerjoin(received, received.c.cid == Contract.id)
        .where(Contract.funder_id == funder_id)
        .order_by(Contract.activated_at.desc(), Contract.id)
    )  # fmt: skip
    if contract_id is not None:
        query = query.where(Contract.id == contract_id)
    out = []
    for contract, funding, masked, open_fen, got_principal, got_yield in await db.execute(query):
        settled = contract.status != ContractStatus.ACTIVE.value
        outstanding = 0 if settled else int(open_fen or 0)
        share = funding.share_e4 if funding else WHOLE
        funded = funding.funded_fen if funding else int(contract.funded_fen or 0)
        principal_in, yield_in = int(got_principal or 0), int(got_yield or 0)
        # The funder's capital still in the contract (= funder_capital on the ledger).
        funder_outstanding = (0 if settled else funded - principal_in) if funding else outstanding
        item = PortfolioContract(
            id=contract.id, number=contract.number, lessee=masked or "", status=contract.status,
            bucket=contract.bucket, days_past_due=contract.days_past_due,
            share_percent=percent_text(share),
            yield_percent=percent_text(funding.yield_e4) if funding else None,
            financed=yuan_text(contract.principal_fen), funded=yuan_text(funded),
            outstanding=yuan_text(outstanding), funder_outstanding=yuan_text(funder_outstanding),
            received_principal=yuan_text(principal_in), received_yield=yuan_text(yield_in),
            value_date=contract.value_date,
        )  # fmt: skip
        out.append(_Line(item, outstanding, funder_outstanding, funded, contract.principal_fen,
                         principal_in, yield_in))  # fmt: skip
    return out


async def _monthly(db: AsyncSession, funder_id: str, as_of: date) -> list[MonthFigures]:
    first = add_months(as_of.replace(day=1), -(MONTHS - 1))
    keys = [add_months(first, k).strftime("%Y-%m") for k in range(MONTHS)]
    rows = await db.execute(
        select(FunderAllocation.paid_on, FunderAllocation.paid_fen,
               FunderAllocation.principal_fen, FunderAllocation.yield_fen)
        .where(FunderAllocation.funder_id == funder_id, FunderAllocation.paid_on >= first)
    )  # fmt: skip
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for paid_on, paid, principal, yield_ in rows:
        s = sums[paid_on.strftime("%Y-%m")]
        # a yield taken back (`allocation.on_lift`, nothing paid) lowers its month's yield but
        # is no repayment
        s[0], s[1], s[2] = s[0] + principal, s[1] + yield_, s[2] + (1 if paid else 0)
    return [MonthFigures(month=m, principal=yuan_text(sums[m][0]), yield_=yuan_text(sums[m][1]),
                         repayments=sums[m][2]) for m in keys]  # fmt: skip


def _buckets(lines: list[_Line]) -> list[BucketFigures]:
    out = []
    for bucket in Bucket:
        mine = [x for x in lines if x.item.bucket == bucket.value and x.item.status
                == ContractStatus.ACTIVE.value]  # fmt: skip
        out.append(BucketFigures(
            bucket=bucket.value, count=len(mine),
            outstanding=yuan_text(sum(x.outstanding for x in mine)),
            funder_outstanding=yuan_text(sum(x.funder_outstanding for x in mine)),
        ))  # fmt: skip
    return out


async def portfolio(db: AsyncSession, funder_id: str, as_of: date) -> Portfolio:
    org = await agreements.funder(db, funder_id)
    lines = await _lines(db, funder_id)
    agreement = await agreements.in_force(db, funder_id)
    owed = await ledger.party_balances(db, funder_id, (Account.FUNDER_PAYABLE,))
    return Portfolio(
        funder_id=org.id, funder_name=org.name, as_of=as_of,
        agreement=agreements.view(agreement) if agreement else None,
        contracts=len(lines), financed=yuan_text(sum(x.financed for x in lines)),
        funded=yuan_text(sum(x.funded for x in lines)),
        outstanding=yuan_text(sum(x.outstanding for x in lines)),
        funder_outstanding=yuan_text(sum(x.funder_outstanding for x in lines)),
        owed_now=yuan_text(owed.get(Account.FUNDER_PAYABLE, 0)),
        received_principal=yuan_text(sum(x.received_principal for x in lines)),
        received_yield=yuan_text(sum(x.received_yield for x in lines)),
        buckets=_buckets(lines), months=await _monthly(db, funder_id, as_of),
        items=[x.item for x in lines[:LISTED]],
    )  # fmt: skip


async def contract(db: AsyncSession, funder_id: str, contract_id: str) -> PortfolioContractDetail:
    """One of the funder's contracts with its allocations; anyone else's: 404."""
    lines = await _lines(db, funder_id, contract_id) if len(contract_id) <= 32 else []
    if not lines:
        raise CONTRACT_NOT_FOUND
    allocations = await db.scalars(
        select(FunderAllocation)
        .where(FunderAllocation.contract_id == contract_id,
               FunderAllocation.funder_id == funder_id)
        .order_by(FunderAllocation.paid_on.desc(), FunderAllocation.at.desc())
    )  # fmt: skip
    owed = (await owed_by_contract(db, funder_id)).get(contract_id, 0)
    return PortfolioContractDetail(
        contract=lines[0].item, owed_now=yuan_text(owed),
        allocations=[Allocation(reference=a.reference, paid_on=a.paid_on,
                                paid=yuan_text(a.paid_fen), principal=yuan_text(a.principal_fen),
                                yield_=yuan_text(a.yield_fen)) for a in allocations],
    )  # fmt: skip
