"""A charging-pile lease with revenue sharing for tests, through the real API: a product with
`revenue_share` made by the lessor's admin, an application quoted on it, signed and funded;
reports and payments through the API; the books read directly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from backend.db.models import Contract, ContractInstalment, LedgerEntry, RevenueReport
from backend.products.seeded import PRODUCTS, USED_LEASEBACK
from backend.servicing import dues
from backend.settings import Settings
from common.business_day import business_date
from common.revenue_share import Period
from tests.backend.contracts.flow import Client
from tests.backend.helpers import login
from tests.backend.payments.helpers import create, deliver, pay, sessions_of, signed
from tests.backend.servicing.helpers import MovableClock, active

SHARE = "15"
DUE_DAYS = 10
_keys = iter(range(1, 1_000_000))


async def sharing_product(client: Client, share: str = SHARE, due_days: int = DUE_DAYS) -> str:
    terms = {"share_percent": share, "report_due_days": due_days}
    definition = {
        **PRODUCTS[USED_LEASEBACK], "name_zh": "充电桩设备租赁（电费分账）",
        "name_en": "Charging pile lease, revenue share", "revenue_share": terms,
    }  # fmt: skip
    r = await client.post("/api/products", json={"definition": definition, "reason": "分账产品"},
                          headers=await login(client, "admin"))  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["definition"]["revenue_share"]["share_percent"] == share
    product_id: str = r.json()["id"]
    return product_id


async def sharing_lease(client: Client, settings: Settings, **kw: Any) -> tuple[dict, dict]:
    """An active revenue-sharing lease and its lessee's headers."""
    product = await sharing_product(client)
    return await active(client, settings, quote={"product_id": product}, **kw)


async def rows_of(client: Client, contract_id: str) -> list[ContractInstalment]:
    async with sessions_of(client)() as db:
        c = await db.get(Contract, contract_id)
        assert c is not None
        return await dues.instalments(db, c)


async def after_first_rent_month(client: Client, clock: MovableClock, contract_id: str,
                                 days_after: int = 1) -> Period:  # fmt: skip
    """Move the clock to `days_after` days after the month of the first rent; that month."""
    first = (await rows_of(client, contract_id))[0].due_date
    period = Period.of(first)
    target = period.last_day + timedelta(days=days_after)
    clock.move((target - business_date(clock())).days)
    assert business_date(clock()) == target
    return period


def body(period: Period | str, revenue: str, kwh: str = "12000.5", **kw: Any) -> dict[str, Any]:
    return {"period": str(period), "revenue": revenue, "kwh": kwh, **kw}


async def report(client: Client, headers: dict, contract_id: str, payload: dict,
                 key: str | None = None) -> Any:  # fmt: skip
    return await client.post(
        f"/api/contracts/{contract_id}/revenue-reports", json=payload,
        headers={**headers, "Idempotency-Key": key or f"rev-{next(_keys)}"},
    )  # fmt: skip


async def entries(client: Client, contract_id: str, kind: str) -> list[LedgerEntry]:
    async with sessions_of(client)() as db:
        return list(await db.scalars(
            select(LedgerEntry).where(LedgerEntry.contract_id == contract_id,
                                      LedgerEntry.kind == kind).order_by(LedgerEntry.reference)
        ))  # fmt: skip


async def report_count(client: Client) -> int:
    async with sessions_of(client)() as db:
        return int(await db.scalar(select(func.count()).select_from(RevenueReport)) or 0)


async def pay_through_hall(client: Client, settings: Settings, lessee: dict, contract_id: str,
                           amount: str, now: Any) -> dict:  # fmt: skip
    """The lessee pays `amount` from the hall (the payments API, the sandbox's pay page and its
    signed notification): the same path as any rent."""
    r = await create(client, lessee, contract_id, "custom", amount=amount)
    assert r.status_code == 201, r.text
    payment: dict = r.json()
    await pay(client, payment["out_trade_no"], now)
    n = await deliver(client, *await signed(client, settings, payment["out_trade_no"], now))
    assert n.status_code == 200, n.text
    return payment


def today_of(clock: MovableClock) -> date:
    return business_date(clock())
