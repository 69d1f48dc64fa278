"""Early payoff 提前结清: a dated quote with every line item, and paying it.

The quote is `common.servicing.payoff_quote` read against the sub-ledger: the principal and
fees still open on the instalments not yet due (a rent paid ahead lowers them), the interest
of the current period to the settlement date less what was paid ahead of it, the arrears with
their penalty to the settlement date, the prepayment penalty on the principal repaid early, the
留购价, then what the lessee already gave: an earlier overpayment (溢缴款) and the deposit
held. The lines sum to the total exactly; with nothing paid ahead they are the pure quote's.

Paying it (`settle`, purpose payoff) posts one `payoff` entry (`common.ledger.payoff`), closes
every open instalment (the interest not earned is taken off the rows: it was forgiven, not
paid), marks the contract settled and releases the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import (
    Contract,
    ContractInstalment,
    PaymentAllocation,
    PayoffQuote,
    TitleRelease,
)
from backend.funders import allocation as colending
from backend.ledger import service as ledger
from backend.servicing import dues, quotes
from common import ledger as postings
from common.contracts import ContractStatus, transition
from common.ledger import Account
from common.money import from_fen, to_fen
from common.servicing import (
    Component,
    InterestTo,
    PayoffPolicy,
    payoff_quote,
    position,
    prepayment_penalty,
)
from common.servicing.policy import policy_for
from common.servicing.standing import InstalmentState, applied_of


@dataclass(frozen=True, slots=True)
class Line:
    code: str
    label: str
    fen: int


@dataclass(frozen=True, slots=True)
class Figures:
    """A payoff quote in fen, with what its ledger entry needs."""

    as_of: date
    settle_on: date
    lines: tuple[Line, ...]
    total: int
    deposit_offset: int
    advance_offset: int
    deposit_refund: int
    per_day: int
    accrued_interest: int  # on the next instalment (its row number: `next_number`)
    next_number: int | None
    penalty_to: dict[int, int]  # arrears row number -> penalty to the settlement date

    def line(self, code: str) -> int:
        return next(x.fen for x in self.lines if x.code == code)


def figures(
    rebuilt: quotes.Rebuilt,
    rows: Sequence[InstalmentState],
    as_of: date,
    settle_on: date,
    policy: PayoffPolicy,
    *,
    deposit_held: int,
    advance_held: int = 0,
) -> Figures:
    """The quote (pure). Raises payoff_date_invalid outside the window `payoff_quote` allows."""
    schedule, offset = rebuilt.schedule, rebuilt.offset
    arrears = quotes.arrears_of(rows, as_of)
    pure = payoff_quote(
        schedule, as_of, policy, arrears, from_fen(deposit_held), settle_on=settle_on
    )  # fmt: skip  (validates the date, per day)
    pos = position(schedule, as_of)
    ahead = [r for r in rows if r.due_date > as_of]
    principal = sum(r.principal - r.paid_principal for r in ahead)
    fees = sum(r.fees - r.paid_fees for r in ahead)
    nxt = pos.next
    accrued, next_number = 0, None
    if nxt is not None:
        next_number = nxt.number + offset
        paid = next((r.paid_interest for r in ahead if r.number == next_number), 0)
        full = (
            nxt.interest if policy.interest_to is InterestTo.PERIOD_END
            else pos.accrued_fraction(nxt.interest, settle_on)
        )  # fmt: skip
        accrued = max(0, to_fen(full) - paid)
    penalty_to = {a.number: to_fen(a.penalty_to(settle_on, policy.penalty_rule)) for a in arrears}
    gross = [
        Line("outstanding_principal", "剩余本金", principal),
        Line("accrued_interest", "当期利息", accrued),
        Line("scheduled_fees", "未到期费用", fees),
        Line("overdue_principal", "逾期本金", sum(to_fen(a.principal) for a in arrears)),
        Line("overdue_interest", "逾期利息", sum(to_fen(a.interest) for a in arrears)),
        Line("overdue_fees", "逾期费用", sum(to_fen(a.fees) for a in arrears)),
        Line("penalty_interest", "罚息", sum(penalty_to.values())),
        Line("prepayment_penalty", "提前还款违约金", to_fen(
            prepayment_penalty(policy.penalty, from_fen(principal), schedule, settle_on))),
        Line("purchase_price", "留购价", to_fen(policy.purchase_price)),
    ]  # fmt: skip
    subtotal = sum(x.fen for x in gross)
    advance = min(advance_held, subtotal)
    deposit = min(deposit_held, subtotal - advance)
    lines = (
        *gross,
        Line("advance_offset", "溢缴款抵扣", -advance),
        Line("deposit_offset", "保证金抵扣", -deposit),
    )
    return Figures(
        as_of=as_of, settle_on=settle_on, lines=lines, total=subtotal - advance - deposit,
        deposit_offset=deposit, advance_offset=advance, deposit_refund=deposit_held - deposit,
        per_day=to_fen(pure.per_day), accrued_interest=accrued, next_number=next_number,
        penalty_to=penalty_to,
    )  # fmt: skip


async def held(db: AsyncSession, contract: Contract) -> tuple[int, int]:
    """(deposit held, overpayment held) in fen, from the books."""
    balances = await ledger.contract_balances(db, contract.id)
    return (
        max(0, balances.get(Account.DEPOSIT_LIABILITY, 0)),
        max(0, balances.get(Account.ADVANCE_RECEIPTS, 0)),
    )


async def current(
    db: AsyncSession, contract: Contract, as_of: date, settle_on: date | None,
    *, buyout: bool = False,
) -> Figures:  # fmt: skip
    """The quote's figures now. `buyout` (留购 at the end of the term): no prepayment penalty."""
    if contract.status != ContractStatus.ACTIVE.value:
        raise dues.NOT_ACTIVE
    rows = await dues.instalments(db, contract)
    rebuilt = await quotes.schedule_for(db, contract)
    deposit, advance = await held(db, contract)
    policy = policy_for(contract.document["terms"]["product_name"]).payoff
    if buyout:
        policy = replace(policy, penalty=None)
    return figures(rebuilt, [dues.state(r) for r in rows], as_of, settle_on or as_of, policy,
                   deposit_held=deposit, advance_held=advance)  # fmt: skip


