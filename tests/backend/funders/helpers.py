"""Contracts funded under a co-lending agreement, through the real API (approve, sign, fund the
funder's share), and repayments applied through `dues.apply` as every payment path does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Organisation
from backend.servicing import dues
from backend.settings import Settings
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
from tests.backend.risk.helpers import CLEAN

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


async def pay(db: AsyncSession, contract_id: str, fen: int, reference: str,
              paid_on: date | None = None) -> Any:  # fmt: skip
    contract = await dues.locked(db, contract_id)
    assert contract is not None
    posted = await dues.apply(db, contract, fen, reference=reference,
                              paid_on=paid_on or date.today(), at=datetime.now(UTC))  # fmt: skip
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
