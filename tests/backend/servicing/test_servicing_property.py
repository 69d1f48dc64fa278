"""Whatever happens to a contract — rents paid (any amount), penalty booked, extensions filed,
approved and reversed, prepayments, a payoff — the books stay balanced and say what the
instalment rows say, every paid component of a row is the sum of its allocations, and a payoff
leaves nothing owing on the contract.

Each example runs on the same active contract inside one transaction that is rolled back."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backend.auth.principal import Principal
from backend.db.models import Contract, PaymentAllocation
from backend.ledger import service as ledger
from backend.servicing import dues, extensions, payoff, prepayment
from backend.servicing.settlement import Purpose, settle
from common.api.auth import Role
from common.api.servicing import ExtensionRequestBody
from common.contracts import ContractStatus
from common.errors import DomainError
from common.ledger import Account
from common.servicing.standing import summary
from tests.backend.auth.lessee_helpers import session
from tests.backend.servicing.helpers import ZEROED, MovableClock, active, book_penalty

RISK = Principal("u-risk", "risk", Role.RISK_OFFICER, "org-lessor", "s-risk")
_CONTRACTS: dict[str, str] = {}

ops = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(1, 45)),
        st.tuples(st.just("pay"), st.integers(1, 600_000)),
        st.tuples(st.just("pay_due"), st.just(0)),
        st.tuples(st.just("penalty"), st.just(0)),
        st.tuples(st.just("extend"), st.integers(1, 6)),
        st.tuples(st.just("reverse"), st.just(0)),
        st.tuples(st.just("prepay"), st.integers(100_00, 30_000_00)),
        st.tuples(st.just("payoff"), st.integers(0, 3)),
    ),
    min_size=1,
    max_size=10,
)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def _at(day: date) -> datetime:
    return datetime.combine(day, time(4, 0), tzinfo=UTC)  # noon in Shanghai


async def _consistent(db, c: Contract) -> None:
    assert (await ledger.trial_balance(db)).balanced
    assert await ledger.unbalanced_entries(db) == []
    rows = await dues.instalments(db, c)
    s = [dues.state(r) for r in rows]
    b = await ledger.contract_balances(db, c.id)
    assert b.get(Account.LEASE_RECEIVABLE, 0) == sum(
        x.principal + x.interest - x.paid_principal - x.paid_interest for x in s
    )
    assert b.get(Account.UNEARNED_INTEREST, 0) == sum(x.interest - x.paid_interest for x in s)
    assert b.get(Account.FEES_RECEIVABLE, 0) == sum(x.fees - x.paid_fees for x in s)
    assert b.get(Account.PENALTY_RECEIVABLE, 0) == sum(x.penalty - x.paid_penalty for x in s)
    for r in rows:
        for component in ("principal", "interest", "fees", "penalty"):
            allocated = await db.scalar(
                select(func.coalesce(func.sum(PaymentAllocation.amount_fen), 0))
                .where(PaymentAllocation.contract_id == c.id)
                .where(PaymentAllocation.revision == r.revision)
                .where(PaymentAllocation.number == r.number)
                .where(PaymentAllocation.component == component)
            )
            assert int(allocated) == getattr(r, f"paid_{component}_fen"), (r.number, component)


async def _step(db, c: Contract, op: str, n: int, today: date, k: str, last_ext: list[str]):
    at = _at(today)
    ref = f"P{k}"  # unique across examples: what one example wrote may outlive its rollback
    if op == "pay":
        await settle(db, c, Purpose.RENT, n, reference=ref, paid_on=today, at=at)
    elif op == "pay_due":
        due = summary([dues.state(r) for r in await dues.instalments(db, c)], today).due_now_fen
        if due:
            await settle(db, c, Purpose.RENT, due, reference=ref, paid_on=today, at=at)
    elif op == "penalty":
        await book_penalty(db, c, today, at)
    elif op == "extend":
        ext = await extensions.file(db, c, ExtensionRequestBody(months_to_add=n), today, at, RISK)
        if ext.status == "referred":
            ext = await extensions.decide(db, ext.id, True, "", today, at, RISK)
        if ext.status == "approved":
            last_ext.append(ext.id)
    elif op == "reverse" and last_ext:
        await extensions.reverse(db, last_ext.pop(), at, RISK)
    elif op == "prepay":
        (found,) = await prepayment.previews(db, c, f"{n / 100:.2f}", "reduce_payment", today,
                                             today)  # fmt: skip
        quote = await prepayment.create_quote(db, c, found, at, None)
        assert await settle(db, c, Purpose.PREPAYMENT, quote.total_fen, reference=ref,
                            paid_on=today, at=at, quote_id=quote.id)  # fmt: skip
        assert c.revision == quote.revision + 1 or c.revision > quote.revision
    elif op == "payoff":
        quote = await payoff.create_quote(db, c, None, today, at, None)
        assert sum(x["amount_fen"] for x in quote.lines) == quote.total_fen
        await settle(db, c, Purpose.PAYOFF, quote.total_fen, reference=ref, paid_on=today,
                     at=at, quote_id=quote.id)  # fmt: skip
        assert c.status == ContractStatus.SETTLED.value
        b = await ledger.contract_balances(db, c.id)
        assert {a: b.get(a, 0) for a in ZEROED} == dict.fromkeys(ZEROED, 0)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=ops)
async def test_random_servicing_keeps_the_books_and_the_rows_in_step(client, settings, clock,
                                                                      sequence):  # fmt: skip
    key = settings.database_url
    if key not in _CONTRACTS:
        contract, _ = await active(client, settings)
        _CONTRACTS[key] = contract["id"]
    async with session(settings) as db:
        c = await dues.locked(db, _CONTRACTS[key])
        assert c is not None
        today = c.activated_at.astimezone(UTC).date() + timedelta(days=1)
        last_ext: list[str] = []
        run = uuid.uuid4().hex[:8]
        try:
            for k, (op, n) in enumerate(sequence):
                if c.status != ContractStatus.ACTIVE.value:
                    break
                if op == "advance":
                    today += timedelta(days=n)
                    continue
                try:
                    async with db.begin_nested():
                        await _step(db, c, op, n, today, f"{run}-{k}", last_ext)
                except DomainError:
                    pass  # refused as the rules say (a date, an amount, a state): nothing written
                await _consistent(db, c)
        finally:
            await db.rollback()
