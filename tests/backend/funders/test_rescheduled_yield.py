"""A co-lent contract rescheduled after rent was paid ahead — a partial prepayment, then an
extension; a renewal — gives the funder its yield on the interest actually earned, once: each
reschedule lifts the rent paid ahead to 溢缴款 and takes back the yield allocated on its interest
(an allocation ``lift:<reference>`` of its own), and the carry to the new rows earns it there.
Retried requests reverse and allocate nothing twice, and what is remitted and what the portfolio
says add up to the allocations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.db.models import (
    Contract,
    ContractFunding,
    ContractInstalment,
    EndOfTermChoice,
    FunderAllocation,
    FunderRemittance,
    LedgerEntry,
)
from backend.ledger import service as ledger
from backend.servicing import dues
from common.business_day import business_date
from common.colending import DAYS_IN_YEAR, WHOLE
from common.ledger import FUNDER_YIELD_REVERSED, Account
from tests.backend.funders.helpers import (
    colent_with_lessee,
    fen,
    pay,
    prepay_with_retries,
    session,
)
from tests.backend.helpers import create_product, login
from tests.backend.servicing.helpers import MovableClock

PREPAID = 2_000_000  # ¥20,000.00
FUNDER = "org-funder"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def _allocations(db, contract_id: str) -> dict[str, FunderAllocation]:
    found = await db.scalars(
        select(FunderAllocation).where(FunderAllocation.contract_id == contract_id)
    )
    return {a.reference: a for a in found}


def _earned_on_rows(frozen: ContractFunding, rows: Sequence[ContractInstalment], since: date,
                    upto: int | None = None) -> Fraction:  # fmt: skip
    """The agreement's yield on the interest paid on `rows` (a revision's, the first row's period
    starting on `since`; only those numbered up to `upto`), exactly: the funder's share of each
    row's opening principal at its rate for the row's days, in proportion to the part of the
    row's interest paid."""
    opening, total = sum(r.principal_fen for r in rows), Fraction(0)
    for r in rows:
        if r.interest_fen and (upto is None or r.number <= upto):
            full = Fraction(frozen.share_e4 * opening * frozen.yield_e4 * (r.due_date - since).days,
                            WHOLE * WHOLE * DAYS_IN_YEAR)  # fmt: skip
            total += full * Fraction(r.paid_interest_fen, r.interest_fen)
        opening, since = opening - r.principal_fen, r.due_date
    return total


async def _remit(client, key: str) -> dict[str, Any]:
    admin = {**await login(client, "admin"), "Idempotency-Key": key}
    body = {"funder_id": FUNDER, "bank_reference": key}
    r = await client.post("/api/funder/remittances", json=body, headers=admin)
    assert r.status_code == 201, r.text
    again = await client.post("/api/funder/remittances", json=body, headers=admin)
    assert again.json() == r.json()  # replayed: paid once
    return r.json()


async def _extend(client, contract_id: str, lessee: dict[str, str]) -> dict[str, Any]:
    """Six months more, filed twice with one Idempotency-Key and approved twice by a risk
    officer (the second is refused: the request is no longer awaiting review)."""
    url = f"/api/contracts/{contract_id}/extensions"
    headers = {**lessee, "Idempotency-Key": "ext-1"}
    filed = await client.post(url, json={"months_to_add": 6}, headers=headers)
    again = await client.post(url, json={"months_to_add": 6}, headers=headers)
    assert filed.status_code == again.status_code == 201, filed.text
    ext: dict[str, Any] = filed.json()
    assert again.json()["id"] == ext["id"] and ext["status"] == "referred"
    risk = await login(client, "risk")
    decision = f"/api/extensions/{ext['id']}/decision"
    r = await client.post(decision, json={"approve": True}, headers=risk)
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text
    r = await client.post(decision, json={"approve": True}, headers=risk)
    assert r.status_code == 409 and r.json()["code"] == "extension_not_referred"
    return ext


