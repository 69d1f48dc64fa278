"""An active contract for servicing tests, through the real API (approve, sign, fund), a clock
the test can move, and direct access to the books."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Contract
from backend.ledger import service as ledger
from backend.servicing import dues
from backend.settings import Settings
from common.ledger import Account, penalty_accrual
from tests.backend.contracts.flow import (
    Client,
    approved,
    contract_for,
    fund,
    funder_key,
    lessee_login,
    sign,
)
from tests.backend.risk.helpers import CLEAN

MOBILE = "13912340001"
ZEROED = (
    Account.LEASE_RECEIVABLE,
    Account.UNEARNED_INTEREST,
    Account.FEES_RECEIVABLE,
    Account.PENALTY_RECEIVABLE,
    Account.DEPOSIT_LIABILITY,
    Account.ADVANCE_RECEIPTS,
)


class MovableClock:
    """The service's clock, moved by the test (a contract is signed today, paid off later)."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def move(self, days: int) -> None:
        self.at += timedelta(days=days)


async def active(
    client: Client, settings: Settings, id_number: str = CLEAN, mobile: str = MOBILE,
    quote: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:  # fmt: skip
    """A signed, funded, booked contract and its lessee's headers (`quote`: see
    `tests.backend.risk.helpers.file_application`)."""
    contract = await contract_for(
        client, await approved(client, id_number, mobile=mobile, quote=quote)
    )
    lessee = await lessee_login(client, mobile, id_number)
    assert (await sign(client, lessee, contract["id"], mobile)).status_code == 200
    r = await fund(client, await funder_key(settings), contract["id"], contract["principal"])
    assert r.status_code == 200 and r.json()["status"] == "active", r.text
    return contract, lessee


async def book_penalty(db: AsyncSession, contract: Contract, through: date, at: datetime) -> int:
    """Book the penalty of the overdue rows through `through` as the daily sweep would: the
    ledger entry (`common.ledger.penalty_accrual`) and the rows, in one go. Returns the fen."""
    from backend.servicing import quotes
    from common.money import to_fen
    from common.servicing.policy import policy_for

    rule = policy_for("").penalty
    rows = await dues.instalments(db, contract)
    total = 0
    for row, a in zip(
        [r for r in rows if r.due_date <= through and not dues.state(r).settled],
        quotes.arrears_of(rows, through),
        strict=True,
    ):
        new = to_fen(a.penalty_to(through, rule)) - (row.penalty_fen - row.paid_penalty_fen)
        if new > 0:
            row.penalty_fen += new
            total += new
        row.penalty_through = through
    if total:
        entry = penalty_accrual(contract.id, contract.customer_id, total)
        await ledger.post(db, entry, reference=f"penalty-{through}", at=at, actor=None)
    await db.flush()
    return total


async def balances(db: AsyncSession, contract_id: str) -> dict[Account, int]:
    return await ledger.contract_balances(db, contract_id)
