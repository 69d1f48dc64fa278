"""Contracts funded under a co-lending agreement, through the real API (approve, sign, fund the
funder's share), and repayments applied through `dues.apply` as every payment path does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Organisation
from backend.payments import sandbox
from backend.servicing import dues
from backend.servicing.settlement import Purpose, settle
from backend.settings import Settings
from common.business_day import business_date
from tests.backend.auth.lessee_helpers import session
from tests.backend.contracts.flow import (
    Client,
    approved,
    contract_for,
    fund,
    funder_key,
    lessee_login,
    sign,
)
from tests.backend.helpers import login
from tests.backend.payments.helpers import NOTIFY
from tests.backend.risk.helpers import CLEAN
from tests.backend.servicing.helpers import MOBILE, MovableClock

AGREEMENT = {"share_percent": "80", "yield_percent": "4.2", "reason": "2026年联合贷款协议"}


def share_of(principal: str, share: str = "0.8") -> str:
    """The funder's part of a financed amount, truncated to the fen."""
    fen = int(Decimal(principal) * 100) * int(Decimal(share) * 1_000_000) // 1_000_000
    return f"{Decimal(fen) / 100:.2f}"


async def agree(client: Client, funder_id: str = "org-funder", body: dict[str, Any] | None = None
                ) -> Any:  # fmt: skip
    return await client.put(f"/api/funder/agreements/{funder_id}", json=body or AGREEMENT,
                            headers=await login(client, "admin"))  # fmt: skip


async def colent(
    client: Client, settings: Settings, key: dict[str, str], *, id_number: str = CLEAN,
    mobile: str = "13912340001", idem: str = "k1", share: str = "0.8",
) -> dict[str, Any]:  # fmt: skip
    """A contract funded by the key's funder for its 80 % share: active."""
    contract = await contract_for(client, await approved(client, id_number, mobile=mobile))
    lessee = await lessee_login(client, mobile, id_number)
    assert (await sign(client, lessee, contract["id"], mobile)).status_code == 200
    r = await fund(client, key, contract["id"], share_of(contract["principal"], share), idem=idem)
    assert r.status_code == 200 and r.json()["status"] == "active", r.text
    return contract


def fen(text: str) -> int:
    """A wire amount ("1234.50") in fen."""
    return int(Decimal(text) * 100)


async def colent_with_lessee(
    client: Client, settings: Settings, *, quote: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """A contract the demo bank funds for its 80 % under the agreement (`quote`: see
    `tests.backend.risk.helpers.file_application`): the contract, its lessee's headers and the
    funder's key."""
    await agree(client)
    key = await funder_key(settings)
    contract = await contract_for(client, await approved(client, CLEAN, mobile=MOBILE,
                                                         quote=quote))  # fmt: skip
    lessee = await lessee_login(client, MOBILE, CLEAN)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    r = await fund(client, key, contract["id"], share_of(contract["principal"]))
    assert r.status_code == 200, r.text
    return contract, lessee, key


async def prepay_with_retries(
    client: Client, settings: Settings, clock: MovableClock, contract_id: str,
    lessee: dict[str, str], amount: str = "20000.00",
) -> dict[str, Any]:  # fmt: skip
    """`amount` prepaid (reduce_payment) through the provider: the payment request sent twice
    with one Idempotency-Key, the provider's notification delivered twice, and the posting
    replayed. The payment as first made."""
    r = await client.post(f"/api/contracts/{contract_id}/prepayments",
                          json={"amount": amount, "mode": "reduce_payment"},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    quote = r.json()["quote"]
    body = {"option": "quote", "purpose": "prepayment", "quote_id": quote["id"]}
    headers = {**lessee, "Idempotency-Key": f"prepay-{quote['id']}"}
    url = f"/api/contracts/{contract_id}/payments"
    made = await client.post(url, json=body, headers=headers)
    assert made.status_code == 201, made.text
    payment: dict[str, Any] = made.json()
    assert payment["amount"] == quote["total"]
    again = await client.post(url, json=body, headers=headers)
    assert again.status_code == 201 and again.json()["id"] == payment["id"]  # replayed
    async with session(settings) as db:
        await sandbox.pay(db, payment["out_trade_no"], clock())
        await db.commit()
        txn = sandbox.transaction(await sandbox.order(db, payment["out_trade_no"]))
    for _ in range(2):  # the provider retries its notification
        signed, raw = sandbox.notification(sandbox.platform_keys(settings), settings, txn, clock())
        assert (await client.post(NOTIFY, content=raw, headers=signed)).status_code in (200, 204)
    async with session(settings) as db:
        c = await dues.locked(db, contract_id)
        assert c is not None
        paid_on = date.fromisoformat(quote["settle_on"])
        assert not await settle(db, c, Purpose.PREPAYMENT, fen(quote["total"]),
                                reference=payment["id"], paid_on=paid_on, at=clock(),
                                quote_id=quote["id"])  # fmt: skip
        await db.commit()
    return payment


async def pay(db: AsyncSession, contract_id: str, fen: int, reference: str,
              paid_on: date | None = None) -> Any:  # fmt: skip
    contract = await dues.locked(db, contract_id)
    assert contract is not None
    now = datetime.now(UTC)
    posted = await dues.apply(db, contract, fen, reference=reference,
                              paid_on=paid_on or business_date(now), at=now)  # fmt: skip
    await db.commit()
    return posted


async def other_funder(settings: Settings) -> dict[str, str]:
    """A second funder organisation and its API key."""
    async with session(settings) as db:
        db.add(Organisation(id="org-funder-2", name="另一家银行", kind="funder",
                            region_code="310101"))  # fmt: skip
        await db.commit()
    return await funder_key(settings, "org-funder-2")


__all__ = ["funder_key", "session"]
