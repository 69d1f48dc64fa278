"""A partner product's contract on the lease machinery: the company signs with a texted code, a
funder's confirmation activates it and the ledger books it balanced — a receivable's
unfinanced part is no down payment (nothing is collected from the supplier for it), and the
advance is paid to the supplier whose receivable it is, not to the shop that filed it."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import Contract, LedgerEntry, LedgerLine
from backend.ledger import service as ledger
from common.ledger import Account
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.contracts.flow import contract_for, fund, funder_key, lessee_login, sign
from tests.backend.helpers import login
from tests.backend.intake.test_partner_applications import CASES, company, draft, photos

MOBILE = "13901029999"  # the company's mobile in `company()`


async def test_a_supplier_finance_contract_is_signed_funded_and_booked(client, settings):
    staff = await login(client, "staff")
    uscc, asset, chosen, document = CASES["supplier_finance"]
    view = await draft(
        client, staff, "supplier_finance", asset=asset, customer=company(uscc), quote=chosen
    )
    kinds = ["business_licence", "id_front", "id_back", "customer_face", document]
    await photos(client, staff, view["id"], kinds)
    decided = (await client.post(f"/api/applications/{view['id']}/submit", headers=staff)).json()
    assert decided["status"] == "approved", decided["decision"]
    contract = await contract_for(client, view["id"])
    assert contract["principal"] == "400000.00" and contract["down_payment"] == "0.00"
    assert contract["vehicle"] == {} and contract["method"] == "interest_only"
    lessee = await lessee_login(client, MOBILE, uscc)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    key = await funder_key(settings)
    r = await fund(client, key, contract["id"], contract["principal"])
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"
    admin = await login(client, "admin")
    tb = (await client.get("/api/ledger/trial-balance", headers=admin)).json()
    assert tb["balanced"]
    receivable = next(row for row in tb["rows"] if row["account"] == "lease_receivable")
    assert receivable["balance"] == contract["total_payment"]
    async with session_of(settings) as db:
        assert await ledger.unbalanced_entries(db) == []
        paid = list(await db.execute(
            select(LedgerLine.account, LedgerLine.party, LedgerLine.debit_fen)
            .join(LedgerEntry, LedgerEntry.id == LedgerLine.entry_id)
            .where(LedgerEntry.contract_id == contract["id"], LedgerEntry.kind == "disbursement",
                   LedgerLine.debit_fen > 0)
        ))  # fmt: skip
        booked = await db.get(Contract, contract["id"])
        assert booked is not None
        assert [tuple(p) for p in paid] == [
            (Account.CLIENT_PAYABLE.value, booked.customer_id, 40_000_000)
        ]
        owed = await ledger.contract_balances(db, contract["id"])
        assert owed[Account.CLIENT_PAYABLE] == 0  # booked and paid out in full