async def create_quote(
    db: AsyncSession, contract: Contract, settle_on: date | None, today: date, now: datetime,
    actor: Principal | None, *, buyout: bool = False,
) -> PayoffQuote:  # fmt: skip
    f = await current(db, contract, today, settle_on, buyout=buyout)
    quote = PayoffQuote(
        contract_id=contract.id, kind="payoff", revision=contract.revision, as_of=f.as_of,
        settle_on=f.settle_on, valid_until=f.settle_on,
        lines=[{"code": x.code, "label": x.label, "amount_fen": x.fen} for x in f.lines],
        total_fen=f.total, deposit_refund_fen=f.deposit_refund, per_day_fen=f.per_day,
        detail={"buyout": True} if buyout else {}, status="open", created_at=now,
    )  # fmt: skip
    db.add(quote)
    await db.flush()
    await audit.record(
        db, actor=actor, action="payoff.quoted", entity_type="contract", entity_id=contract.id,
        detail={"quote_id": quote.id, "settle_on": f.settle_on.isoformat(), "total_fen": f.total},
        at=now,
    )  # fmt: skip
    return quote


def _allocate(
    db: AsyncSession, row: ContractInstalment, component: str, fen: int, reference: str,
    paid_on: date, at: datetime,
) -> None:  # fmt: skip
    if fen <= 0:
        return
    column = f"paid_{component}_fen"
    setattr(row, column, getattr(row, column) + fen)
    db.add(PaymentAllocation(
        contract_id=row.contract_id, reference=reference, revision=row.revision,
        number=row.number, component=component, amount_fen=fen, paid_on=paid_on, at=at,
    ))  # fmt: skip


