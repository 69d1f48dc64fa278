"""A co-lent contract paid off early: the payoff allocates the funder the rest of its principal
share (every fen of it, no more) and its yield on the interest the payoff collected, prorated
to the day, once; the books balance and the funder's capital in the contract is nought."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from backend.db.models import Contract, ContractFunding, FunderAllocation, PaymentAllocation
from backend.ledger import service as ledger
from backend.servicing import dues
from backend.servicing.settlement import Purpose, settle
from common import colending
from common.ledger import Account
from tests.backend.contracts.flow import approved, contract_for, fund, lessee_login, sign
from tests.backend.funders.helpers import agree, funder_key, session, share_of
from tests.backend.risk.helpers import CLEAN
from tests.backend.servicing.helpers import MovableClock

MOBILE = "13912340001"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def test_a_payoff_gives_the_funder_the_rest_of_its_share_and_its_yield_to_the_day(
    client, settings, clock
):
    await agree(client)
    key = await funder_key(settings)
    contract = await contract_for(client, await approved(client, CLEAN, mobile=MOBILE))
    lessee = await lessee_login(client, MOBILE, CLEAN)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    r = await fund(client, key, contract["id"], share_of(contract["principal"]))
    assert r.status_code == 200, r.text
    clock.move(20)  # twenty days into the first period, nothing paid yet
    r = await client.post(f"/api/contracts/{contract['id']}/payoff-quotes", json={},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    quote = r.json()
    total = int(Decimal(quote["total"]) * 100)
    paid_on = date.fromisoformat(quote["settle_on"])
    for _ in range(2):  # the same payment twice: applied and allocated once
        async with session(settings) as db:
            c = await dues.locked(db, contract["id"])
            await settle(db, c, Purpose.PAYOFF, total, reference="PAYOFF-1", paid_on=paid_on,
                         at=clock(), quote_id=quote["id"])  # fmt: skip
            await db.commit()
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None and c.status == "settled"
        frozen = await db.get(ContractFunding, c.id)
        assert frozen is not None
        [payoff] = await db.scalars(select(FunderAllocation)
                                    .where(FunderAllocation.contract_id == c.id))  # fmt: skip
        assert payoff.reference == "PAYOFF-1"
        assert payoff.principal_fen == frozen.funded_fen  # all its share, to the fen
        [first] = (await dues.instalments(db, c))[:1]
        interest = select(PaymentAllocation.amount_fen).where(
            PaymentAllocation.reference == "PAYOFF-1", PaymentAllocation.component == "interest"
        )
        accrued = sum(await db.scalars(interest))
        days = (first.due_date - frozen.funded_on).days
        whole = colending.WHOLE * colending.WHOLE * colending.DAYS_IN_YEAR
        whole_period = frozen.share_e4 * frozen.financed_fen * frozen.yield_e4 * days // whole
        # the yield of twenty days of a longer period, paid out of the interest collected
        assert 0 < payoff.yield_fen <= accrued and payoff.yield_fen < whole_period
        assert abs(payoff.yield_fen - whole_period * 20 // days) <= 1 + whole_period // days
        party = await ledger.party_balances(db, "org-funder", (Account.FUNDER_CAPITAL,))
        assert party.get(Account.FUNDER_CAPITAL, 0) == 0  # its capital is all repaid
        assert await ledger.unbalanced_entries(db) == []
        assert (await ledger.trial_balance(db)).balanced
