"""A contract funded under an agreement: the funder wires its share, each repayment allocates
its part exactly once (in the repayment's transaction, posted to the ledger, the books
balanced), and a remittance pays out what is owed, once per Idempotency-Key."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.db.models import Contract, ContractFunding, FunderAllocation, FunderRemittance
from backend.ledger import service as ledger
from backend.servicing import dues
from common import colending
from common.ledger import Account
from tests.backend.contracts.flow import fund
from tests.backend.funders.helpers import agree, colent, funder_key, pay, session
from tests.backend.helpers import login


async def _books_balance(db) -> None:
    assert await ledger.unbalanced_entries(db) == []
    assert (await ledger.trial_balance(db)).balanced


async def test_the_funder_wires_its_share_and_the_agreement_is_frozen(client, settings):
    assert (await agree(client)).status_code == 200
    key = await funder_key(settings)
    contract = await colent(client, settings, key)
    await agree(client, body={"share_percent": "50", "yield_percent": "3"})  # later: not its
    async with session(settings) as db:
        frozen = await db.get(ContractFunding, contract["id"])
        assert frozen is not None
        assert (frozen.agreement_version, frozen.share_e4, frozen.yield_e4) == (1, 800_000, 42_000)
        assert frozen.funded_fen == frozen.financed_fen * 8 // 10
        balances = await ledger.contract_balances(db, contract["id"])
        assert balances[Account.FUNDER_CAPITAL] == frozen.funded_fen
        assert balances.get(Account.FUNDER_PAYABLE, 0) == 0  # nothing owed at call yet
        await _books_balance(db)


async def test_the_whole_amount_is_refused_under_an_agreement(client, settings):
    await agree(client)
    key = await funder_key(settings)
    from tests.backend.contracts.flow import approved, contract_for, lessee_login, sign
    from tests.backend.risk.helpers import CLEAN

    contract = await contract_for(client, await approved(client, CLEAN, mobile="13912340001"))
    lessee = await lessee_login(client, "13912340001", CLEAN)
    await sign(client, lessee, contract["id"], "13912340001")
    r = await fund(client, key, contract["id"], contract["principal"])
    assert r.status_code == 422 and r.json()["code"] == "funding_amount_mismatch"


async def test_a_repayment_allocates_the_funders_part_once_and_the_books_balance(client, settings):
    await agree(client)
    key = await funder_key(settings)
    contract = await colent(client, settings, key)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None
        rows = await dues.instalments(db, c)
        first = rows[0]
        rent = dues.state(first).lessee_owes
        principal, interest = first.principal_fen, first.interest_fen
        frozen = await db.get(ContractFunding, c.id)
        assert frozen is not None
        opening = sum(r.principal_fen for r in rows)
        days = (first.due_date - frozen.funded_on).days
        assert await pay(db, c.id, rent, "RENT-1") is not None
        assert await pay(db, c.id, rent, "RENT-1") is None  # the same repayment again
        [row] = await db.scalars(select(FunderAllocation).where(FunderAllocation.contract_id
                                                                 == c.id))  # fmt: skip
        assert row.reference == "RENT-1" and row.paid_fen == rent
        assert row.principal_fen == principal * 8 // 10
        assert row.yield_fen == min(interest, 800_000 * opening * 42_000 * days
                                    // (10**12 * 365))  # fmt: skip
        owed = row.principal_fen + row.yield_fen
        accounts = (Account.FUNDER_PAYABLE, Account.FUNDER_CAPITAL)
        party = await ledger.party_balances(db, "org-funder", accounts)
        assert party[Account.FUNDER_PAYABLE] == owed
        assert party[Account.FUNDER_CAPITAL] == frozen.funded_fen - row.principal_fen
        balances = await ledger.contract_balances(db, c.id)
        assert balances[Account.FUNDING_COST] == row.yield_fen
        await _books_balance(db)

    admin = await login(client, "admin")
    body = {"funder_id": "org-funder", "bank_reference": "RMT-0001"}
    r = await client.post("/api/funder/remittances", json=body, headers=admin)
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_required"
    headers = {**admin, "Idempotency-Key": "rmt-1"}
    r = await client.post("/api/funder/remittances", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == f"{owed / 100:.2f}" and r.json()["contracts"] == 1
    again = await client.post("/api/funder/remittances", json=body, headers=headers)
    assert again.status_code == 201 and again.json() == r.json()  # replayed, not paid twice
    r = await client.post("/api/funder/remittances", json=body,
                          headers={**admin, "Idempotency-Key": "rmt-2"})  # fmt: skip
    assert r.status_code == 409 and r.json()["code"] == "funder_nothing_owed"
    async with session(settings) as db:
        assert await db.scalar(select(func.count()).select_from(FunderRemittance)) == 1
        party = await ledger.party_balances(db, "org-funder", (Account.FUNDER_PAYABLE,))
        assert party[Account.FUNDER_PAYABLE] == 0
        await _books_balance(db)
    funder = await login(client, "funder")
    r = await client.post("/api/funder/remittances", json=body,
                          headers={**funder, "Idempotency-Key": "rmt-3"})  # fmt: skip
    assert r.status_code == 403


async def test_the_funder_gets_exactly_its_share_once_the_contract_is_repaid(client, settings):
    await agree(client, body={"share_percent": "66.6667", "yield_percent": "4.2"})
    key = await funder_key(settings)
    contract = await colent(client, settings, key, share="0.666667")
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None
        rows = await dues.instalments(db, c)
        owed = sum(dues.state(r).lessee_owes for r in rows)
        # Three uneven repayments that cut across rows, to the last fen.
        for k, part in enumerate((owed // 3 + 17, owed // 3 - 5)):
            await pay(db, c.id, part, f"PAY-{k}")
            owed -= part
        await pay(db, c.id, owed, "PAY-LAST")
        allocations = list(await db.scalars(select(FunderAllocation)))
        frozen = await db.get(ContractFunding, c.id)
        assert frozen is not None and len(allocations) == 3
        assert sum(a.principal_fen for a in allocations) == frozen.funded_fen
        assert frozen.funded_fen == colending.funded_share(colending.Terms(666_667, 42_000),
                                                           frozen.financed_fen)  # fmt: skip
        for a in allocations:
            assert 0 <= a.principal_fen + a.yield_fen <= a.paid_fen
        balances = await ledger.contract_balances(db, c.id)
        assert balances.get(Account.FUNDER_CAPITAL, 0) == 0
        await _books_balance(db)