async def pay(
    db: AsyncSession, contract: Contract, quote: PayoffQuote, amount_fen: int, *,
    reference: str, paid_on: date, at: datetime,
) -> bool | None:  # fmt: skip
    """Settle the contract with the quote's payment. None when the quote does not hold for this
    payment (used, another revision, paid outside its window, another amount, or the contract
    changed since: its figures now give another total) — the caller applies the money as rent.
    False when this reference was applied before."""
    if quote.used_reference == reference:
        return False
    if (
        quote.status != "open" or quote.revision != contract.revision
        or not quote.as_of <= paid_on <= quote.valid_until or amount_fen != quote.total_fen
        or contract.status != ContractStatus.ACTIVE.value
    ):  # fmt: skip
        return None
    buyout = bool(quote.detail.get("buyout"))
    f = await current(db, contract, quote.as_of, quote.settle_on, buyout=buyout)
    if f.total != quote.total_fen:
        return None
    rows = await dues.instalments(db, contract)
    states = [dues.state(r) for r in rows]
    booked = sum(s.penalty - s.paid_penalty for s in states)
    entry = postings.payoff(
        contract.id, contract.customer_id, cash=f.total, deposit_offset=f.deposit_offset,
        advance_offset=f.advance_offset,
        receivable=sum(s.principal + s.interest - s.paid_principal - s.paid_interest
                       for s in states),
        unearned=sum(s.interest - s.paid_interest for s in states),
        interest_income=f.accrued_interest + f.line("overdue_interest"),
        fees=sum(s.fees - s.paid_fees for s in states), penalty_booked=booked,
        penalty_extra=f.line("penalty_interest") - booked,
        fee_income=f.line("prepayment_penalty") + f.line("purchase_price"),
        deposit_refund=f.deposit_refund,
    )  # fmt: skip
    if await ledger.post(db, entry, reference=reference, at=at, actor=None) is None:
        return False
    lines: list[tuple[int, Component, int]] = []
    for row in rows:
        if row.number in f.penalty_to:  # the penalty to the settlement date, booked on its row
            row.penalty_fen = row.paid_penalty_fen + f.penalty_to[row.number]
            row.penalty_through = quote.settle_on
        left = dues.state(row)
        paying = {c: left.left(c) for c in (Component.PENALTY, Component.FEES, Component.PRINCIPAL)}
        if row.due_date <= quote.as_of:
            paying[Component.INTEREST] = left.left(Component.INTEREST)
        elif row.number == f.next_number:
            paying[Component.INTEREST] = f.accrued_interest
        for component, fen in paying.items():
            _allocate(db, row, component.value, fen, reference, paid_on, at)
            if fen > 0:
                lines.append((row.number, component, fen))
    # 联合贷款: the funder's part — the rest of its principal share and its yield on the interest
    # paid — while the rows still carry their scheduled interest (its yield is in proportion).
    await colending.on_repayment(db, contract, rows, applied_of(lines),
                                 paid=sum(fen for _, _, fen in lines), reference=reference,
                                 paid_on=paid_on, at=at)  # fmt: skip
    for row in rows:
        row.interest_fen = row.paid_interest_fen  # the rest was forgiven
        row.offset_fen = row.offset_applied_fen
        if row.settled_on is None:
            row.settled_on = paid_on
    quote.status, quote.used_reference = "used", reference
    contract.status = transition(contract.status, ContractStatus.SETTLED).value
    db.add(TitleRelease(contract_id=contract.id, quote_id=quote.id, released_on=paid_on, at=at))
    await db.flush()
    detail = {"quote_id": quote.id, "reference": reference, "paid_on": paid_on.isoformat(),
              "total_fen": f.total, "deposit_refund_fen": f.deposit_refund}  # fmt: skip
    for action in ("contract.settled", "contract.title_released"):
        await audit.record(db, actor=None, action=action, entity_type="contract",
                           entity_id=contract.id, detail=detail, at=at)  # fmt: skip
    return True