async def test_rent_paid_ahead_a_prepayment_then_an_extension_give_each_periods_yield_once(
    client, settings, clock
):
    contract, lessee, key = await colent_with_lessee(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None
        first = (await dues.instalments(db, c))[0]
        await pay(db, c.id, dues.state(first).lessee_owes + 12345, "RENT-AHEAD")
        ahead = (await _allocations(db, c.id))["RENT-AHEAD"]
    paid_out = [await _remit(client, "rmt-1")]  # the yield on the rent ahead is paid out too
    assert fen(paid_out[0]["amount"]) == ahead.principal_fen + ahead.yield_fen

    clock.move(20)
    payment = await prepay_with_retries(client, settings, clock, contract["id"], lessee)
    clock.move(5)  # still before the first due date: the extension lifts the carry's rows
    ext = await _extend(client, contract["id"], lessee)

    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        frozen = await db.get(ContractFunding, contract["id"])
        assert c is not None and frozen is not None and c.revision == 3
        got = await _allocations(db, c.id)
        prepaid, carried = got[payment["id"]], got[f"carry:{payment['id']}"]
        extended = got[f"carry:{ext['id']}"]
        # Each lift takes back exactly the yield given on the rows it lifted: the rent ahead's
        # at the prepayment, the prepayment's carry's at the extension.
        assert got[f"lift:{payment['id']}"].yield_fen == -ahead.yield_fen < 0
        assert got[f"lift:{ext['id']}"].yield_fen == -carried.yield_fen < 0
        assert set(got) == {"RENT-AHEAD", payment["id"], f"lift:{payment['id']}",
                            f"carry:{payment['id']}", f"lift:{ext['id']}",
                            f"carry:{ext['id']}"}  # fmt: skip
        total_yield = sum(a.yield_fen for a in got.values())
        assert total_yield == prepaid.yield_fen + extended.yield_fen
        # ... which is the agreement's yield on the interest earned: on the principal prepaid
        # for the 20 days it was out, and on the interest paid on the rows now in force. The
        # rows' allocation truncates once (under a fen), the prepayment's is within 2 fen of
        # its rate (it is in proportion to the accrued interest, itself rounded to the fen).
        rows = await dues.instalments(db, c)
        assert rows[0].number == 1  # the new rows start with the first period
        on_prepaid = Fraction(frozen.share_e4 * PREPAID * frozen.yield_e4 * 20,
                              WHOLE * WHOLE * DAYS_IN_YEAR)  # fmt: skip
        earned = on_prepaid + _earned_on_rows(frozen, rows, frozen.funded_on)
        assert -3 < total_yield - earned < 2

        # A reschedule retried lifts nothing again, so it takes nothing back twice.
        figures = {ref: (a.principal_fen, a.yield_fen) for ref, a in got.items()}
        old = await dues.instalments(db, c, revision=2)
        assert await dues.lift_ahead(db, c, old, business_date(clock()), reference=ext["id"],
                                     at=clock()) == 0  # fmt: skip
        await db.commit()
        db.expire_all()
        again = await _allocations(db, contract["id"])
        assert {ref: (a.principal_fen, a.yield_fen) for ref, a in again.items()} == figures
        reversed_ = await db.scalar(
            select(func.count()).select_from(LedgerEntry)
            .where(LedgerEntry.contract_id == contract["id"],
                   LedgerEntry.kind == FUNDER_YIELD_REVERSED)
        )  # fmt: skip
        assert reversed_ == 2
        owed = sum(a.principal_fen + a.yield_fen for a in got.values())
        party = await ledger.party_balances(db, FUNDER, (Account.FUNDER_PAYABLE,))
        assert party[Account.FUNDER_PAYABLE] == owed - fen(paid_out[0]["amount"])
        cost = (await ledger.contract_balances(db, contract["id"]))[Account.FUNDING_COST]
        assert cost == total_yield  # the lessor's cost of the funds: the yield once
        assert (await ledger.trial_balance(db)).balanced

    # The portfolio reads the same allocations, the reversals included.
    p = (await client.get("/api/funder/portfolio", headers=key)).json()
    assert fen(p["received_yield"]) == total_yield
    assert sum(fen(m["yield"]) for m in p["months"]) == total_yield
    assert sum(m["repayments"] for m in p["months"]) == 4  # the rent, the prepayment, 2 carries
    assert fen(p["owed_now"]) == owed - fen(paid_out[0]["amount"])
    d = (await client.get(f"/api/funder/portfolio/contracts/{contract['id']}", headers=key)).json()
    assert {a["reference"]: fen(a["yield"]) for a in d["allocations"]} == {
        ref: a.yield_fen for ref, a in got.items()
    }
    assert fen(d["owed_now"]) == owed - fen(paid_out[0]["amount"])
    # And what is remitted over the contract's life is what was allocated, to the fen.
    paid_out.append(await _remit(client, "rmt-2"))
    assert sum(fen(r["amount"]) for r in paid_out) == owed
    async with session(settings) as db:
        assert await db.scalar(select(func.count()).select_from(FunderRemittance)) == 2
        party = await ledger.party_balances(db, FUNDER, (Account.FUNDER_PAYABLE,))
        assert party.get(Account.FUNDER_PAYABLE, 0) == 0


async def test_a_renewal_takes_back_the_yield_on_the_balloon_rent_paid_ahead_only(
    client, settings, clock
):
    product = await create_product(client)
    quote = {"product_id": product, "method": "balloon", "balloon": "20000"}
    contract, lessee, _ = await colent_with_lessee(client, settings, quote=quote)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None
        rows = await dues.instalments(db, c)
        renewed_from = rows[-2].due_date  # the renewal's rows start with the balloon's period
    clock.move((rows[-2].due_date - business_date(clock())).days + 3)  # the last period
    today = business_date(clock())
    async with session(settings) as db:  # the rents so far, and ¥50.00 of the last one ahead
        c = await db.get(Contract, contract["id"])
        assert c is not None
        due = [r for r in rows if r.due_date <= today]
        await pay(db, c.id, sum(dues.state(r).lessee_owes for r in due) + 5000, "RENTS",
                  paid_on=today)  # fmt: skip
        frozen = await db.get(ContractFunding, c.id)
        assert frozen is not None
        rents = (await _allocations(db, c.id))["RENTS"]
        rows = await dues.instalments(db, c)
        assert rows[-1].paid_interest_fen == 5000  # the balloon row's interest comes first
        kept = _earned_on_rows(frozen, rows, frozen.funded_on, upto=rows[-2].number)
    url = f"/api/contracts/{contract['id']}/end-of-term"
    r = await client.post(url, json={"option": "renewal", "renewal_term_months": 12},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    again = await client.post(url, json={"option": "renewal", "renewal_term_months": 12},
                              headers=lessee)  # fmt: skip
    assert again.status_code == 409  # renewed: the window is closed, nothing is lifted again
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None and c.revision == 2
        choice = await db.scalar(select(EndOfTermChoice.id).where(
            EndOfTermChoice.contract_id == c.id))  # fmt: skip
        got = await _allocations(db, c.id)
        lifts = [a for ref, a in got.items() if ref.startswith("lift:")]
        assert [a.reference for a in lifts] == [f"lift:{choice}"]
        # The one repayment paid the rows kept and the balloon row ahead: it keeps exactly the
        # yield its kept rows alone give (truncated once), and gives back the rest.
        assert rents.yield_fen + lifts[0].yield_fen == int(kept)
        assert lifts[0].yield_fen < 0
        carry = got[f"carry:{choice}"]
        assert carry.yield_fen > 0  # the ¥50.00 earns its yield on the renewal's first row
        renewed = await dues.instalments(db, c)
        assert renewed[0].number == rows[-1].number
        earned = kept + _earned_on_rows(frozen, renewed, renewed_from)
        assert 0 <= earned - sum(a.yield_fen for a in got.values()) < 2
