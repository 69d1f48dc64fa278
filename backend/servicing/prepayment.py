"""Partial prepayment 部分提前还款: preview both modes, store a quote, and on its payment write
the next schedule revision (`common.servicing.partial_prepayment` decides the new schedule).

A prepayment is taken on a contract with nothing overdue on the day it is paid (pay the arrears
first — answered 409 prepayment_not_now: the product takes a prepayment only on a contract that
is up to date). What was paid ahead on the rows to come is lifted to 溢缴款 and applied to the
new rows, oldest first (`dues.lift_ahead` / `carry_ahead`). The new revision's rows continue the
contract's numbering; fees still due on the old rows move to the new rows of the same number
(the last new row takes those beyond the new term), and the deposit offset still planned moves
to the new last rents, so the books' fees receivable and the deposit keep their meaning.

Postings on payment (`common.ledger.payoff` with kind prepayment): Dr cash the amount due;
Cr lease_receivable the principal prepaid plus the interest the old rents had and the new ones
do not (I_old - I_new), with Dr unearned_interest by that interest; Cr interest_income the
interest accrued on the prepaid principal to the day; Cr fee_income the 违约金.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Contract, ContractInstalment, PayoffQuote, ScheduleRevision
from backend.funders import allocation as colending
from backend.ledger import service as ledger
from backend.servicing import dues, quotes
from common import ledger as postings
from common.contracts import ContractStatus
from common.errors import Conflict, DomainError
from common.money import from_fen, parse_money, to_fen
from common.schedule import Schedule, build_schedule
from common.servicing import Component, Prepayment, PrepaymentMode, partial_prepayment
from common.servicing.policy import policy_for
from common.servicing.standing import applied_of

NOT_NOW = Conflict(
    "prepayment_not_now", "合同有逾期款项，请先结清逾期款项再申请提前还款",
    "The contract has arrears: settle them first",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Preview:
    mode: PrepaymentMode
    prepayment: Prepayment
    offset: int  # the contract's number of the new schedule's instalment 0
    level: Decimal | None  # the level the new schedule was built with
    paid_ahead: int  # fen paid on the old rows to come, applied to the new rows first

    @property
    def rows(self) -> list[tuple[int, date, int, int, int]]:
        """(number, due date, principal, interest, balance) of the new schedule, in fen."""
        return [(i.number + self.offset, i.due_date, to_fen(i.principal), to_fen(i.interest),
                 to_fen(i.balance)) for i in self.prepayment.schedule.instalments]  # fmt: skip


def level_of(p: Prepayment, previous: Schedule) -> Decimal | None:
    """The level rent (or principal part) the new schedule was built with: the one of None,
    the previous rent, the previous principal part that rebuilds it exactly."""
    wanted = p.schedule.instalments
    for level in (None, previous.rent, previous.instalments[-1].principal):
        if build_schedule(p.schedule.terms, level=level).instalments == wanted:
            return level
    raise RuntimeError("the new schedule cannot be rebuilt from its terms")


async def next_revision(db: AsyncSession, contract: Contract) -> int:
    """The next revision number: above every revision the contract ever had (a reversed one
    keeps its rows and its number)."""
    top = await db.scalar(
        select(func.max(ContractInstalment.revision)).where(
            ContractInstalment.contract_id == contract.id
        )
    )
    return max(int(top or 0), contract.revision) + 1


def revision_rows(
    contract: Contract,
    revision: int,
    schedule: Schedule,
    offset: int,
    old: Sequence[ContractInstalment],
    first_fees: int = 0,
) -> list[ContractInstalment]:
    """The rows of a new revision: `schedule`'s instalments numbered from `offset` + 1; the
    fees of the `old` rows to come move to the new row of the same number (the last new row
    takes those beyond the new term; the first new row takes `first_fees`) — whole, as what was
    paid on them was lifted to 溢缴款 (`dues.lift_ahead`) — and the deposit offset still planned
    on them moves to the new last rents."""
    fees = {r.number: r.fees_fen for r in old}
    new = schedule.instalments
    first, last = new[0].number + offset, new[-1].number + offset
    beyond = sum(f for n, f in fees.items() if n > last)
    planned = sum(r.offset_fen - r.offset_applied_fen for r in old)
    made = []
    for i in new:
        number = i.number + offset
        fee = fees.get(number, 0) + (beyond if number == last else 0)
        fee += first_fees if number == first else 0
        made.append(ContractInstalment(
            contract_id=contract.id, revision=revision, number=number, kind=str(i.kind),
            due_date=i.due_date, principal_fen=to_fen(i.principal), interest_fen=to_fen(i.interest),
            fees_fen=fee, offset_fen=0, offset_applied_fen=0, penalty_fen=0,
            paid_principal_fen=0, paid_interest_fen=0, paid_fees_fen=0, paid_penalty_fen=0,
        ))  # fmt: skip
    for row in reversed(made):  # the deposit still offsets the last rents
        row.offset_fen = min(planned, row.principal_fen + row.interest_fen)
        planned -= row.offset_fen
    return made


async def _context(
    db: AsyncSession, contract: Contract, on: date
) -> tuple[quotes.Rebuilt, list[ContractInstalment]]:
    if contract.status != ContractStatus.ACTIVE.value:
        raise dues.NOT_ACTIVE
    rows = await dues.instalments(db, contract)
    if any(r.due_date <= on and not dues.state(r).settled for r in rows):
        raise NOT_NOW
    return await quotes.schedule_for(db, contract), rows


async def previews(
    db: AsyncSession, contract: Contract, amount: str, mode: str | None, on: date, today: date
) -> list[Preview]:
    """Each mode's preview (both when `mode` is None); `on` within the payoff window."""
    policy = policy_for(contract.document["terms"]["product_name"]).payoff
    latest = today.toordinal() + policy.validity_days
    if not today <= on or on.toordinal() > latest:
        raise DomainError(
            "prepayment_date_invalid", f"还款日须在今天起{policy.validity_days}天内",
            f"the date must be within {policy.validity_days} days from today",
            fields={"on": "prepayment_date_invalid"},
        )  # fmt: skip
    value = parse_money(amount)
    rebuilt, rows = await _context(db, contract, on)
    ahead = sum(dues.paid_ahead(rows, on))
    modes = [PrepaymentMode(mode)] if mode else list(PrepaymentMode)
    out = []
    for m in modes:
        p = partial_prepayment(rebuilt.schedule, on, value, m, policy.penalty)
        out.append(Preview(m, p, rebuilt.offset + p.number_offset, level_of(p, rebuilt.schedule),
                           ahead))  # fmt: skip
    return out


