"""A funded lease earns its dealer the commission the rules say, posted with the funding and
paid at once; an early default claws it back once, and the dealer's next commission is set off
against it; the rules are the admin's, versioned, refused field by field when wrong."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from backend.db.models import Contract, DealerCommission, LedgerEntry
from backend.dealers import commissions
from backend.ledger import service as ledger
from common.business_day import business_date
from common.ledger import Account
from tests.backend.auth.lessee_helpers import session
from tests.backend.helpers import login
from tests.backend.servicing.helpers import active

SHOP = "org-shop-east"
RULES = {"rules": [{"basis": "percent", "percent": "1.5"},
                   {"product_id": "p-used-leaseback", "basis": "fixed", "fixed_fen": 80000}],
         "reason": "2026年佣金政策"}  # fmt: skip


async def _rules(client, body=RULES):
    return await client.put("/api/dealer/commission-rules", json=body,
                            headers=await login(client, "admin"))  # fmt: skip


async def test_only_an_admin_sets_the_rules_and_a_wrong_rule_is_named(client, settings):
    dealer = await login(client, "dealer")
    r = await client.put("/api/dealer/commission-rules", json=RULES, headers=dealer)
    assert r.status_code == 403
    bad = {"rules": [{"basis": "percent", "percent": "15"}, {"basis": "fixed"}]}
    r = await _rules(client, bad)
    assert r.status_code == 422 and r.json()["code"] == "commission_rules_invalid"
    assert set(r.json()["fields"]) == {"rules[0].percent", "rules[1].fixed_fen",
                                       "rules[1].product_id"}  # fmt: skip
    assert (await client.get("/api/dealer/commission-rules", headers=dealer)).json() == {
        "version": 0, "rules": []}  # fmt: skip
    r = await _rules(client)
    assert r.status_code == 200 and r.json()["version"] == 1
    shown = (await client.get("/api/dealer/commission-rules", headers=dealer)).json()
    assert shown["version"] == 1 and shown["rules"][1]["fixed_fen"] == 80000


async def test_funding_earns_and_pays_the_commission_once(client, settings):
    assert (await _rules(client, {"rules": RULES["rules"][:1]})).status_code == 200  # 1.5 %
    contract, _lessee = await active(client, settings)
    principal = round(float(contract["principal"]) * 100)
    async with session(settings) as db:
        row = await db.get(DealerCommission, contract["id"])
        assert row is not None and row.dealer_id == SHOP and row.rule_version == 1
        assert row.amount_fen == row.paid_fen == (principal * 15 + 500) // 1000
        kinds = list(
            await db.scalars(
                select(LedgerEntry.kind).where(
                    LedgerEntry.contract_id == contract["id"], LedgerEntry.kind.like("commission%")
                )
            )
        )
        assert sorted(kinds) == ["commission_earned", "commission_paid"]
        owed = await ledger.party_balances(db, SHOP, (Account.DEALER_PAYABLE,))
        assert owed == {Account.DEALER_PAYABLE: 0}  # the car and the commission both paid
        assert (await ledger.trial_balance(db)).total_debit > 0
        # funding confirmed again (the funder's retry): nothing more
        again = await db.get(Contract, contract["id"])
        assert await commissions.on_funding(db, again, again.activated_at) is row
        n = await db.scalar(select(func.count()).select_from(LedgerEntry)
                            .where(LedgerEntry.kind.like("commission%")))  # fmt: skip
        assert n == 2


async def test_the_products_own_rule_wins_and_no_rule_is_no_commission(client, settings):
    contract, _lessee = await active(client, settings)  # a used-car sale-and-leaseback
    async with session(settings) as db:
        assert await db.get(DealerCommission, contract["id"]) is None
    assert (await _rules(client)).status_code == 200
    other, _lessee = await active(client, settings, id_number="110101199003070011",
                                  mobile="13912340002")  # fmt: skip
    async with session(settings) as db:
        row = await db.get(DealerCommission, other["id"])
        assert (row.product_id, row.basis, row.amount_fen) == ("p-used-leaseback", "fixed", 80000)


async def test_an_early_default_claws_back_once_and_the_next_commission_sets_it_off(
    client, settings
):
    assert (await _rules(client)).status_code == 200
    first, _ = await active(client, settings)
    async with session(settings) as db:
        contract = await db.get(Contract, first["id"])
        row = await db.get(DealerCommission, first["id"])
        funded = row.funded_on
        later = contract.activated_at + timedelta(days=100)
        day = business_date(later)
        # 59 days late: not a default yet; outside the window: never clawed back
        assert not await commissions.claw_back_if_early(db, contract, 59, day, later)
        far = business_date(contract.activated_at + timedelta(days=400))
        assert not await commissions.claw_back_if_early(db, contract, 60, far, later)
        assert await commissions.claw_back_if_early(db, contract, 60, day, later)
        assert not await commissions.claw_back_if_early(db, contract, 61, day, later)
        assert row.clawed_back_fen == row.amount_fen and funded == row.funded_on
        owed = await ledger.party_balances(db, SHOP, (Account.DEALER_RECEIVABLE,))
        assert owed == {Account.DEALER_RECEIVABLE: row.amount_fen}
        await db.commit()
        clawed = row.amount_fen
    second, _ = await active(client, settings, id_number="110101199003070011",
                             mobile="13912340002")  # fmt: skip
    async with session(settings) as db:
        row = await db.get(DealerCommission, second["id"])
        assert row.set_off_fen == min(row.amount_fen, clawed)
        assert row.paid_fen == row.amount_fen - row.set_off_fen
        owed = await ledger.party_balances(db, SHOP, (Account.DEALER_RECEIVABLE,))
        assert owed[Account.DEALER_RECEIVABLE] == clawed - row.set_off_fen
