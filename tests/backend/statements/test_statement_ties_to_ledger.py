"""For random histories posted through the real ledger service — leases booked, disbursements,
fundings, entries of kinds the statement has no label for, repeated business events that post
once — a dealer's statements over consecutive ranges chain (each opening is the previous
closing), opening + movements = closing, and the last closing is the ledger's own balance for
the dealer on the dealer-facing accounts. Another dealer's lines never show.

Each example posts in one transaction that is rolled back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.ledger import service as ledger
from backend.statements import service
from common.business_day import business_date
from common.ledger import Account, Entry, Side, credit, debit
from common.statements import DEALER_ACCOUNTS, StatementRange
from tests.backend.auth.lessee_helpers import session
from tests.common.ledger_ops import CONTRACTS, DEALERS, REFERENCES, operations

BASE = datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
EAST = service.Dealer(DEALERS[0], "城东")


def _other_kind(dealer: str, contract: str, fen: int, to_dealer: bool) -> Entry:
    """An entry of a kind the chart does not know yet (a commission, a clawback): the dealer's
    line on the dealer payable against fee income."""
    if to_dealer:
        lines = (debit(Account.FEE_INCOME, fen), credit(Account.DEALER_PAYABLE, fen, dealer))
    else:
        lines = (debit(Account.DEALER_PAYABLE, fen, dealer), credit(Account.FEE_INCOME, fen))
    return Entry("commission_adjusted", contract, lines, "佣金调整")


other_kind = st.builds(
    _other_kind,
    st.sampled_from(DEALERS),
    st.sampled_from(CONTRACTS),
    st.integers(1, 10**9),
    st.booleans(),
)
others = st.lists(other_kind, max_size=6)
moments = st.integers(0, 800 * 24 * 60)  # minutes after BASE: over two years
lengths = st.lists(st.integers(1, 366), min_size=1, max_size=12)


def _owed(balances: dict[Account, int]) -> int:
    """The ledger's normal-side balances as what the lessor owes the dealer (credit − debit)."""
    return sum(
        b if a.normal_side is Side.CREDIT else -b
        for a, b in balances.items()
        if a in DEALER_ACCOUNTS
    )


@settings(
    max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(ops=operations, extra=others, data=st.data(), chunks=lengths)
async def test_statements_over_consecutive_ranges_tie_to_the_ledger(
    client, settings, ops, extra, data, chunks
):
    entries = [e for op in ops for e in op.entries()] + extra
    times = [BASE + timedelta(minutes=data.draw(moments)) for _ in entries]
    async with session(settings) as db:
        try:
            posted = 0
            for k, (entry, at) in enumerate(zip(entries, times, strict=True)):
                reference = REFERENCES[k % len(REFERENCES)]  # repeats post once
                if await ledger.post(db, entry, reference=reference, at=at, actor=None):
                    posted += any(x.party == EAST.id for x in entry.lines)
            start, rows, opening = business_date(BASE) - timedelta(days=3), 0, 0
            last = business_date(max(times))
            lengths_ = iter(chunks)
            while start <= last:
                days = next(lengths_, 366)
                period = StatementRange(start, start + timedelta(days=days - 1))
                s = await service.statement(db, EAST, period)
                assert s.opening_fen == opening  # the previous range's closing
                assert s.closing_fen == s.opening_fen + sum(
                    r.credit_fen - r.debit_fen for r in s.rows
                )
                assert s.closing_fen == (s.rows[-1].balance_fen if s.rows else s.opening_fen)
                assert all(period.start <= r.business_date <= period.end for r in s.rows)
                assert await service.row_count(db, EAST, period) == len(s.rows)
                opening, rows = s.closing_fen, rows + len(s.rows)
                start = period.end + timedelta(days=1)
            assert opening == _owed(await ledger.party_balances(db, EAST.id))
            assert rows == posted  # one row per entry that touched the dealer
        finally:
            await db.rollback()


async def test_entries_posted_in_one_go_keep_their_order(client, settings):
    """A lease is booked, its down payment collected and the dealer paid in one instant: the
    running balance rises twice and comes back to zero, never dipping below it."""
    from common.ledger import activation, disbursement

    at = datetime(2026, 3, 5, 2, tzinfo=UTC)
    booked = activation(CONTRACTS[0], lessee_id="l", dealer_id=EAST.id, price=125_000_00,
                        principal=100_000_00, down_payment=25_000_00, total_payment=110_000_00,
                        total_interest=10_000_00, deposit=0, fees=0)  # fmt: skip
    async with session(settings) as db:
        try:
            for entry in (*booked, disbursement(CONTRACTS[0], EAST.id, 125_000_00)):
                await ledger.post(db, entry, reference="r", at=at, actor=None)
            march = StatementRange(date(2026, 3, 1), date(2026, 3, 31))
            s = await service.statement(db, EAST, march)
            assert [r.balance_fen for r in s.rows] == [100_000_00, 125_000_00, 0]
            assert [r.document for r in s.rows] == [CONTRACTS[0]] * 3  # no such contract: its id
        finally:
            await db.rollback()