async def create_quote(
    db: AsyncSession, contract: Contract, preview: Preview, now: datetime, actor: Principal | None
) -> PayoffQuote:
    p = preview.prepayment
    lines = [
        ("principal_prepaid", "提前还款本金", to_fen(p.principal_prepaid)),
        ("accrued_interest", "提前还款部分当期利息", to_fen(p.accrued_interest)),
        ("prepayment_penalty", "提前还款违约金", to_fen(p.penalty)),
    ]
    quote = PayoffQuote(
        contract_id=contract.id, kind="prepayment", revision=contract.revision, as_of=p.as_of,
        settle_on=p.as_of, valid_until=p.as_of,
        lines=[{"code": c, "label": label, "amount_fen": f} for c, label, f in lines],
        total_fen=to_fen(p.amount_due), deposit_refund_fen=0, per_day_fen=0,
        detail={"amount_fen": to_fen(p.principal_prepaid), "mode": preview.mode.value},
        status="open", created_at=now,
    )  # fmt: skip
    db.add(quote)
    await db.flush()
    await audit.record(
        db, actor=actor, action="prepayment.quoted", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"quote_id": quote.id, "mode": preview.mode.value, "total_fen": quote.total_fen},
    )  # fmt: skip
    return quote


async def pay(
    db: AsyncSession, contract: Contract, quote: PayoffQuote, amount_fen: int, *,
    reference: str, paid_on: date, at: datetime,
) -> bool | None:  # fmt: skip
    """Apply the prepayment; None when the quote does not hold for this payment (as
    `payoff.pay`), False when this reference was applied before."""
    if quote.used_reference == reference:
        return False
    if (
        quote.status != "open" or quote.revision != contract.revision
        or paid_on != quote.settle_on or amount_fen != quote.total_fen
        or contract.status != ContractStatus.ACTIVE.value
    ):  # fmt: skip
        return None
    try:
        rebuilt, rows = await _context(db, contract, quote.as_of)
    except Conflict:
        return None
    policy = policy_for(contract.document["terms"]["product_name"]).payoff
    mode = PrepaymentMode(quote.detail["mode"])
    p = partial_prepayment(rebuilt.schedule, quote.as_of, from_fen(int(quote.detail["amount_fen"])),
                           mode, policy.penalty)  # fmt: skip
    if to_fen(p.amount_due) != quote.total_fen:
        return None
    old = [r for r in rows if r.due_date > quote.as_of]
    new = p.schedule.instalments
    i_old = sum(r.interest_fen for r in old)
    i_new = sum(to_fen(i.interest) for i in new)
    entry = postings.payoff(
        contract.id, contract.customer_id, cash=amount_fen, deposit_offset=0, advance_offset=0,
        receivable=to_fen(p.principal_prepaid) + i_old - i_new, unearned=i_old - i_new,
        interest_income=to_fen(p.accrued_interest), fees=0, penalty_booked=0, penalty_extra=0,
        fee_income=to_fen(p.penalty), kind=postings.PREPAYMENT_KIND, memo="部分提前还款",
    )  # fmt: skip
    if await ledger.post(db, entry, reference=reference, at=at, actor=None) is None:
        return False
    offset = rebuilt.offset + p.number_offset
    # 联合贷款: the funder's share of the principal prepaid and its yield on the interest accrued
    # on it (the next row's, prorated to the day), now — read against the old rows, before the
    # rent paid ahead is lifted: that was allocated when it was paid and is not given back, so
    # the cumulative share counts it as repaid here, and its carry to the new rows not again.
    prepaid, accrued = to_fen(p.principal_prepaid), to_fen(p.accrued_interest)
    await colending.on_repayment(
        db, contract, rows,
        applied_of([(offset + 1, Component.PRINCIPAL, prepaid),
                    (offset + 1, Component.INTEREST, accrued)]),
        paid=amount_fen, reference=reference, paid_on=paid_on, at=at,
        outstanding_after=sum(r.principal_fen - r.paid_principal_fen for r in rows) - prepaid,
    )  # fmt: skip
    lifted = await dues.lift_ahead(db, contract, rows, quote.as_of, reference=reference, at=at)
    revision = await next_revision(db, contract)
    db.add_all(revision_rows(contract, revision, p.schedule, offset, old))
    db.add(ScheduleRevision(
        contract_id=contract.id, revision=revision, kind="prepayment",
        terms=quotes.schedule_to_builtins(p.schedule, level_of(p, rebuilt.schedule)),
        number_offset=offset, reference=reference, created_at=at,
    ))  # fmt: skip
    contract.revision = revision
    quote.status, quote.used_reference = "used", reference
    await db.flush()
    carried = await dues.carry_ahead(db, contract, lifted, reference=f"carry:{reference}",
                                     paid_on=paid_on, at=at)  # fmt: skip
    await audit.record(
        db, actor=None, action="contract.rescheduled", entity_type="contract",
        entity_id=contract.id, at=at,
        detail={"kind": "prepayment", "revision": revision, "quote_id": quote.id,
                "reference": reference, "mode": mode.value, "rent_fen": to_fen(p.schedule.rent),
                "instalments": len(new), "paid_ahead_fen": lifted, "carried_fen": carried},
    )  # fmt: skip
    return True
