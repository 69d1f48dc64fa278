"""GET /api/ledger/trial-balance: the admin's alone; the totals in yuan strings, balanced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.db.session import make_engine, make_sessionmaker
from backend.ledger import service as ledger
from common.ledger import Account, activation, disbursement, funding
from tests.backend.helpers import login

C = "c" * 32
URL = "/api/ledger/trial-balance"


@pytest.mark.parametrize("username", ["staff", "dealer", "lessee", "risk", "monitor"])
async def test_only_an_admin_may_read_the_trial_balance(client, username):
    r = await client.get(URL, headers=await login(client, username))
    assert r.status_code == 403, r.text
    assert r.json()["code"] == "forbidden"


async def test_without_signing_in_the_answer_is_401(client):
    assert (await client.get(URL)).status_code == 401


async def test_an_admin_reads_the_totals_in_yuan(client, settings):
    engine = make_engine(settings.database_url)
    entries = (
        funding(C, "org-funder", 10_000_000),
        *activation(
            C, lessee_id="lessee", dealer_id="org-shop-east", price=12_500_000,
            principal=10_000_000, down_payment=2_500_000, total_payment=11_114_400,
            total_interest=1_114_400, deposit=0, fees=150_000, fees_at_signing=150_000,
        ),
        disbursement(C, "org-shop-east", 12_500_000),
    )  # fmt: skip
    async with make_sessionmaker(engine)() as db:
        for entry in entries:
            await ledger.post(db, entry, reference="r1", at=datetime.now(UTC), actor=None)
        await db.commit()
    await engine.dispose()
    r = await client.get(URL, headers=await login(client, "admin"))
    assert r.status_code == 200, r.text
    body = r.json()
    # 100,000 funded + 111,144 booked + 25,000 down + 1,500 fees charged + 1,500 received
    # + 125,000 paid to the dealer
    assert (body["total_debit"], body["total_credit"]) == ("364144.00", "364144.00")
    assert body["balanced"] is True
    rows = {row["account"]: row for row in body["rows"]}
    assert len(rows) == len(Account)
    assert rows["cash"] == {
        "account": "cash", "label": "银行存款", "normal_side": "debit",
        "debit": "126500.00", "credit": "125000.00", "balance": "1500.00",
    }  # fmt: skip
    assert rows["dealer_payable"]["balance"] == "0.00"  # the dealer was paid the price
    assert rows["lease_receivable"]["balance"] == "111144.00"
    assert rows["unearned_interest"]["balance"] == "11144.00"
