"""Floor-plan tests through the real API: a line for a demo dealer, drawdowns, the dealer's
payments through the sandbox provider (the pay page pressed, the signed notification delivered
to the app's real handler), the books."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.session import make_engine, make_sessionmaker
from backend.ledger import service as ledger
from backend.payments import sandbox
from backend.risk.demo import make_vin
from backend.settings import Settings
from common.ledger import Account
from tests.backend.helpers import login

Client = AsyncTestClient  # type: ignore[type-arg]
EAST, WEST = "org-shop-east", "org-shop-west"
_serial = count(1)
_keys = count(1)


def new_vin() -> str:
    return make_vin("LFV", 2026, 500_000 + next(_serial), vds="3A28K")


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"fp-test-{next(_keys)}"}


def line_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "limit": "1000000.00", "annual_rate_percent": "7.2", "max_days": 180,
        "plan": {"first_after_days": 90, "every_days": 30, "percent": "10"},
    }  # fmt: skip
    body.update(over)
    return body


async def give_line(client: Client, dealer: str = EAST, **over: Any) -> dict[str, Any]:
    admin = await login(client, "admin")
    r = await client.put(f"/api/floorplan/lines/{dealer}", json=line_body(**over), headers=admin)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def draw(
    client: Client, headers: dict[str, str], vin: str, amount: str = "200000.00",
    payee: str = "一汽-大众销售有限责任公司", **extra: Any,
) -> Any:  # fmt: skip
    body = {"vin": vin, "invoice_amount": amount, "payee": payee, **extra}
    return await client.post("/api/floorplan/drawdowns", json=body, headers={**headers, **key()})


async def drawn(client: Client, headers: dict[str, str], vin: str, amount: str = "200000.00"):
    r = await draw(client, headers, vin, amount)
    assert r.status_code == 201, r.text
    return r.json()


class Books:
    """Direct reads of the database the app under test writes."""

    def __init__(self, settings: Settings) -> None:
        self.engine = make_engine(settings.database_url)
        self.sessions = make_sessionmaker(self.engine)

    async def __aenter__(self) -> AsyncSession:
        self.db = self.sessions()
        return self.db

    async def __aexit__(self, *exc: object) -> None:
        await self.db.close()
        await self.engine.dispose()


async def unit_balances(settings: Settings, unit_id: str) -> dict[Account, int]:
    async with Books(settings) as db:
        return await ledger.contract_balances(db, unit_id)


NOTIFY = f"/api/payments/notify/{sandbox.PROVIDER}"


async def order_payoff(client: Client, headers: dict[str, str], vin: str) -> dict[str, Any]:
    """结清 asked: the payment and its pay page (nothing posted yet)."""
    r = await client.post(f"/api/floorplan/units/{vin}/payoff", headers={**headers, **key()})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def order_curtailment(
    client: Client, headers: dict[str, str], vin: str, amount: str | None = None
) -> dict[str, Any]:
    """还本 asked (`amount`, or what is due): the payment and its pay page."""
    url = f"/api/floorplan/units/{vin}/curtailments"
    r = await client.post(url, json={"amount": amount}, headers={**headers, **key()})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def press_pay(settings: Settings, out_trade_no: str, at: datetime) -> dict[str, Any]:
    """The dealer presses 支付 on the sandbox's page at `at`: the provider's transaction."""
    async with Books(settings) as db:
        order = await sandbox.pay(db, out_trade_no, at)
        await db.commit()
        return sandbox.transaction(order)


async def notify(client: Client, settings: Settings, out_trade_no: str, at: datetime) -> Any:
    """The provider's signed notification of the order, as it is now, delivered at `at`."""
    async with Books(settings) as db:
        txn = sandbox.transaction(await sandbox.order(db, out_trade_no))
    headers, body = sandbox.notification(sandbox.platform_keys(settings), settings, txn, at)
    return await client.post(NOTIFY, content=body, headers=headers)


async def paid(
    client: Client, settings: Settings, headers: dict[str, str], payment: dict[str, Any],
    at: datetime,
) -> dict[str, Any]:  # fmt: skip
    """Pay `payment` on the sandbox's page, the provider notifies; the payment as now seen."""
    await press_pay(settings, payment["out_trade_no"], at)
    r = await notify(client, settings, payment["out_trade_no"], at)
    assert r.status_code == 200 and r.json() == {"code": "SUCCESS", "message": "成功"}, r.text
    shown = await client.get(f"/api/payments/{payment['id']}", headers=headers)
    assert shown.status_code == 200, shown.text
    body: dict[str, Any] = shown.json()
    return body


async def paid_off(
    client: Client, settings: Settings, headers: dict[str, str], vin: str, at: datetime
) -> dict[str, Any]:
    """The whole payoff through the provider: the unit as it is afterwards."""
    payment = await paid(client, settings, headers, await order_payoff(client, headers, vin), at)
    assert payment["status"] == "paid", payment
    r = await client.get(f"/api/floorplan/units/{vin}", headers=headers)
    body: dict[str, Any] = r.json()
    return body
